"""Where to send someone next, when the address comes from the request."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, candidate, fallback):
    """``candidate`` if it is an address on this site (over https when the
    request came by https), otherwise ``fallback``: a ``back=`` or ``next=``
    someone else wrote must not send a person to another site, or to a
    ``javascript:`` address."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback

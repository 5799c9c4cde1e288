"""Personal access tokens: shown once, stored as a SHA-256 hash, compared in
constant time."""

import hashlib
import hmac
import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.models import ApiToken
from accounts.policy import may_revoke_token

TOKEN_PREFIX = "ns_"  # noqa: S105 - a marker every token starts with, not a secret


def _hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create(*, user, name, scope):
    """Create a token and return ``(api_token, secret)``; the secret is never stored.

    Raises ``ValidationError`` for an empty or too long name or an unknown scope."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    api_token = ApiToken(
        user=user, name=name.strip(), scope=scope, token_hash=_hash(secret), prefix=secret[:8]
    )
    api_token.full_clean()
    api_token.save()
    return api_token, secret


@transaction.atomic
def revoke(*, api_token, by):
    """Stop a token working from now on. Revoking it again changes nothing."""
    if not may_revoke_token(by, api_token):
        raise PermissionDenied("You can only revoke your own tokens.")
    ApiToken.objects.filter(pk=api_token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    api_token.refresh_from_db(fields=["revoked_at"])
    return api_token


def authenticate(secret):
    """The active token for a presented secret, or None."""
    if not secret or not secret.startswith(TOKEN_PREFIX):
        return None
    digest = _hash(secret)
    api_token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=digest, revoked_at__isnull=True)
        .first()
    )
    if api_token is None or not hmac.compare_digest(api_token.token_hash, digest):
        return None
    if not api_token.user.is_active:
        return None
    ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
    return api_token

"""Reads about people and their tokens, always scoped to the person asking."""

from django.http import Http404


def tokens_of(user):
    """The user's own personal access tokens, newest first."""
    return user.api_tokens.order_by("-created_at", "-id")


def token_of(user, token_id):
    """One of the user's own tokens; anyone else's is not found."""
    try:
        return tokens_of(user).get(pk=token_id)
    except user.api_tokens.model.DoesNotExist:
        raise Http404(f"You have no token with id {token_id}.") from None

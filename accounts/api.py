"""The person behind the token: who they are, their roles, their tokens."""

from datetime import datetime

from ninja import Router, Schema

from accounts import queries, tokens
from accounts.policy import roles_of

router = Router(tags=["Your account"])


class RoleOrganisationOut(Schema):
    ods_code: str
    name: str


class RoleOut(Schema):
    role: str
    role_name: str
    organisation: RoleOrganisationOut | None

    @staticmethod
    def resolve_role(role):
        return role.name

    @staticmethod
    def resolve_role_name(role):
        return role.get_name_display()


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    scope: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    active: bool

    @staticmethod
    def resolve_active(api_token):
        return api_token.is_active


class MeOut(Schema):
    email: str
    full_name: str
    roles: list[RoleOut]
    token: TokenOut


@router.get("", response=MeOut, summary="Who I am")
def me(request):
    """The person the token belongs to, their roles, and the token in use."""
    user = request.user
    return {
        "email": user.email,
        "full_name": user.full_name,
        "roles": roles_of(user),
        "token": request.api_token,
    }


@router.get("/tokens", response=list[TokenOut], summary="My tokens")
def my_tokens(request):
    """Your personal access tokens, newest first. Secrets are never shown again."""
    return queries.tokens_of(request.user)


@router.delete("/tokens/{token_id}", response=TokenOut, summary="Revoke a token")
def revoke_token(request, token_id: int):
    """Stop one of your tokens working. Needs a read and write token."""
    return tokens.revoke(api_token=queries.token_of(request.user, token_id), by=request.user)

"""Bearer-token authentication for the API, using personal access tokens."""

from ninja.errors import HttpError
from ninja.security import HttpBearer

from accounts import tokens
from core.api_errors import WRITE_METHODS


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        api_token = tokens.authenticate(token)
        if api_token is None:
            return None
        if request.method in WRITE_METHODS and api_token.scope != api_token.Scope.WRITE:
            raise HttpError(
                403,
                "This token is read-only, so it can only make GET requests. To make changes, "
                "create a read and write token on your account page at /accounts/account/.",
            )
        request.user = api_token.user
        request.api_token = api_token
        return api_token

"""Every API error is JSON with a ``detail`` a person can act on."""

import logging
import uuid

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja.errors import AuthenticationError, ValidationError

logger = logging.getLogger(__name__)

AUTHENTICATION_HELP = (
    "Send a valid personal access token in the Authorization header as 'Bearer <token>'. "
    "Create one on your account page at /accounts/account/."
)

# Where ninja says a bad value was found, in words.
LOCATIONS = {
    "path": "in the address",
    "query": "in the query string",
    "body": "in the request body",
    "header": "in the headers",
    "cookie": "in the cookies",
    "form": "in the form data",
    "file": "in the uploaded files",
}


def _readable(error):
    source, *field = error["loc"]
    where = LOCATIONS.get(source, f"in the {source}")
    name = ".".join(str(part) for part in field)
    return f"{name} {where}: {error['msg']}" if name else f"{where.capitalize()}: {error['msg']}"


def install(api):
    def respond(request, detail, status, **extra):
        return api.create_response(request, {"detail": detail, **extra}, status=status)

    @api.exception_handler(AuthenticationError)
    def not_authenticated(request, exc):
        response = respond(request, AUTHENTICATION_HELP, 401)
        response["WWW-Authenticate"] = 'Bearer realm="Northstar API"'
        return response

    @api.exception_handler(PermissionDenied)
    def permission_denied(request, exc):
        return respond(request, str(exc) or "You do not have permission to do this.", 403)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        message = str(exc)
        # get_object_or_404 names the model ("No Organisation matches the given
        # query."), which helps nobody calling the API.
        if not message or message.endswith("matches the given query."):
            message = f"Nothing was found at {request.path}. Check the address and any ids in it."
        return respond(request, message, 404)

    @api.exception_handler(ValidationError)
    def invalid(request, exc):
        problems = "; ".join(_readable(error) for error in exc.errors)
        return respond(
            request, exc.errors, 422, message=f"Check your request and send it again. {problems}."
        )

    @api.exception_handler(Exception)
    def unexpected(request, exc):
        reference = uuid.uuid4().hex[:12]
        logger.exception(
            "Unexpected API error %s at %s %s", reference, request.method, request.path
        )
        return respond(
            request,
            "Something went wrong on our side. Try again later. If it keeps happening, "
            f"tell the Northstar team and quote the reference {reference}.",
            500,
            reference=reference,
        )

"""The one error shape of the API: every error is JSON with a ``detail`` a
person can act on (and, for a request with several problems, ``errors``), and
the OpenAPI description says so for every status an operation can answer."""

import logging
import uuid

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja.errors import AuthenticationError, HttpError, ValidationError

from core.api_schemas import Error

logger = logging.getLogger(__name__)

AUTHENTICATION_HELP = (
    "Send a valid personal access token in the Authorization header as 'Bearer <token>'. "
    "Create one on your account page at /accounts/account/."
)

UNREADABLE_BODY = (
    "The request body is not valid JSON. Send a JSON object, as the API reference shows."
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

# What a read-only token may not do.
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

ERROR = {"$ref": "#/components/schemas/Error"}

# What each status an operation can answer means here, whichever operation.
MEANINGS = {
    400: "The request body could not be read, or a rule refused it: `detail` says which.",
    401: "No valid personal access token was sent.",
    403: "Not allowed: a read-only token cannot make changes, or your roles do not let you.",
    404: "Nothing was found at this address.",
    422: "A value in the request is not valid; `errors` names each one.",
}


def readable(error):
    """One of ninja's validation errors as a sentence naming the field and where it was."""
    source, *field = error["loc"]
    if source == "body":
        field = field[1:]  # the handler's name for the whole body, which callers never see
    where = LOCATIONS.get(source, f"in the {source}")
    name = ".".join(str(part) for part in field)
    return f"{name} {where}: {error['msg']}" if name else f"{where.capitalize()}: {error['msg']}"


def install(api):
    """Answer every error the API raises in the one shape."""

    def respond(request, detail, status, **extra):
        return api.create_response(request, {"detail": detail, **extra}, status=status)

    @api.exception_handler(AuthenticationError)
    def not_authenticated(request, exc):
        response = respond(request, AUTHENTICATION_HELP, 401)
        response["WWW-Authenticate"] = 'Bearer realm="Northstar API"'
        return response

    @api.exception_handler(HttpError)
    def refused(request, exc):
        unreadable = exc.status_code == 400 and str(exc).startswith("Cannot parse request body")
        detail = UNREADABLE_BODY if unreadable else str(exc)
        return respond(request, detail, exc.status_code)

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
        problems = [readable(error) for error in exc.errors]
        detail = f"Check your request and send it again. {'; '.join(problems)}."
        return respond(request, detail, 422, errors=problems)

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


def document_errors(document):
    """Add to every operation of an OpenAPI document the error statuses any
    operation of its kind can answer, each in the one error shape:
    401 behind a token, 403 for a change (a read-only token), 404 with ids in
    the address, 422 with parameters or a body, 400 with a body."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault(
        "Error", Error.model_json_schema(ref_template="#/components/schemas/{model}")
    )
    for operations in document["paths"].values():
        for method, operation in operations.items():
            responses = operation["responses"]
            for status in _statuses(method, operation):
                responses.setdefault(status, {"content": {"application/json": {"schema": ERROR}}})
            for status, response in responses.items():
                # ninja names a declared status by its HTTP phrase ("Not Found").
                if int(status) in MEANINGS and _schema_of(response) == ERROR:
                    response["description"] = MEANINGS[int(status)]
            operation["responses"] = dict(sorted(responses.items(), key=lambda item: int(item[0])))
    return document


def _schema_of(response):
    return response.get("content", {}).get("application/json", {}).get("schema")


def _statuses(method, operation):
    parameters = operation.get("parameters", [])
    secured = bool(operation.get("security"))
    if secured:
        yield 401
    if secured and method.upper() in WRITE_METHODS:
        yield 403
    if any(parameter["in"] == "path" for parameter in parameters):
        yield 404
    if parameters or "requestBody" in operation:
        yield 422
    if "requestBody" in operation:
        yield 400

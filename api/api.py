"""The one NinjaAPI, mounted at /api/v1/. Each app adds its own router."""

from functools import wraps

from django.http import Http404
from django.urls import register_converter
from ninja import NinjaAPI, Router

from api.auth import TokenAuth
from api.reference import Reference
from core import api_errors


class NorthstarAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        return api_errors.document_errors(super().get_openapi_schema(**kwargs))

    def _get_urls(self):
        patterns = super()._get_urls()
        for pattern in patterns:
            pattern.callback = self._method_not_allowed_in_json(pattern.callback)
        return patterns

    def _method_not_allowed_in_json(self, view):
        """ninja answers a method an endpoint does not have in plain text."""

        @wraps(view)
        def answer(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if response.status_code != 405:
                return response
            allowed = response["Allow"]
            detail = f"{request.method} is not allowed at {request.path}: use {allowed}."
            refused = self.create_response(request, {"detail": detail}, status=405)
            refused["Allow"] = allowed
            return refused

        return answer


api = NorthstarAPI(
    title="Northstar API",
    version="1",
    description=(
        "Digital maturity of NHS organisations against What Good Looks Like. "
        "Authenticate with a personal access token, created on your account page at "
        "/accounts/account/: `Authorization: Bearer <token>`. A read-only token can only "
        "make GET requests. Every error is JSON with a `detail` saying what to do and, "
        "when a request has several problems, `errors` listing each."
    ),
    urls_namespace="api-v1",
    docs=Reference(),
    auth=TokenAuth(),
)
api_errors.install(api)

api.add_router("/me", "accounts.api.router")
api.add_router("/frameworks", "frameworks.api.router")
api.add_router("/organisations", "organisations.api.router")
api.add_router("/assessments", "assessments.api.router")
api.add_router("/learning", "learning.api.router")
api.add_router("/benchmarks", "benchmarking.api.router")
api.add_router("/funding", "funding.api.router")


class AnyRest:
    """The rest of an address, whatever it holds: Django's ``path`` converter
    stops at a line break, which would leave such an address to the website's
    HTML 404 page."""

    regex = r"[\s\S]*"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(AnyRest, "anyrest")

# Added last, so it answers only addresses no other route matched: a wrong
# address gets a JSON 404 rather than the website's page.
unmatched = Router(auth=None)


@unmatched.api_operation(
    ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"],
    "/{anyrest:rest}",
    include_in_schema=False,
)
def no_such_endpoint(request, rest: str):
    raise Http404(
        f"There is no API endpoint at {request.path}. "
        "The endpoints are listed at /api/v1/docs and /api/v1/openapi.json."
    )


api.add_router("", unmatched)

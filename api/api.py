"""The one NinjaAPI, mounted at /api/v1/. Each app adds its own router."""

from django.http import Http404
from ninja import NinjaAPI, Router

from api import errors
from api.auth import TokenAuth

api = NinjaAPI(
    title="Northstar API",
    version="1",
    description=(
        "Digital maturity of NHS organisations against What Good Looks Like. "
        "Authenticate with a personal access token, created on your account page at "
        "/accounts/account/: `Authorization: Bearer <token>`. A read-only token can only "
        "make GET requests. Every error is JSON with a `detail` saying what to do."
    ),
    urls_namespace="api-v1",
    auth=TokenAuth(),
)
errors.install(api)

api.add_router("/me", "accounts.api.router")
api.add_router("/frameworks", "frameworks.api.router")
api.add_router("/organisations", "organisations.api.router")
api.add_router("/assessments", "assessments.api.router")
api.add_router("/learning", "learning.api.router")
api.add_router("/benchmarks", "benchmarking.api.router")
api.add_router("/funding", "funding.api.router")

# Added last, so it answers only addresses no other route matched: a wrong
# address gets a JSON 404 rather than the website's page.
unmatched = Router(auth=None)


@unmatched.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", include_in_schema=False
)
def no_such_endpoint(request, rest: str):
    raise Http404(
        f"There is no API endpoint at {request.path}. "
        "The endpoints are listed at /api/v1/docs and /api/v1/openapi.json."
    )


api.add_router("", unmatched)

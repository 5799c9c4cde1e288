"""Someone at another organisation cannot see a trust's funding through any
page, API call or export. The trust's funding carries distinctive figures and
words; every page (found by walking the URL configuration), every API
endpoint (found by walking the OpenAPI description) and every download is
fetched as each role, and only those who may see it find those words."""

import json
import re

import pytest
from django.test import Client
from django.urls import get_resolver

from accounts import tokens
from accounts.models import RoleName
from funding import services
from funding.services import LineValue
from funding.tests.conftest import person
from organisations.tests.factories import IcbFactory, TrustFactory
from tests.browser.test_every_page import SAMPLES, _walk

pytestmark = pytest.mark.django_db

TRUST_CODE = "RZF7Q"
ICS_CODE = "QZF8W"
# Figures no page shows unless it shows this trust's funding: amounts as
# written in pounds, in £ million on pages, and a funding line's words.
TOTAL = 987_654_321
REVENUE = 13_579_246
CAPITAL = 2_468_135
SECRETS = [
    "987654321",
    "987,654,321",
    "£987.65m",
    "13579246",
    "£13.58m",
    "2468135",
    "£2.47m",
    "Quillfeather telemetry",
]


@pytest.fixture
def world(reference):
    ics = IcbFactory(ods_code=ICS_CODE, name="NHS Wexmoor Integrated Care Board")
    trust = TrustFactory(ods_code=TRUST_CODE, name="Wexmoor General NHS Trust", membership__ics=ics)
    neighbour = TrustFactory(membership__ics=ics)
    other_ics = IcbFactory()
    elsewhere = TrustFactory(membership__ics=other_ics)
    approver = person(RoleName.APPROVER, trust)
    services.record_year(
        organisation=trust,
        year=2025,
        total_expenditure=TOTAL,
        it_revenue_spend=REVENUE,
        it_capital_spend=CAPITAL,
        by=approver,
        lines=[
            LineValue(
                source="ics",
                kind="capital",
                amount=CAPITAL,
                description="Quillfeather telemetry",
                measure="improve_care",
                domains=("remote-monitoring",),
            )
        ],
    )
    insiders = {
        "approver at the trust": approver,
        "contributor at the trust": person(RoleName.CONTRIBUTOR, trust),
        "ICS lead of its ICS": person(RoleName.ICS_LEAD, ics),
        "national analyst": person(RoleName.NATIONAL_ANALYST),
        "platform admin": person(RoleName.PLATFORM_ADMIN),
    }
    outsiders = {
        "anonymous visitor": None,
        "contributor at another trust in the same ICS": person(RoleName.CONTRIBUTOR, neighbour),
        "approver at another trust in the same ICS": person(RoleName.APPROVER, neighbour),
        "approver at a trust in another ICS": person(RoleName.APPROVER, elsewhere),
        "ICS lead of another ICS": person(RoleName.ICS_LEAD, other_ics),
        "patient leader at the trust": person(RoleName.PATIENT_LEADER, trust),
    }
    return insiders, outsiders


def _pages():
    for route, name in _walk(get_resolver().url_patterns):
        if route.startswith(("admin/", "api/")) or name == "accounts:logout":
            continue
        path = route
        while "<" in path:
            start, end = path.index("<"), path.index(">")
            parameter = path[start + 1 : end].split(":")[-1]
            value = TRUST_CODE if parameter == "ods_code" else SAMPLES.get(parameter, "1")
            path = path[:start] + value + path[end + 1 :]
        yield "/" + path
        if "<str:ods_code>" in route:
            yield "/" + route.replace("<str:ods_code>", ICS_CODE).split("<")[0]
    for base in (f"/funding/{TRUST_CODE}/", f"/funding/ics/{ICS_CODE}/"):
        for query in ("?download=csv", "?download=xlsx", "?year=2025-26"):
            yield base + query


def _api_paths(client, headers):
    description = client.get("/api/v1/openapi.json", **headers).json()
    for path, operations in description["paths"].items():
        if "get" not in operations:
            continue
        if "{ods_code}" in path:
            yield path.replace("{ods_code}", TRUST_CODE)
            yield path.replace("{ods_code}", ICS_CODE)
        else:
            yield re.sub(r"\{[^}]+\}", "1", path)


def _found(body):
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    variants = [s for s in SECRETS] + [json.dumps(s)[1:-1] for s in SECRETS]
    return [s for s in variants if s in text]


def _body(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _walk_as(user):
    """Everything the user can fetch: ``(where, status, secrets found)``."""
    client = Client(raise_request_exception=False)
    headers = {}
    if user is not None:
        client.force_login(user)
        _, secret = tokens.create(user=user, name="funding access test", scope="read")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    for path in _pages():
        response = client.get(path)
        yield path, response.status_code, _found(_body(response))
    if user is not None:
        for path in _api_paths(client, headers):
            response = client.get(path, **headers)
            yield path, response.status_code, _found(_body(response))


def test_no_outsider_sees_the_trusts_funding_anywhere(world):
    _, outsiders = world
    leaks, fetched = [], 0
    for role, user in outsiders.items():
        for where, status, found in _walk_as(user):
            fetched += 1
            assert status < 500, f"{role}: {where} answered {status}"
            if found:
                leaks.append(f"{role} at {where}: {found}")
    assert not leaks, "\n".join(leaks)
    assert fetched > 100


def test_those_who_may_see_it_find_it_on_the_page_the_api_and_the_downloads(world):
    """The walk above can find the figures: the people who may see them do."""
    insiders, _ = world
    for role, user in insiders.items():
        client = Client()
        client.force_login(user)
        _, secret = tokens.create(user=user, name="funding access test", scope="read")
        wheres = [f"/funding/{TRUST_CODE}/", f"/funding/{TRUST_CODE}/?download=csv"]
        if role not in ("approver at the trust", "contributor at the trust"):
            wheres.append(f"/funding/ics/{ICS_CODE}/")
        for where in wheres:
            assert _found(_body(client.get(where))), f"{role} does not see the funding at {where}"
        api = client.get(f"/api/v1/funding/{TRUST_CODE}", HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert _found(api.content), f"{role} does not see the funding through the API"

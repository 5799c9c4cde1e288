"""The funding API: the same figures as the page, to the same people."""

import pytest
from django.test import Client

from accounts import tokens
from accounts.models import RoleName
from funding.models import FundingYear
from funding.tests.conftest import org, person

pytestmark = pytest.mark.django_db


def get(user, path):
    _, secret = tokens.create(user=user, name="test", scope="read")
    return Client().get(f"/api/v1{path}", HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_an_organisations_funding_with_its_lines_and_peers(demo_funding):
    response = get(person(RoleName.APPROVER, org("RXN")), "/funding/RXN")
    assert response.status_code == 200
    body = response.json()
    assert [y["year"] for y in body["years"]] == [
        "2022/23",
        "2023/24",
        "2024/25",
        "2025/26",
        "2026/27",
    ]
    latest = body["years"][-1]
    stored = FundingYear.objects.get(organisation=org("RXN"), year=2026)
    assert float(latest["total_expenditure"]) == stored.total_expenditure
    expected = stored.it_spend * 100 / stored.total_expenditure
    assert abs(float(latest["it_share_percent"]) - float(expected)) < 0.01
    assert float(latest["benchmark_percent"]) == 5
    assert latest["peers"]["count"] == 6 and latest["peers"]["median_percent"] is not None
    assert {line["source"] for line in latest["lines"]} == {
        "frontline_digitisation",
        "ics",
        "own_budget",
        "other",
    }
    assert {"funding_type", "amount", "measure", "domains"} <= set(latest["lines"][0])


def test_another_organisation_is_refused_with_a_reason(demo_funding):
    response = get(person(RoleName.APPROVER, org("R0A")), "/funding/RXN")
    assert response.status_code == 403
    assert "Your roles do not let you see this organisation's funding" in response.json()["detail"]


def test_the_ics_roll_up(demo_funding):
    response = get(person(RoleName.ICS_LEAD, org("QE1")), "/funding/ics/QE1")
    assert response.status_code == 200
    years = response.json()["years"]
    assert len(years) == 5
    assert sorted(years[0]["members"]) == ["RTX", "RW5", "RXL", "RXN", "RXR"]
    total = sum(
        FundingYear.objects.filter(
            year=2022, organisation__ods_code__in=years[0]["members"]
        ).values_list("total_expenditure", flat=True)
    )
    assert float(years[0]["total_expenditure"]) == total
    assert get(person(RoleName.ICS_LEAD, org("QOP")), "/funding/ics/QE1").status_code == 403


def put(user, path, body, scope="write"):
    _, secret = tokens.create(user=user, name="test", scope=scope)
    return Client().put(
        f"/api/v1{path}",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )


YEAR = {
    "total_expenditure": 640000000,
    "it_revenue_spend": 9000000,
    "it_capital_spend": 4000000,
    "lines": [
        {
            "source": "Digital Aspirant programme",
            "funding_type": "capital",
            "amount": 2000000,
            "measure": "smart_foundations",
            "domains": ["epr"],
        }
    ],
}


def test_the_approver_records_a_year_through_the_api(approver):
    response = put(approver, "/funding/RXN/years/2025-26", YEAR)
    assert response.status_code == 200, response.json()
    assert response.json()["lines"][0]["source"] == "digital_aspirant"
    stored = FundingYear.objects.get(organisation=org("RXN"), year=2025)
    assert stored.recorded_by == approver and stored.lines.get().domains == ["epr"]


def test_the_api_refuses_bad_figures_naming_the_field_and_records_nothing(approver):
    bad_line = {**YEAR, "lines": [{**YEAR["lines"][0], "amount": -1}]}
    response = put(approver, "/funding/RXN/years/2025-26", bad_line)
    assert response.status_code == 400
    assert (
        response.json()["field"] == "lines[0].amount"
        and "-1 is negative" in response.json()["detail"]
    )
    response = put(approver, "/funding/RXN/years/2025-26", {**YEAR, "it_capital_spend": 640000000})
    assert response.json()["field"] == "it_capital_spend"
    assert put(approver, "/funding/RXN/years/2099-00", YEAR).json()["field"] == "year"
    assert not FundingYear.objects.exists()


def test_only_the_organisations_approver_may_record_through_the_api(approver):
    assert (
        put(person(RoleName.APPROVER, org("R0A")), "/funding/RXN/years/2025-26", YEAR).status_code
        == 403
    )
    assert (
        put(
            person(RoleName.CONTRIBUTOR, org("RXN")), "/funding/RXN/years/2025-26", YEAR
        ).status_code
        == 403
    )
    assert put(approver, "/funding/RXN/years/2025-26", YEAR, scope="read").status_code == 403
    assert not FundingYear.objects.exists()

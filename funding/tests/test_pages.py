"""The funding pages as the organisation, its ICS and outsiders see them."""

import csv
import io

import pytest

from accounts.models import RoleName
from funding.models import FundingLine, FundingYear
from funding.services import import_funding
from funding.tests.conftest import org, person, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client):
    def as_(user):
        client.force_login(user)
        return client

    return as_


def test_the_funding_page_needs_sign_in(client, reference):
    response = client.get("/funding/RXN/")
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


def test_the_page_shows_it_share_against_5_percent_and_the_peers_median_over_five_years(
    signed_in, demo_funding
):
    words = text_of(signed_in(person(RoleName.CONTRIBUTOR, org("RXN"))).get("/funding/RXN/"))
    # RXN 2026/27: IT spend 2.6% of £935m (synthetic); six other trusts recorded theirs
    rxn = FundingYear.objects.get(organisation=org("RXN"), year=2026)
    share = rxn.it_spend * 100 / rxn.total_expenditure
    assert f"In 2026/27, IT spend was {share:.1f}% of total expenditure" in words
    assert "below the 5% benchmark" in words
    assert "(median of 6 organisations)" in words
    for year in ("2022/23", "2023/24", "2024/25", "2025/26", "2026/27"):
        assert year in words
    assert "Capital share of IT spend" in words and "Global Digital Exemplar programme" not in words
    assert "Frontline Digitisation programme" in words  # the lines of the latest year


def test_fewer_than_five_peers_are_too_few_to_compare(signed_in, reference, tmp_path):
    from funding.tests.conftest import write_csv

    rows = [
        [code, "2025/26", "500000000", "9000000", "1000000", "", "", "", "", "", ""]
        for code in ("RXN", "RXL", "RTX", "RXR", "RW5")
    ]
    import_funding(path=write_csv(tmp_path / "f.csv", rows))
    words = text_of(signed_in(person(RoleName.CONTRIBUTOR, org("RXN"))).get("/funding/RXN/"))
    assert "The peers' median: too few to compare (4)" in words
    assert "2.0%" in words


def test_a_year_in_other_digits_is_not_a_year(signed_in, demo_funding):
    response = signed_in(person(RoleName.CONTRIBUTOR, org("RXN"))).get("/funding/RXN/?year=²²²²/26")
    assert response.status_code in (200, 404)


def test_an_earlier_year_shows_its_own_lines(signed_in, demo_funding):
    response = signed_in(person(RoleName.CONTRIBUTOR, org("RXN"))).get("/funding/RXN/?year=2022-23")
    words = text_of(response)
    assert "Who paid in 2022/23" in words and "Global Digital Exemplar programme" in words


def test_someone_at_another_organisation_is_refused_in_words(signed_in, demo_funding):
    outsider = person(RoleName.APPROVER, org("R0A"))
    response = signed_in(outsider).get("/funding/RXN/")
    assert response.status_code == 403
    words = text_of(response)
    assert (
        "Your roles do not let you see this organisation's funding and IT spend at "
        "Lancashire Teaching Hospitals NHS Foundation Trust" in words
    )
    assert "£" not in words


def test_an_ics_lead_of_another_ics_is_refused_the_roll_up(signed_in, demo_funding):
    lead = person(RoleName.ICS_LEAD, org("QOP"))
    response = signed_in(lead).get("/funding/ics/QE1/")
    assert response.status_code == 403
    assert "Your roles do not let you see this organisation's funding" in text_of(response)
    assert signed_in(lead).get("/funding/ics/QOP/").status_code == 200


def test_the_approver_records_a_year_then_adds_and_removes_a_line(signed_in, approver):
    client = signed_in(approver)
    response = client.post(
        "/funding/RXN/record/",
        {
            "year": "2025/26",
            "total_expenditure": "£640,000,000",
            "it_revenue_spend": "9000000",
            "it_capital_spend": "4000000",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("?year=2025-26")
    year = FundingYear.objects.get(organisation=org("RXN"), year=2025)
    assert year.recorded_by == approver and year.total_expenditure == 640_000_000
    response = client.post(
        "/funding/RXN/lines/add/?year=2025-26",
        {
            "source": "frontline_digitisation",
            "funding_type": "capital",
            "amount": "2500000",
            "description": "EPR",
            "measure": "smart_foundations",
        },
    )
    assert response.status_code == 302
    line = FundingLine.objects.get()
    assert (line.source, line.kind, line.amount, line.measure) == (
        "frontline_digitisation",
        "capital",
        2_500_000,
        "smart_foundations",
    )
    words = text_of(client.get("/funding/RXN/"))
    assert "Frontline Digitisation programme" in words and "Ensure smart foundations" in words
    client.post("/funding/RXN/lines/remove/", {"line": line.pk})
    assert not FundingLine.objects.exists()


def test_the_form_refuses_it_spend_above_total_expenditure_by_field(signed_in, approver):
    response = signed_in(approver).post(
        "/funding/RXN/record/",
        {
            "year": "2025/26",
            "total_expenditure": "1000",
            "it_revenue_spend": "900",
            "it_capital_spend": "200",
        },
    )
    assert response.status_code == 200
    words = text_of(response)
    assert "There is a problem" in words
    assert "IT spend (revenue 900 + capital 200 = 1100) is above total expenditure (1000)" in words
    assert 'href="#id_it_capital_spend"' in response.content.decode()
    assert not FundingYear.objects.exists()


def test_the_form_refuses_a_negative_amount_and_a_far_future_year(signed_in, approver):
    client = signed_in(approver)
    words = text_of(
        client.post(
            "/funding/RXN/record/",
            {
                "year": "2025/26",
                "total_expenditure": "1000",
                "it_revenue_spend": "-5",
                "it_capital_spend": "0",
            },
        )
    )
    assert "-5 is negative" in words
    words = text_of(
        client.post(
            "/funding/RXN/record/",
            {
                "year": "2099/00",
                "total_expenditure": "1000",
                "it_revenue_spend": "5",
                "it_capital_spend": "0",
            },
        )
    )
    assert "2099/00 is after next financial year" in words
    assert not FundingYear.objects.exists()


def test_a_contributor_may_see_but_not_record(signed_in, demo_funding):
    client = signed_in(person(RoleName.CONTRIBUTOR, org("RXN")))
    assert "Record a year's IT spend" not in text_of(client.get("/funding/RXN/"))
    response = client.post(
        "/funding/RXN/record/",
        {
            "year": "2025/26",
            "total_expenditure": "1",
            "it_revenue_spend": "0",
            "it_capital_spend": "0",
        },
    )
    assert response.status_code == 403
    assert "Your roles do not let you record this organisation's funding" in text_of(response)
    assert FundingYear.objects.get(organisation=org("RXN"), year=2025).total_expenditure > 1


def test_the_download_loads_back_as_the_same_figures(signed_in, demo_funding, tmp_path):
    client = signed_in(person(RoleName.CONTRIBUTOR, org("RXN")))
    response = client.get("/funding/RXN/?download=csv")
    assert response["Content-Disposition"] == 'attachment; filename="funding-RXN.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {row[0] for row in rows[1:]} == {"RXN"} and len(rows) == 26
    before = sorted(
        FundingLine.objects.filter(funding_year__organisation=org("RXN")).values_list(
            "source", "kind", "amount", "measure", "domains"
        )
    )
    FundingYear.objects.filter(organisation=org("RXN")).delete()
    (tmp_path / "back.csv").write_bytes(response.content)
    import_funding(path=tmp_path / "back.csv")
    after = sorted(
        FundingLine.objects.filter(funding_year__organisation=org("RXN")).values_list(
            "source", "kind", "amount", "measure", "domains"
        )
    )
    assert after == before
    xlsx = client.get("/funding/RXN/?download=xlsx")
    assert xlsx.content[:2] == b"PK"


def test_the_organisation_page_links_to_funding_only_for_those_who_may_see_it(signed_in, reference):
    inside = signed_in(person(RoleName.CONTRIBUTOR, org("RXN"))).get("/organisations/RXN/")
    assert 'href="/funding/RXN/"' in inside.content.decode()
    outside = signed_in(person(RoleName.CONTRIBUTOR, org("R0A"))).get("/organisations/RXN/")
    assert 'href="/funding/RXN/"' not in outside.content.decode()


def test_the_ics_page_adds_up_its_members(signed_in, demo_funding):
    lead = person(RoleName.ICS_LEAD, org("QE1"))
    response = signed_in(lead).get("/funding/ics/QE1/?year=2024-25")
    words = text_of(response)
    assert "5 of 5" in words
    for name in (
        "Lancashire Teaching Hospitals",
        "Blackpool Teaching Hospitals",
        "East Lancashire Hospitals",
    ):
        assert name in words
    assert "Manchester University" not in words
    rows = list(
        csv.reader(
            io.StringIO(
                signed_in(lead).get("/funding/ics/QE1/?download=csv").content.decode("utf-8-sig")
            )
        )
    )
    assert rows[0][:4] == ["ics_ods_code", "year", "members", "members_recorded"]
    assert [row[1] for row in rows[1:]] == ["2022/23", "2023/24", "2024/25", "2025/26", "2026/27"]


def test_changing_a_years_totals_starts_from_what_is_recorded(signed_in, reference, approver):
    from decimal import Decimal

    from funding.services import record_year

    record_year(
        organisation=org("RXN"),
        year=2024,
        total_expenditure=Decimal(700_000_000),
        it_revenue_spend=Decimal(9_000_000),
        it_capital_spend=Decimal(5_000_000),
        by=approver,
    )
    client = signed_in(approver)
    assert "Change 2024/25's totals" in text_of(client.get("/funding/RXN/"))
    form = client.get("/funding/RXN/record/?year=2024-25").content.decode()
    assert 'value="2024/25"' in form and 'value="700000000.00"' in form

"""Recording funding through the services: who may, and what is refused."""

import datetime
from decimal import Decimal

import pytest

from accounts.models import RoleName
from funding import services
from funding.models import FundingLine, FundingYear
from funding.services import FundingError, LineValue, NotAllowed, record_year
from funding.tests.conftest import org, person

pytestmark = pytest.mark.django_db


def record(by, **overrides):
    values = {
        "organisation": org("RXN"),
        "year": 2025,
        "total_expenditure": Decimal(600_000_000),
        "it_revenue_spend": Decimal(9_000_000),
        "it_capital_spend": Decimal(3_000_000),
        **overrides,
    }
    return record_year(by=by, **values)


def test_the_approver_records_a_year_and_its_lines(approver):
    year = record(approver, lines=[LineValue("digital_aspirant", "capital", Decimal(1_000_000))])
    assert year.recorded_by == approver and year.it_spend == 12_000_000
    assert FundingLine.objects.get().funding_year == year
    record(approver, total_expenditure=Decimal(650_000_000))
    assert FundingYear.objects.get().total_expenditure == 650_000_000
    assert FundingLine.objects.count() == 1  # recorded again without lines: they are kept


@pytest.mark.parametrize(
    "role, where",
    [
        (RoleName.CONTRIBUTOR, "RXN"),
        (RoleName.ICS_LEAD, "QE1"),
        (RoleName.APPROVER, "RXL"),
        (RoleName.NATIONAL_ANALYST, None),
    ],
)
def test_only_the_organisations_approver_records_it(reference, role, where):
    someone = person(role, org(where) if where else None)
    with pytest.raises(NotAllowed, match="record this organisation's funding"):
        record(someone)
    assert not FundingYear.objects.exists()


@pytest.mark.parametrize(
    "overrides, field, words",
    [
        (
            {"it_capital_spend": Decimal(600_000_000)},
            "it_capital_spend",
            "is above total expenditure",
        ),
        (
            {"it_revenue_spend": Decimal(700_000_000)},
            "it_revenue_spend",
            "is above total expenditure",
        ),
        ({"it_revenue_spend": Decimal(-1)}, "it_revenue_spend", "-1 is negative"),
        ({"total_expenditure": Decimal(0)}, "total_expenditure", "is 0"),
        ({"year": services.current_financial_year() + 2}, "year", "is after next financial year"),
        ({"year": 1999}, "year", "1999/00 is before 2000/01"),
    ],
)
def test_bad_figures_are_refused_naming_the_field(approver, overrides, field, words):
    with pytest.raises(FundingError, match=words) as refused:
        record(approver, **overrides)
    assert refused.value.field == field
    assert not FundingYear.objects.exists()


@pytest.mark.parametrize(
    "line, field, words",
    [
        (
            LineValue("lottery", "capital", Decimal(5)),
            "source",
            "'lottery' is not a funding source",
        ),
        (LineValue("ics", "loan", Decimal(5)), "funding_type", "neither capital nor revenue"),
        (LineValue("ics", "capital", Decimal(-5)), "amount", "-5 is negative"),
        (
            LineValue("other_national", "capital", Decimal(5)),
            "description",
            "name the national programme",
        ),
        (
            LineValue("ics", "capital", Decimal(5), measure="wellbeing"),
            "measure",
            "'wellbeing' is not a success measure",
        ),
        (
            LineValue("ics", "capital", Decimal(5), measure="safe_practice", domains=("epr",)),
            "domains",
            "'epr' is not a domain of the measure 'safe_practice'",
        ),
        (LineValue("ics", "capital", Decimal(5), domains=("epr",)), "domains", "name the measure"),
    ],
)
def test_a_bad_line_is_refused_naming_the_field_and_the_year_is_untouched(
    approver, line, field, words
):
    year = record(approver)
    with pytest.raises(FundingError, match=words) as refused:
        services.add_line(funding_year=year, line=line, by=approver)
    assert refused.value.field == field
    assert not FundingLine.objects.exists()
    with pytest.raises(FundingError) as refused:
        record(approver, total_expenditure=Decimal(700_000_000), lines=[line])
    assert refused.value.field == f"lines[0].{field}"
    assert FundingYear.objects.get().total_expenditure == 600_000_000


def test_an_ics_records_no_funding_of_its_own(reference):
    admin = person(RoleName.PLATFORM_ADMIN)
    with pytest.raises(FundingError, match="is an integrated care board"):
        record(admin, organisation=org("QE1"))


def test_financial_years_are_read_in_either_spelling():
    assert services.parse_year("2025/26") == services.parse_year("2025-26") == 2025
    assert services.parse_year("1999/00") == 1999
    assert services.parse_year("2025/27") is None and services.parse_year("2025") is None
    assert services.parse_year("²²²²/26") is None and services.parse_year("2025/²⁶") is None
    assert services.current_financial_year(datetime.date(2027, 1, 5)) == 2026

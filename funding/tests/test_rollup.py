"""The ICS roll-up adds up its members, under the structure in force each
year; checked against a second, plain calculation from the rows."""

import datetime
from decimal import Decimal

import pytest

from accounts.models import RoleName
from funding import queries
from funding.models import FundingLine, FundingYear
from funding.services import LineValue, record_year
from funding.tests.conftest import org, person
from organisations.models import Membership
from organisations.queries import members_of
from organisations.tests.factories import IcbFactory, SuccessionFactory, TrustFactory

pytestmark = pytest.mark.django_db


def by_hand(ics_codes, year):
    """Sum every member's figures for the year in Python, finding the members
    as organisations.queries does (on the year's last day), one ICS at a time."""
    last_day = datetime.date(year + 1, 3, 31)
    members = set()
    for code in ics_codes:
        members |= set(members_of(org(code), on=last_day))
    sums = [Decimal(0)] * 3
    recorded = 0
    for funding_year in FundingYear.objects.all():
        if funding_year.year == year and funding_year.organisation in members:
            recorded += 1
            sums = [
                sums[0] + funding_year.total_expenditure,
                sums[1] + funding_year.it_revenue_spend,
                sums[2] + funding_year.it_capital_spend,
            ]
    by_source = {}
    for line in FundingLine.objects.all():
        funding_year = line.funding_year
        if funding_year.year == year and funding_year.organisation in members:
            key = (line.source, line.kind)
            by_source[key] = by_source.get(key, Decimal(0)) + line.amount
    return len(members), recorded, sums, by_source


def test_the_demo_ics_roll_up_equals_its_members_added_up_by_hand(demo_funding):
    lead = person(RoleName.ICS_LEAD, org("QE1"))
    rollup = queries.rollup(lead, org("QE1"))
    assert [y.year for y in rollup] == [2022, 2023, 2024, 2025, 2026]
    for year in rollup:
        members, recorded, sums, by_source = by_hand(["QE1"], year.year)
        assert (len(year.members), year.recorded) == (members, recorded) == (5, 5)
        assert [year.total_expenditure, year.it_revenue_spend, year.it_capital_spend] == sums
        assert {(r["source"], r["kind"]): r["amount"] for r in year.by_source} == by_source
    # the two Greater Manchester trusts in the demo file are not counted
    assert rollup[0].total_expenditure < sum(
        FundingYear.objects.filter(year=2022).values_list("total_expenditure", flat=True)
    )


def test_a_merged_ics_counts_its_predecessors_members_for_the_years_before(reference):
    """An ICS formed on 1 April 2026 from two others: its roll-up for 2025/26
    is their members then; for 2026/27, its own."""
    succession = SuccessionFactory()
    old, new = succession.predecessor, succession.successor
    other_old = IcbFactory(closed_on=datetime.date(2026, 3, 31))
    SuccessionFactory(predecessor=other_old, successor=new)
    a = TrustFactory(membership__ics=old)
    b = TrustFactory(membership__ics=other_old)
    leaver = TrustFactory(membership__ics=old)
    for trust in (a, b):
        Membership.objects.filter(organisation=trust).update(valid_to=datetime.date(2026, 3, 31))
        Membership.objects.create(organisation=trust, ics=new, valid_from=datetime.date(2026, 4, 1))
    Membership.objects.filter(organisation=leaver).update(valid_to=datetime.date(2026, 3, 31))
    admin = person(RoleName.PLATFORM_ADMIN)
    for trust, total in ((a, 100), (b, 200), (leaver, 400)):
        for year in (2025, 2026):
            record_year(
                organisation=trust,
                year=year,
                total_expenditure=Decimal(total),
                it_revenue_spend=Decimal(total // 50),
                it_capital_spend=Decimal(1),
                by=admin,
                lines=[LineValue(source="ics", kind="revenue", amount=Decimal(total // 100))],
            )
    rollup = {y.year: y for y in queries.rollup(admin, new)}
    assert rollup[2025].total_expenditure == 700 and len(rollup[2025].members) == 3
    assert rollup[2026].total_expenditure == 300 and len(rollup[2026].members) == 2
    for year in (2025, 2026):
        codes = [new.ods_code] + ([old.ods_code, other_old.ods_code] if year == 2025 else [])
        _, recorded, sums, by_source = by_hand(codes, year)
        assert rollup[year].recorded == recorded
        assert [
            rollup[year].total_expenditure,
            rollup[year].it_revenue_spend,
            rollup[year].it_capital_spend,
        ] == sums
        assert {(r["source"], r["kind"]): r["amount"] for r in rollup[year].by_source} == by_source
    # the new ICS's lead sees the years its members were in a predecessor too,
    # but not the leaver's after it left
    lead = person(RoleName.ICS_LEAD, new)
    assert queries.rollup(lead, new)[-2].total_expenditure == 700
    assert [y.year for y in queries.years_of(lead, leaver)] == [2025]

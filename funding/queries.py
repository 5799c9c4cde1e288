"""Reads for funding, always through ``accounts.policy.funding_scope``: an
organisation's years, its peers' median IT share, and an ICS's roll-up."""

from dataclasses import dataclass, field
from decimal import Decimal
from statistics import median

from django.db.models import Count, Sum
from django.http import Http404

from accounts.policy import financial_year_ends, funding_scope, ics_and_predecessors
from funding.models import FundingLine, FundingYear
from funding.services import current_financial_year
from organisations.models import Membership, Organisation
from organisations.queries import in_force_on

YEARS_SHOWN = 5
# Fewer peers than this and a median would all but name them.
FEWEST_PEERS = 5
BENCHMARK_PERCENT = Decimal(5)  # National Audit Office, Digital transformation in the NHS, 2020


def share(part, whole):
    """``part`` as a percentage of ``whole``; None without a whole."""
    if not whole:
        return None
    return Decimal(part) * 100 / Decimal(whole)


@dataclass(frozen=True)
class PeerMedian:
    """The median IT share of the other organisations that recorded theirs."""

    count: int
    percent: Decimal | None

    @property
    def too_few(self):
        return self.count < FEWEST_PEERS


def _all_years():
    return list(FundingYear.objects.values_list("year", flat=True).distinct())


def visible_years(user):
    """The funding years the user may see."""
    return FundingYear.objects.filter(funding_scope(user, _all_years()))


def years_of(user, organisation):
    """The organisation's recorded years the user may see, oldest first, with
    their funding lines."""
    return list(
        visible_years(user)
        .filter(organisation=organisation)
        .prefetch_related("lines")
        .order_by("year")
    )


def year_of(user, organisation, year):
    found = [y for y in years_of(user, organisation) if y.year == year]
    if not found:
        raise Http404(f"No funding is recorded for {organisation.name} in that year.")
    return found[0]


def line_of(user, organisation, line_id):
    line = (
        FundingLine.objects.filter(
            funding_year__in=visible_years(user).filter(organisation=organisation), pk=line_id
        )
        .select_related("funding_year__organisation")
        .first()
    )
    if line is None:
        raise Http404("There is no such funding line.")
    return line


def hidden_year_count(user, organisation):
    """Years recorded for the organisation that the user's reach does not
    cover (an ICS lead sees only the years it was in their ICS)."""
    recorded = FundingYear.objects.filter(organisation=organisation).count()
    return recorded - visible_years(user).filter(organisation=organisation).count()


def span(recorded_years):
    """At least five years, oldest first, ending with the latest recorded
    (or the current financial year when none is)."""
    last = max(recorded_years, default=current_financial_year())
    first = min([*recorded_years, last - YEARS_SHOWN + 1])
    return list(range(first, last + 1))


def peer_medians(organisation, years):
    """For each year, the median IT share of every other organisation that
    recorded theirs. Only the median and the count are ever shown."""
    shares = {year: [] for year in years}
    others = (
        FundingYear.objects.filter(year__in=years)
        .exclude(organisation=organisation)
        .values_list("year", "total_expenditure", "it_revenue_spend", "it_capital_spend")
    )
    for year, total, revenue, capital in others:
        shares[year].append(share(revenue + capital, total))
    return {
        year: PeerMedian(len(found), median(found) if len(found) >= FEWEST_PEERS else None)
        for year, found in shares.items()
    }


# The ICS roll-up


@dataclass
class RollupYear:
    year: int
    members: list
    recorded: int = 0
    total_expenditure: Decimal = Decimal(0)
    it_revenue_spend: Decimal = Decimal(0)
    it_capital_spend: Decimal = Decimal(0)
    by_source: list = field(default_factory=list)

    @property
    def it_spend(self):
        return self.it_revenue_spend + self.it_capital_spend


def members_in(ics, year):
    """The organisations in the ICS, or in an ICS that became it, at the end
    of the financial year."""
    memberships = Membership.objects.filter(
        in_force_on(financial_year_ends(year)), ics_id__in=ics_and_predecessors(ics.pk)
    )
    return Organisation.objects.filter(pk__in=memberships.values("organisation_id")).order_by(
        "name"
    )


def rollup(user, ics):
    """Each year's sums over the ICS's members that recorded funding, under
    the structure in force that year, as far as the user may see."""
    ever = Membership.objects.filter(ics_id__in=ics_and_predecessors(ics.pk)).values(
        "organisation_id"
    )
    recorded = list(
        visible_years(user)
        .filter(organisation_id__in=ever)
        .values_list("year", flat=True)
        .distinct()
    )
    return [_rollup_year(user, ics, year) for year in span(recorded)]


def _rollup_year(user, ics, year):
    members = list(members_in(ics, year))
    years = visible_years(user).filter(year=year, organisation__in=members)
    sums = years.aggregate(
        recorded=Count("pk"),
        total=Sum("total_expenditure"),
        revenue=Sum("it_revenue_spend"),
        capital=Sum("it_capital_spend"),
    )
    by_source = list(
        FundingLine.objects.filter(funding_year__in=years)
        .values("source", "kind")
        .annotate(amount=Sum("amount"))
        .order_by("source", "kind")
    )
    return RollupYear(
        year=year,
        members=members,
        recorded=sums["recorded"],
        total_expenditure=sums["total"] or Decimal(0),
        it_revenue_spend=sums["revenue"] or Decimal(0),
        it_capital_spend=sums["capital"] or Decimal(0),
        by_source=by_source,
    )


def member_years(user, ics, year):
    """``(member, its funding year or None)`` for each member in that year."""
    members = list(members_in(ics, year))
    recorded = {
        y.organisation_id: y
        for y in visible_years(user).filter(year=year, organisation__in=members)
    }
    return [(member, recorded.get(member.pk)) for member in members]

"""Funding: an organisation's IT spend and funding lines, and an ICS's
roll-up, for those who may see them (the organisation, its ICS, national roles)."""

from decimal import Decimal

from ninja import Field, Router, Schema

from accounts.policy import Permission, require_api_permission
from api.schemas import ERRORS
from funding import queries
from funding.models import financial_year
from organisations.queries import ics_by_code, organisation_by_code

router = Router(tags=["Funding"])


class LineOut(Schema):
    source: str
    source_name: str
    funding_type: str = Field(description="capital or revenue")
    amount: Decimal = Field(description="In pounds.")
    description: str
    measure: str = Field(description="The success measure whose gap it is meant to close, if any.")
    domains: list[str]


class PeersOut(Schema):
    count: int = Field(description="How many other organisations recorded their figures that year.")
    median_percent: Decimal | None = Field(
        description="Their median IT share; empty when fewer than 5 recorded theirs."
    )


class YearOut(Schema):
    year: str = Field(description="The financial year, e.g. 2025/26")
    total_expenditure: Decimal
    it_revenue_spend: Decimal
    it_capital_spend: Decimal
    it_share_percent: Decimal
    benchmark_percent: Decimal
    peers: PeersOut
    lines: list[LineOut]


class OrganisationFundingOut(Schema):
    ods_code: str
    name: str
    years: list[YearOut]


class RollupYearOut(Schema):
    year: str
    members: list[str] = Field(description="ODS codes of its members at the end of the year.")
    members_recorded: int
    total_expenditure: Decimal
    it_revenue_spend: Decimal
    it_capital_spend: Decimal
    it_share_percent: Decimal | None


class RollupOut(Schema):
    ods_code: str
    name: str
    years: list[RollupYearOut]


def _percent(value):
    return None if value is None else round(value, 2)


@router.get(
    "/ics/{ods_code}", response={200: RollupOut, **ERRORS}, summary="An ICS's members added up"
)
def ics_rollup(request, ods_code: str):
    ics = ics_by_code(ods_code)
    require_api_permission(request.user, Permission.VIEW_FUNDING, organisation=ics)
    years = [
        {
            "year": financial_year(y.year),
            "members": [m.ods_code for m in y.members],
            "members_recorded": y.recorded,
            "total_expenditure": y.total_expenditure,
            "it_revenue_spend": y.it_revenue_spend,
            "it_capital_spend": y.it_capital_spend,
            "it_share_percent": _percent(queries.share(y.it_spend, y.total_expenditure)),
        }
        for y in queries.rollup(request.user, ics)
    ]
    return {"ods_code": ics.ods_code, "name": ics.name, "years": years}


@router.get(
    "/{ods_code}",
    response={200: OrganisationFundingOut, **ERRORS},
    summary="An organisation's IT spend and funding",
)
def organisation_funding(request, ods_code: str):
    organisation = organisation_by_code(ods_code)
    require_api_permission(request.user, Permission.VIEW_FUNDING, organisation=organisation)
    funding_years = queries.years_of(request.user, organisation)
    peers = queries.peer_medians(organisation, [y.year for y in funding_years])
    return {
        "ods_code": organisation.ods_code,
        "name": organisation.name,
        "years": [_year(y, peers[y.year]) for y in funding_years],
    }


def _year(funding_year, peer):
    return {
        "year": financial_year(funding_year.year),
        "total_expenditure": funding_year.total_expenditure,
        "it_revenue_spend": funding_year.it_revenue_spend,
        "it_capital_spend": funding_year.it_capital_spend,
        "it_share_percent": _percent(
            queries.share(funding_year.it_spend, funding_year.total_expenditure)
        ),
        "benchmark_percent": queries.BENCHMARK_PERCENT,
        "peers": {"count": peer.count, "median_percent": _percent(peer.percent)},
        "lines": [
            {
                "source": line.source,
                "source_name": line.get_source_display(),
                "funding_type": line.kind,
                "amount": line.amount,
                "description": line.description,
                "measure": line.measure,
                "domains": line.domains,
            }
            for line in funding_year.lines.all()
        ],
    }

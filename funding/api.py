"""Funding: an organisation's IT spend and funding lines, and an ICS's
roll-up, for those who may see them (the organisation, its ICS, national roles)."""

from decimal import Decimal
from typing import Annotated

from ninja import Field, Router, Schema, Status
from pydantic import BeforeValidator, WithJsonSchema

from accounts.policy import Permission, require_api_permission
from core.api_schemas import FORBIDDEN, Error
from funding import queries, services
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


def _number_not_text(value):
    if isinstance(value, str | bool):
        raise ValueError("Input should be a number, not text or true or false")
    return value


# Pounds as a JSON number, as described: text and true/false are refused.
Pounds = Annotated[Decimal, BeforeValidator(_number_not_text), WithJsonSchema({"type": "number"})]


class LineIn(Schema):
    source: str = Field(description="One of " + services.sources_in_words())
    funding_type: str = Field(description="capital or revenue")
    amount: Pounds = Field(description="In pounds, above 0.")
    description: str = ""
    measure: str = Field("", description="The success measure whose gap it is meant to close.")
    domains: list[str] = Field(default_factory=list, description="Domains of that measure.")


class YearIn(Schema):
    total_expenditure: Pounds = Field(description="In pounds.")
    it_revenue_spend: Pounds
    it_capital_spend: Pounds
    lines: list[LineIn] = Field(
        description="Every funding line for the year: they replace any recorded."
    )


class FundingFieldError(Error):
    """The one error shape, naming the field at fault."""

    field: str | None = Field(None, description="The field at fault, such as lines[0].amount.")


def _percent(value):
    return None if value is None else round(value, 2)


@router.get("/ics/{ods_code}", response=RollupOut, summary="An ICS's members added up")
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
    response=OrganisationFundingOut,
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


@router.put(
    "/{ods_code}/years/{year}",
    response={200: YearOut, 400: FundingFieldError, **FORBIDDEN},
    summary="Record a year's IT spend and funding lines",
)
def put_year(request, ods_code: str, year: str, payload: YearIn):
    """Create or replace the year (written like 2025-26) with its funding lines,
    all or nothing. Only the organisation's approver may."""
    organisation = organisation_by_code(ods_code)
    require_api_permission(request.user, Permission.RECORD_FUNDING, organisation=organisation)
    start = services.parse_year(year)
    if start is None:
        return Status(
            400, {"detail": f"{year!r} is not a financial year like 2025-26", "field": "year"}
        )
    lines = [
        services.LineValue(
            source=services.source_named(line.source) or line.source,
            kind=line.funding_type.lower(),
            amount=line.amount,
            description=line.description,
            measure=line.measure,
            domains=tuple(line.domains),
        )
        for line in payload.lines
    ]
    try:
        services.record_year(
            organisation=organisation,
            year=start,
            total_expenditure=payload.total_expenditure,
            it_revenue_spend=payload.it_revenue_spend,
            it_capital_spend=payload.it_capital_spend,
            lines=lines,
            by=request.user,
        )
    except services.NotAllowed as error:
        return Status(403, {"detail": error.message})
    except services.FundingError as error:
        return Status(400, {"detail": error.message, "field": error.field})
    funding_year = queries.year_of(request.user, organisation, start)
    return _year(funding_year, queries.peer_medians(organisation, [start])[start])

"""Organisations and their ICS membership, as open data behind a token."""

import math
from datetime import date

from django.core.paginator import Paginator
from django.http import Http404
from ninja import Field, Query, Router, Schema

from core.api_schemas import NOT_FOUND
from organisations import queries
from organisations.models import OrganisationType

router = Router(tags=["Organisations"])


class IcsOut(Schema):
    ods_code: str
    name: str


class OrganisationOut(Schema):
    ods_code: str
    name: str
    type: OrganisationType
    type_name: str
    region: str
    care_settings: list[str]
    ics: IcsOut | None = Field(description="Its ICS today, or its last one if it has closed.")
    opened_on: date | None
    closed_on: date | None

    @staticmethod
    def resolve_type(organisation):
        return organisation.org_type

    @staticmethod
    def resolve_type_name(organisation):
        return organisation.get_org_type_display()

    @staticmethod
    def resolve_ics(organisation):
        if not organisation.ics_code:
            return None
        return {"ods_code": organisation.ics_code, "name": organisation.ics_name}


class MembershipOut(Schema):
    ics: IcsOut
    valid_from: date
    valid_to: date | None = Field(description="Empty while the membership continues.")


class SuccessionOut(Schema):
    ods_code: str
    name: str
    effective_on: date
    type: str


class OrganisationDetailOut(OrganisationOut):
    memberships: list[MembershipOut]
    predecessors: list[SuccessionOut]
    successors: list[SuccessionOut]

    @staticmethod
    def resolve_memberships(organisation):
        return list(queries.memberships_of(organisation))

    @staticmethod
    def resolve_predecessors(organisation):
        return [_succession(s.predecessor, s) for s in queries.predecessors_of(organisation)]

    @staticmethod
    def resolve_successors(organisation):
        return [_succession(s.successor, s) for s in queries.successors_of(organisation)]


def _succession(organisation, succession):
    return {
        "ods_code": organisation.ods_code,
        "name": organisation.name,
        "effective_on": succession.effective_on,
        "type": succession.succession_type,
    }


class OrganisationPage(Schema):
    count: int
    page: int
    pages: int
    results: list[OrganisationOut]


class OrganisationFilters(Schema):
    q: str = Field("", description="Part of the name or ODS code, any case.")
    type: OrganisationType | None = None
    ics: str = Field("", description="The ODS code of an ICS (its integrated care board).")
    region: str = ""
    include_closed: bool = False
    page: int = Field(1, ge=1)
    page_size: int = Field(50, ge=1, le=200)


@router.get("", response={200: OrganisationPage, **NOT_FOUND}, summary="List organisations")
def list_organisations(request, filters: Query[OrganisationFilters]):
    """Open organisations by name (closed ones too with `include_closed=true`),
    each with the ICS it belongs to today."""
    found = queries.organisations(
        q=filters.q,
        org_type=filters.type or "",
        ics=filters.ics,
        region=filters.region,
        include_closed=filters.include_closed,
    )
    paginator = Paginator(found, filters.page_size)
    pages = math.ceil(paginator.count / filters.page_size)
    if filters.page > max(pages, 1):
        raise Http404(f"Page {filters.page} does not exist: there are {pages} pages of results.")
    return {
        "count": paginator.count,
        "page": filters.page,
        "pages": pages,
        "results": list(paginator.page(filters.page)),
    }


@router.get("/{ods_code}", response=OrganisationDetailOut, summary="One organisation")
def organisation(request, ods_code: str):
    """An organisation with its ICS membership history and successions."""
    return queries.organisation_by_code(ods_code)

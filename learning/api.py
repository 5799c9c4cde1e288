"""Blueprints and redprints, their journey updates and perspectives, through
the API, with the same rules as the pages. Anonymous entries give
"An NHS organisation" as their author and their dates to the month."""

import math

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import StrictBool

from accounts.policy import Permission, require_api_permission
from core.api_schemas import CSV, NOT_FOUND
from core.tables import table_response
from learning import presenters, queries, services
from learning.models import EntryKind, Outcome, PerspectiveRole
from learning.search import search
from organisations.models import OrganisationType

router = Router(tags=["Learning library"])


class EntryOut(Schema):
    reference: str
    url: str
    kind: str
    title: str
    anonymous: bool
    author: str = Field(description="“An NHS organisation” when anonymous.")
    organisation_ods_code: str = Field(description="Empty when anonymous.")
    published: str = Field(description="YYYY-MM-DD, or YYYY-MM when anonymous.")
    last_updated: str = Field(description="YYYY-MM-DD, or YYYY-MM when anonymous.")
    outcome: str
    topics: list[str]
    measures: list[str]
    suppliers: list[str]
    applies_to: list[str]
    summary: str
    context: str
    what_was_done: str
    what_went_well: str
    what_went_wrong: str
    do_differently: str
    costs_and_timescales: str
    suppliers_and_products: str
    outcomes: str
    links: str
    status: str
    snippet: str = Field("", description="With a search: the matching words, in plain text.")


class UpdateOut(Schema):
    title: str
    body: str
    posted: str = Field(description="YYYY-MM-DD, or YYYY-MM when the entry is anonymous.")


class PerspectiveOut(Schema):
    role: str
    role_name: str
    body: str
    status: str


class EntryDetailOut(EntryOut):
    updates: list[UpdateOut]
    perspectives: list[PerspectiveOut]
    perspectives_missing: list[str]


class EntryPage(Schema):
    count: int
    page: int
    pages: int
    results: list[EntryOut]


class EntryFilters(Schema):
    q: str = Field("", max_length=200, description="Words to search for.")
    kind: EntryKind | None = None
    topic: str = ""
    measure: str = ""
    supplier: str = ""
    outcome: Outcome | None = None
    org_type: str = Field("", description="An organisation type the entry applies to.")
    page: int = Field(1, ge=1)
    page_size: int = Field(50, ge=1, le=200)


class EntryIn(Schema):
    organisation: str = Field(
        "", description="ODS code of the organisation you write for; needed if you have several."
    )
    kind: EntryKind
    title: str = Field(min_length=1)
    summary: str = ""
    context: str = ""
    what_was_done: str = ""
    what_went_well: str = ""
    what_went_wrong: str = ""
    do_differently: str = ""
    costs_and_timescales: str = ""
    suppliers_and_products: str = ""
    outcomes: str = ""
    links: str = ""
    outcome: Outcome | None = None
    topics: list[str] = []
    measures: list[str] = []
    suppliers: list[str] = []
    org_types: list[OrganisationType] = []
    anonymous: StrictBool = False
    show_org_type: StrictBool = False


class UpdateIn(Schema):
    title: str = Field(min_length=1)
    body: str = Field(min_length=1)


class PerspectiveIn(Schema):
    role: PerspectiveRole
    body: str = Field(min_length=1)


class Created(Schema):
    detail: str


def _record(entry, snippet=""):
    return {
        **presenters.public_record(entry),
        "status": entry.status,
        "snippet": str(snippet).replace("<mark>", "").replace("</mark>", ""),
    }


def _detail(access):
    entry = access.entry
    perspectives = list(queries.approved_perspectives(entry))
    return {
        **_record(entry),
        "updates": [
            {"title": u.title, "body": u.body, "posted": presenters.iso_when(entry, u.posted_at)}
            for u in queries.updates_of(entry)
        ],
        "perspectives": [
            {
                "role": p.role,
                "role_name": p.get_role_display(),
                "body": p.body,
                "status": p.status,
            }
            for p in perspectives
        ],
        "perspectives_missing": presenters.perspective_coverage(perspectives)["missing"],
    }


def _refused(error):
    return HttpError(
        400,
        "Check your request and send it again. "
        + " ".join(
            f"{field}: {message}"
            for field, messages in error.message_dict.items()
            for message in messages
        ),
    )


@router.get("/entries", response={200: EntryPage, **NOT_FOUND}, summary="List or search entries")
def list_entries(request, filters: Query[EntryFilters]):
    """Published blueprints and redprints, most recently active first; with `q`,
    the best matches first, each with a snippet."""
    entries = queries.library(
        kind=filters.kind or "",
        topic=filters.topic,
        measure=filters.measure,
        supplier=filters.supplier,
        outcome=filters.outcome or "",
        org_type=filters.org_type,
    )
    if filters.q.strip():
        records = [_record(hit.entry, hit.snippet) for hit in search(filters.q, entries)]
    else:
        records = [_record(entry) for entry in entries]
    paginator = Paginator(records, filters.page_size)
    pages = math.ceil(paginator.count / filters.page_size)
    if filters.page > max(pages, 1):
        raise Http404(f"Page {filters.page} does not exist: there are {pages} pages of results.")
    return {
        "count": paginator.count,
        "page": filters.page,
        "pages": pages,
        "results": list(paginator.page(filters.page)) if records else [],
    }


@router.get(
    "/export.csv",
    response={200: None},
    openapi_extra={"responses": CSV},
    summary="Every published entry as CSV",
)
def export(request):
    """The same columns as the CSV download on the library page."""
    return table_response(
        "blueprints-and-redprints.csv",
        presenters.CSV_COLUMNS,
        (presenters.csv_row(entry) for entry in queries.library()),
    )


@router.get("/entries/{reference}", response=EntryDetailOut, summary="One entry")
def entry(request, reference: str):
    """An entry with its journey updates and approved perspectives."""
    return _detail(queries.entry_for(request.user, reference))


@router.get(
    "/entries/{reference}/updates",
    response=list[UpdateOut],
    summary="An entry's journey updates",
)
def updates(request, reference: str):
    return _detail(queries.entry_for(request.user, reference))["updates"]


@router.get(
    "/entries/{reference}/perspectives",
    response=list[PerspectiveOut],
    summary="An entry's approved perspectives",
)
def perspectives(request, reference: str):
    return _detail(queries.entry_for(request.user, reference))["perspectives"]


@router.post("/entries", response={201: EntryDetailOut}, summary="Write a draft")
def create_entry(request, payload: EntryIn):
    """A draft blueprint or redprint for your organisation, seen only by its
    people until it is published on the entry's page."""
    require_api_permission(request.user, Permission.WRITE_LEARNING)
    organisations = {o.ods_code: o for o in queries.writing_organisations(request.user)}
    if not organisations:
        raise HttpError(403, "You need a role at an organisation to write for the library.")
    code = payload.organisation.upper() or (
        next(iter(organisations)) if len(organisations) == 1 else ""
    )
    if code not in organisations:
        raise HttpError(
            400,
            "Check your request and send it again. organisation: give the ODS code of one of "
            f"the organisations you write for: {', '.join(sorted(organisations))}.",
        )
    organisation = organisations[code]
    content = payload.dict()
    content.pop("organisation")
    content["outcome"] = content["outcome"] or ""
    try:
        created = services.create_entry(by=request.user, organisation=organisation, content=content)
    except ValidationError as error:
        raise _refused(error) from error
    return Status(201, _detail(queries.entry_for(request.user, created.reference)))


@router.post(
    "/entries/{reference}/updates",
    response={201: UpdateOut},
    summary="Post a journey update",
)
def post_update(request, reference: str, payload: UpdateIn):
    """For the entry's own organisation."""
    entry = queries.entry_for_editing(request.user, reference)
    if entry is None:
        raise Http404(f"There is no entry “{reference}” that you can change.")
    try:
        update = services.post_update(entry=entry, by=request.user, **payload.dict())
    except ValidationError as error:
        raise _refused(error) from error
    return Status(
        201,
        {
            "title": update.title,
            "body": update.body,
            "posted": presenters.iso_when(entry, update.posted_at),
        },
    )


@router.post(
    "/entries/{reference}/perspectives",
    response={201: Created},
    summary="Add a perspective",
)
def add_perspective(request, reference: str, payload: PerspectiveIn):
    """A perspective, shown with your role only once a moderator approves it."""
    require_api_permission(request.user, Permission.ADD_PERSPECTIVE)
    access = queries.entry_for(request.user, reference)
    try:
        services.add_perspective(entry=access.entry, by=request.user, **payload.dict())
    except ValidationError as error:
        raise _refused(error) from error
    return Status(
        201, {"detail": "Thank you. Your perspective will show once a moderator approves it."}
    )

"""Organisation pages. Organisation facts are open data, so these pages are public."""

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.policy import Permission, has_permission
from core.tables import parse_date
from organisations import presenters, queries
from organisations.forms import OrganisationSearch

PAGE_SIZE = 50


def index(request):
    form = OrganisationSearch(request.GET, icss=queries.icss(), regions=queries.regions())
    found = queries.organisations(**form.filters())
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "organisations/index.jinja",
        {
            "fields": presenters.search_fields(form),
            "error_summary": presenters.error_summary(form),
            "page": page,
            "rows": presenters.organisation_rows(page),
            "pagination": presenters.pagination(page, query),
            "breadcrumbs": presenters.breadcrumbs(within_list=False),
        },
    )


def detail(request, ods_code):
    organisation = queries.organisation_by_code(ods_code)
    if organisation.is_ics:
        return redirect("organisations:ics", organisation.ods_code)
    ics = queries.ics_of(organisation, on=_last_open_day(organisation))
    return render(
        request,
        "organisations/detail.jinja",
        {
            "organisation": organisation,
            "summary": presenters.organisation_summary(organisation, ics=ics),
            "memberships": presenters.membership_rows(queries.memberships_of(organisation)),
            "formed_from": presenters.formed_from(
                organisation, queries.predecessors_of(organisation)
            ),
            "became": presenters.became(organisation, queries.successors_of(organisation)),
            "breadcrumbs": presenters.breadcrumbs(
                *([(ics.name, presenters.page_for(ics))] if ics else [])
            ),
            "sees_funding": has_permission(
                request.user, Permission.VIEW_FUNDING, organisation=organisation
            ),
        },
    )


def ics(request, ods_code):
    ics = queries.ics_by_code(ods_code)
    on = _last_open_day(ics)
    error_summary = None
    if "on" in request.GET:
        chosen = parse_date(request.GET["on"])
        if chosen is None:
            error_summary = [{"text": "Enter a date like 2025-04-01", "href": "#on"}]
        else:
            on = chosen
    return render(
        request,
        "organisations/ics.jinja",
        {
            "ics": ics,
            "summary": presenters.ics_summary(ics),
            "formed_from": presenters.formed_from(ics, queries.predecessors_of(ics)),
            "became": presenters.became(ics, queries.successors_of(ics)),
            "on": on,
            "on_value": request.GET.get("on", on.isoformat()),
            "member_groups": presenters.member_groups(queries.members_of(ics, on=on)),
            "error_summary": error_summary,
            "breadcrumbs": presenters.breadcrumbs(),
            "sees_funding": has_permission(request.user, Permission.VIEW_FUNDING, organisation=ics),
        },
    )


def _last_open_day(organisation):
    """Today, or the day it closed: a closed organisation is shown as it last was."""
    today = timezone.localdate()
    return min(today, organisation.closed_on) if organisation.closed_on else today

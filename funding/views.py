"""Funding pages: an organisation's IT spend and who paid for it, recorded by
its approver; an ICS's roll-up of its members. Seen by the organisation, its
ICS and national roles only; anyone else is told why in words."""

import re

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.policy import Permission, has_permission, refusal
from core.forms import error_summary
from funding import presenters, queries, services
from funding.forms import LineForm, YearChooserForm, YearForm
from funding.models import financial_year as year_name
from learning.vocabulary import measures as current_measures
from organisations.queries import ics_by_code, ics_of, organisation_by_code


def _refused(request, permission, organisation):
    return render(
        request,
        "funding/refused.jinja",
        {"reason": refusal(permission, organisation), "organisation": organisation},
        status=403,
    )


def _page(organisation, year=None):
    url = reverse("funding:organisation", args=[organisation.ods_code])
    return f"{url}?year={presenters.year_slug(year)}" if year is not None else url


@login_required
def organisation(request, ods_code):
    organisation = organisation_by_code(ods_code)
    if organisation.is_ics:
        return redirect("funding:ics", organisation.ods_code)
    if not has_permission(request.user, Permission.VIEW_FUNDING, organisation=organisation):
        return _refused(request, Permission.VIEW_FUNDING, organisation)
    funding_years = queries.years_of(request.user, organisation)
    if "download" in request.GET:
        response = presenters.download(
            request.GET["download"],
            f"funding-{organisation.ods_code}",
            presenters.IMPORT_COLUMNS,
            presenters.import_rows(funding_years),
        )
        if response is None:
            raise Http404("Downloads are csv or xlsx.")
        return response
    recorded = {y.year: y for y in funding_years}
    years = queries.span(list(recorded))
    peers = queries.peer_medians(organisation, years)
    asked = services.parse_year(request.GET.get("year", ""))
    chosen = recorded.get(asked) or (funding_years[-1] if funding_years else None)
    measures = current_measures()
    may_record = has_permission(request.user, Permission.RECORD_FUNDING, organisation=organisation)
    latest = funding_years[-1] if funding_years else None
    return render(
        request,
        "funding/organisation.jinja",
        {
            "organisation": organisation,
            "headline": presenters.headline(latest, peers.get(latest.year) if latest else None),
            "spend": presenters.spend_figures(years, recorded),
            "share": presenters.share_figures(years, recorded, peers),
            "chosen": chosen,
            "chosen_name": year_name(chosen.year) if chosen else "",
            "chosen_slug": presenters.year_slug(chosen.year) if chosen else "",
            "year_form": YearChooserForm(
                years=[y.year for y in funding_years], chosen=chosen.year if chosen else None
            ),
            "lines": presenters.line_rows(chosen, measures, removable=may_record) if chosen else [],
            "line_head": presenters.LINE_HEAD,
            "mix": presenters.year_mix(chosen) if chosen else [],
            "mix_head": presenters.MIX_HEAD,
            "may_record": may_record,
            "hidden": queries.hidden_year_count(request.user, organisation),
            "ics_page": _ics_page_for(request.user, organisation),
            "source": presenters.BENCHMARK_SOURCE,
        },
    )


def _ics_page_for(user, organisation):
    ics = ics_of(organisation)
    if ics and has_permission(user, Permission.VIEW_FUNDING, organisation=ics):
        return {"name": ics.name, "href": reverse("funding:ics", args=[ics.ods_code])}
    return None


@login_required
def record(request, ods_code):
    organisation = organisation_by_code(ods_code)
    if not has_permission(request.user, Permission.RECORD_FUNDING, organisation=organisation):
        return _refused(request, Permission.RECORD_FUNDING, organisation)
    initial = {}
    asked = services.parse_year(request.GET.get("year", ""))
    if asked is not None:
        found = [y for y in queries.years_of(request.user, organisation) if y.year == asked]
        if found:
            initial = {
                "year": year_name(asked),
                "total_expenditure": found[0].total_expenditure,
                "it_revenue_spend": found[0].it_revenue_spend,
                "it_capital_spend": found[0].it_capital_spend,
            }
    form = YearForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            funding_year = services.record_year(
                organisation=organisation, by=request.user, **form.cleaned_data
            )
        except services.FundingError as error:
            _show_refusal(form, error)
        else:
            return redirect(_page(organisation, funding_year.year))
    return render(
        request,
        "funding/record.jinja",
        {
            "organisation": organisation,
            "form": form,
            "back": _page(organisation),
            "error_summary": error_summary(form),
        },
    )


def _show_refusal(form, error):
    """A service's refusal, at its field on the form (or the whole form)."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


@login_required
def add_line(request, ods_code):
    organisation = organisation_by_code(ods_code)
    if not has_permission(request.user, Permission.RECORD_FUNDING, organisation=organisation):
        return _refused(request, Permission.RECORD_FUNDING, organisation)
    funding_years = queries.years_of(request.user, organisation)
    if not funding_years:
        return redirect("funding:record", organisation.ods_code)
    asked = services.parse_year(request.GET.get("year", ""))
    funding_year = next((y for y in funding_years if y.year == asked), funding_years[-1])
    form = LineForm(request.POST or None, measures=current_measures())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        line = services.LineValue(
            source=data["source"],
            kind=data["funding_type"],
            amount=data["amount"],
            description=data["description"],
            measure=data["measure"],
        )
        try:
            services.add_line(funding_year=funding_year, line=line, by=request.user)
        except services.FundingError as error:
            _show_refusal(form, error)
        else:
            return redirect(_page(organisation, funding_year.year))
    return render(
        request,
        "funding/line.jinja",
        {
            "organisation": organisation,
            "form": form,
            "year_name": year_name(funding_year.year),
            "back": _page(organisation, funding_year.year),
            "error_summary": error_summary(form),
        },
    )


@login_required
@require_POST
def remove_line(request, ods_code):
    organisation = organisation_by_code(ods_code)
    if not has_permission(request.user, Permission.RECORD_FUNDING, organisation=organisation):
        return _refused(request, Permission.RECORD_FUNDING, organisation)
    line_id = request.POST.get("line", "")
    if not re.fullmatch(r"\d{1,18}", line_id, re.ASCII):
        raise Http404("There is no such funding line.")
    line = queries.line_of(request.user, organisation, int(line_id))
    services.remove_line(line=line, by=request.user)
    return redirect(_page(organisation, line.funding_year.year))


@login_required
def ics(request, ods_code):
    ics = ics_by_code(ods_code)
    if not has_permission(request.user, Permission.VIEW_FUNDING, organisation=ics):
        return _refused(request, Permission.VIEW_FUNDING, ics)
    rollup = queries.rollup(request.user, ics)
    if "download" in request.GET:
        response = presenters.download(
            request.GET["download"],
            f"funding-{ics.ods_code}-members",
            presenters.ROLLUP_COLUMNS,
            presenters.rollup_export_rows(ics, rollup),
        )
        if response is None:
            raise Http404("Downloads are csv or xlsx.")
        return response
    asked = services.parse_year(request.GET.get("year", ""))
    chosen = next((y for y in rollup if y.year == asked), rollup[-1])
    return render(
        request,
        "funding/ics.jinja",
        {
            "ics": ics,
            "rollup_chart": presenters.rollup_spend_chart(rollup),
            "rollup_rows": presenters.rollup_rows(rollup),
            "rollup_head": presenters.ROLLUP_HEAD,
            "chosen_name": year_name(chosen.year),
            "year_form": YearChooserForm(years=[y.year for y in rollup], chosen=chosen.year),
            "member_rows": presenters.member_rows(
                queries.member_years(request.user, ics, chosen.year)
            ),
            "member_head": presenters.MEMBER_HEAD,
            "mix": presenters.mix_rows(chosen.by_source),
            "mix_head": presenters.MIX_HEAD,
        },
    )

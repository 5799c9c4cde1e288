"""Benchmark pages. Published scores are open to anyone signed in; an
organisation's unpublished score only to those who may see its private work
(``VIEW_ORGANISATION_PRIVATE``), clearly marked. Each chart's figures download
as CSV from its own page with ``?download=<chart>``."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from accounts.policy import Permission, has_permission
from benchmarking import presenters, queries
from benchmarking.models import PeerGroup
from benchmarking.presenters import Choice
from organisations import queries as organisations


def _choose(request, organisation):
    """The round, care setting and peer group asked for, or the defaults."""
    round_ = queries.round_asked_for(request.GET.get("round"))
    private = has_permission(
        request.user, Permission.VIEW_ORGANISATION_PRIVATE, organisation=organisation
    )
    assessments, assessment = (
        queries.choose_assessment(
            organisation, round_, request.GET.get("care_setting"), include_private=private
        )
        if round_
        else ([], None)
    )
    return Choice(
        organisation=organisation,
        rounds=list(queries.rounds()),
        round=round_,
        assessments=assessments,
        assessment=assessment,
        group=queries.peer_group(request.GET.get("group")),
        ics=organisations.ics_of(organisation, on=round_.structure_on) if round_ else None,
    )


def _download(response):
    if response is None:
        raise Http404("There are no figures to download here.")
    return response


@login_required
def organisation(request, ods_code):
    choice = _choose(request, organisations.organisation_by_code(ods_code))
    benchmark = (
        queries.organisation_benchmark(choice.assessment, choice.group)
        if choice.assessment
        else None
    )
    trend = queries.trend(choice.organisation, choice.care_setting) if choice.assessment else []
    if "download" in request.GET:
        return _download(
            presenters.organisation_download(request.GET["download"], choice, benchmark, trend)
        )
    return render(
        request,
        "benchmarking/organisation.jinja",
        presenters.organisation_page(
            choice,
            benchmark,
            trend,
            similar=organisations.similar_organisations(choice.organisation)
            if choice.group == PeerGroup.SIMILAR
            else (),
        ),
    )


@login_required
def measure(request, ods_code, measure):
    choice = _choose(request, organisations.organisation_by_code(ods_code))
    found = queries.measure_named(choice.round, measure) if choice.round else None
    if choice.round and found is None:
        raise Http404(f"There is no measure called {measure!r} in {choice.round.name}.")
    benchmark, peers, trend = None, [], []
    if choice.assessment:
        benchmark = queries.organisation_benchmark(choice.assessment, choice.group)
        peers = queries.distribution(choice.assessment, choice.group, measure)
        trend = queries.trend(choice.organisation, choice.care_setting)
    if "download" in request.GET:
        return _download(
            presenters.measure_download(request.GET["download"], choice, found, peers, trend)
        )
    return render(
        request,
        "benchmarking/measure.jinja",
        presenters.measure_page(choice, found, benchmark, peers, trend),
    )


@login_required
def ics(request, ods_code):
    ics = organisations.ics_by_code(ods_code)
    round_ = queries.round_asked_for(request.GET.get("round"))
    reconstructed = bool(round_) and queries.is_reconstructed(ics, round_)
    members, rows = queries.ics_members(ics, round_, today=reconstructed) if round_ else ([], [])
    measures = queries.measures_of(round_) if round_ else []
    if reconstructed:
        spreads = queries.reconstructed_spreads(rows, measures)
    else:
        spreads = queries.ics_spreads(ics, round_) if round_ else {}
    predecessors = queries.predecessor_scores(ics, round_) if reconstructed else []
    if "download" in request.GET:
        return _download(
            presenters.ics_download(
                request.GET["download"], ics, round_, rows, measures, reconstructed=reconstructed
            )
        )
    return render(
        request,
        "benchmarking/ics.jinja",
        presenters.ics_page(
            ics,
            round_,
            list(queries.rounds()),
            members,
            rows,
            spreads,
            measures,
            reconstructed=reconstructed,
            predecessors=predecessors,
            trend=queries.ics_trend(ics),
        ),
    )


@login_required
def national(request):
    round_ = queries.round_asked_for(request.GET.get("round"))
    sectors = queries.sector_spreads(round_) if round_ else {}
    if "download" in request.GET:
        return _download(presenters.national_download(request.GET["download"], round_, sectors))
    return render(
        request,
        "benchmarking/national.jinja",
        presenters.national_page(round_, list(queries.rounds()), sectors),
    )

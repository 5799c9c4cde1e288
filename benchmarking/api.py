"""Scores and benchmark figures per organisation, round and peer group.

Published figures are open to any token holder; an organisation's
unpublished scores only to those who may see its private work, marked
``published: false``."""

from datetime import date

from django.http import Http404
from ninja import Field, Router, Schema

from accounts.policy import Permission, has_permission
from benchmarking import presenters, queries
from benchmarking.models import PEER_GROUP_RULES, PeerGroup
from organisations import queries as organisations

router = Router(tags=["Scores and benchmarks"])


class RoundOut(Schema):
    name: str
    kind: str = Field(description="published (by NHS England, measure scores only) or assessed")
    opens_on: date
    structure_on: date = Field(description="The date whose ICS structure the round is shown with.")
    has_published: bool = Field(description="Whether any assessment in it is published.")


def _when_ranked(name):
    def resolve(spread):
        return getattr(spread, name) if spread.ranked else None

    return staticmethod(resolve)


class SpreadOut(Schema):
    peers: int = Field(description="n: published assessments in the group, this one included.")
    ranked: bool = Field(
        description=f"False when fewer than {queries.RANKED_FROM} scores: too few to rank, so "
        "no quartiles or median; the scores are in values."
    )
    minimum: float
    lower_quartile: float | None
    median: float | None
    upper_quartile: float | None
    maximum: float
    values: list[float] = Field(description="Every score, lowest first, when too few to rank.")

    resolve_lower_quartile = _when_ranked("lower_quartile")
    resolve_median = _when_ranked("median")
    resolve_upper_quartile = _when_ranked("upper_quartile")


class BenchmarkMeasureOut(Schema):
    key: str
    name: str
    score: float | None
    scored_domains: int
    applicable_domains: int = Field(
        description="0 for scores NHS England published, whose coverage is not known."
    )
    n: int = Field(description="Published scores in the peer group.", alias="peers")
    ranked: bool = Field(
        description=f"False when the group has fewer than {queries.RANKED_FROM} scores, or none: "
        "too few to rank, so percentile and quartile are null."
    )
    percentile: float | None = Field(
        description="Percentage of the other peers scoring lower (PERCENT_RANK × 100)."
    )
    quartile: int | None = Field(description="1 = lowest quarter, 4 = highest.")
    previous_score: float | None = Field(description="In previous_round.")
    previous_quartile: int | None
    change: float | None = Field(description="Since previous_round.")
    spread: SpreadOut | None = Field(description="Empty when the group has no published peers.")


class ComparedRoundOut(Schema):
    name: str
    source: str = Field(description="published by NHS England, or self-assessed in Northstar")
    opens_on: date
    closes_on: date

    @staticmethod
    def resolve_source(round_):
        return presenters.source_name(round_)


class BenchmarkOrganisationOut(Schema):
    ods_code: str
    name: str


class BenchmarkOut(Schema):
    organisation: BenchmarkOrganisationOut
    round: RoundOut
    care_setting: str
    group: PeerGroup
    compared_with_group: PeerGroup = Field(
        description="The group the figures are for: the sector when there are no similar "
        "organisations to compare with."
    )
    fallback_reason: str | None
    group_rule: str
    published: bool = Field(description="False: visible to you only, and in no one's peers.")
    overall_score: float | None = Field(
        description="As the framework states it; NHS England published only the comparable one."
    )
    comparable_overall_score: float | None
    mean_of_measures: float | None
    previous_round: ComparedRoundOut | None = Field(
        description="The previous comparable round every change is measured from: never one of "
        "the same period."
    )
    measures: list[BenchmarkMeasureOut]


@router.get("/rounds", response=list[RoundOut])
def rounds(request):
    """Every round, newest first."""
    return list(queries.rounds())


@router.get("/organisations/{ods_code}", response=BenchmarkOut)
def organisation_benchmark(
    request,
    ods_code: str,
    round: str | None = None,  # noqa: A002 (the parameter's public name)
    group: PeerGroup = PeerGroup.NATIONAL,
    care_setting: str | None = None,
):
    """One organisation's seven measure scores against one peer group in one
    round (by default the latest with published assessments), for one care
    setting (by default its first)."""
    organisation = organisations.organisation_by_code(ods_code)
    round_, group = queries.round_asked_for(round), queries.peer_group(group)
    if round_ is None:
        raise Http404("No round has published assessments yet.")
    private = has_permission(
        request.user, Permission.VIEW_ORGANISATION_PRIVATE, organisation=organisation
    )
    _, assessment = queries.choose_assessment(
        organisation, round_, care_setting, include_private=private
    )
    if assessment is None or (care_setting and assessment.care_setting != care_setting):
        setting = f" for care setting {care_setting}" if care_setting else ""
        raise Http404(f"{organisation.name} has no published assessment{setting} in {round_.name}.")
    benchmark = queries.organisation_benchmark(assessment, group)
    overall = benchmark.overall
    return {
        "organisation": organisation,
        "round": round_,
        "care_setting": assessment.care_setting,
        "group": group,
        "compared_with_group": benchmark.compared_as or group,
        "fallback_reason": presenters.fallback_sentence(organisation, benchmark.compared_as)
        if benchmark.compared_as
        else None,
        "group_rule": PEER_GROUP_RULES[group],
        "published": benchmark.published,
        "overall_score": overall.score if overall else None,
        "comparable_overall_score": overall.comparable_score if overall else None,
        "mean_of_measures": overall.mean_of_measures if overall else None,
        "previous_round": benchmark.previous_round,
        "measures": benchmark.measures,
    }


class TrendPointOut(Schema):
    round: ComparedRoundOut
    overall_score: float | None = Field(
        description="Over the domains comparable with the round's previous one where it can be."
    )
    measures: dict[str, float] = Field(description="Each measure's score, by measure key.")
    compared_with: ComparedRoundOut | None = Field(
        description="The previous comparable round every change is measured from: never one of "
        "the same period. A different source from round's means a change of source."
    )
    overall_change: float | None = Field(description="Since compared_with; null when no score.")
    source_changed: bool = Field(description="Whether compared_with has a different source.")


@router.get("/organisations/{ods_code}/trend", response=list[TrendPointOut])
def organisation_trend(request, ods_code: str, care_setting: str | None = None):
    """One organisation's published scores round by round, oldest first, for
    one care setting (by default the first of its latest published round),
    each with the round and source its change is measured from."""
    organisation = organisations.organisation_by_code(ods_code)
    round_ = queries.default_round()
    if care_setting is None and round_ is not None:
        _, assessment = queries.choose_assessment(organisation, round_, None, include_private=False)
        care_setting = assessment.care_setting if assessment else None
    points = queries.trend(organisation, care_setting) if care_setting else []
    if not points:
        raise Http404(f"{organisation.name} has no published scores to show a trend of.")
    return [
        {
            "round": p.round,
            "overall_score": p.overall,
            "measures": p.measures,
            "compared_with": p.compared_round,
            "overall_change": p.change(),
            "source_changed": bool(p.compared_round and p.compared_round.kind != p.round.kind),
        }
        for p in points
    ]

"""Reads for the benchmark pages and API, from stored scores and peer figures.

Only published assessments are anyone's peers. An organisation's own
unpublished score may be shown to it privately: it is placed against the
published peers of its group, its percentile worked out here against their
stored scores (one organisation, so a query, not a recomputation).
"""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from assessments.models import Assessment, Round
from assessments.workflow import AssessmentStatus
from benchmarking.models import Benchmark, FiguresUpdate, PeerGroup, PeerMember, PeerStatistic
from organisations.models import CareSetting, OrganisationType, SimilarOrganisation
from organisations.queries import ics_of, members_of, predecessors_of
from scoring.models import MeasureScore, OverallScore

PUBLISHED = AssessmentStatus.PUBLISHED


# Fewer scores than this are too few to rank: no percentile, quartile or
# middle half is shown for them, only the scores themselves.
RANKED_FROM = 5


def is_ranked(peers):
    return peers >= RANKED_FROM


@dataclass(frozen=True)
class Spread:
    """How one measure's scores spread across a peer group; ``values`` are the
    scores themselves, lowest first, when there are too few to rank."""

    peers: int
    minimum: float
    lower_quartile: float
    median: float
    upper_quartile: float
    maximum: float
    values: tuple = ()

    @property
    def ranked(self):
        return is_ranked(self.peers)

    @classmethod
    def of(cls, statistic, values=()):
        return cls(
            statistic.peers,
            statistic.minimum,
            statistic.lower_quartile,
            statistic.median,
            statistic.upper_quartile,
            statistic.maximum,
            tuple(values),
        )


def _spreads_of(statistics):
    """``[(statistic, Spread)]``, with the scores themselves for the groups
    too small to rank (one query for all of them)."""
    statistics = list(statistics)
    small = [s for s in statistics if not is_ranked(s.peers)]
    values = {}
    if small:
        members = PeerMember.objects.filter(
            round_id=small[0].round_id,
            group_type__in={s.group_type for s in small},
            group_key__in={s.group_key for s in small},
        )
        groups = {}
        for group_type, key, assessment_id in members.values_list(
            "group_type", "group_key", "assessment_id"
        ):
            groups.setdefault(assessment_id, []).append((group_type, key))
        for assessment_id, measure_id, value in MeasureScore.objects.filter(
            assessment_id__in=groups,
            measure_id__in={s.measure_id for s in small},
            score__isnull=False,
        ).values_list("assessment_id", "measure_id", "score"):
            for group_type, key in groups[assessment_id]:
                values.setdefault((group_type, key, measure_id), []).append(value)
    return [
        (s, Spread.of(s, sorted(values.get((s.group_type, s.group_key, s.measure_id), []))))
        for s in statistics
    ]


@dataclass(frozen=True)
class MeasureBenchmark:
    """One measure of one assessment against one peer group."""

    key: str
    number: int
    name: str
    score: float | None
    scored_domains: int = 0
    applicable_domains: int = 0
    percentile: float | None = None
    quartile: int | None = None
    previous_score: float | None = None
    previous_quartile: int | None = None
    spread: Spread | None = None

    @property
    def peers(self):
        """n: the published scores in the group, this one included when published."""
        return self.spread.peers if self.spread else 0

    @property
    def ranked(self):
        return self.percentile is not None

    @property
    def change(self):
        if self.score is None or self.previous_score is None:
            return None
        return self.score - self.previous_score


@dataclass(frozen=True)
class OrganisationBenchmark:
    organisation: object
    round: Round
    assessment: Assessment
    group: PeerGroup
    group_key: str | None
    published: bool
    measures: list = field(default_factory=list)
    overall: OverallScore | None = None
    previous_round: Round | None = None
    compared_as: PeerGroup | None = None  # the group used when ``group`` falls back

    @property
    def has_peers(self):
        return any(m.spread is not None for m in self.measures)

    @property
    def has_scores(self):
        return any(m.score is not None for m in self.measures)


# Rounds


def rounds():
    """Every round, newest first (of rounds opening the same day, the one with
    more published assessments first), each with ``has_published``."""
    published = Assessment.objects.filter(round=OuterRef("pk"), status=PUBLISHED)
    return Round.objects.annotate(
        has_published=Exists(published),
        published_count=Count("assessments", filter=Q(assessments__status=PUBLISHED)),
    ).order_by("-opens_on", "-published_count", "name")


def default_round():
    """The latest round with published assessments, or None."""
    return rounds().filter(has_published=True).first()


def round_asked_for(name):
    """The round called ``name``, or the default when no name is given."""
    if not name:
        return default_round()
    round_ = rounds().filter(name=name).first()
    if round_ is None:
        raise Http404(f"There is no round called {name!r}.")
    return round_


def figures_updating_since(round_):
    """When a background task was first asked to replace the round's peer
    figures and has not yet (local time), or None."""
    since = FiguresUpdate.objects.filter(round=round_).values_list("since", flat=True).first()
    return timezone.localtime(since) if since else None


def rounds_with_published_assessments():
    return list(
        Round.objects.filter(assessments__status=PUBLISHED).distinct().values_list("pk", flat=True)
    )


def previous_comparable_round(round_):
    """The round a change in ``round_`` is measured from, used by every page,
    the API, the downloads and the stored figures: its own previous round when
    that ran in an earlier period, otherwise the latest round of the same source
    that closed before it opened. Two rounds of the same period (say NHS
    England's 2025 figures and a self-assessment over the same months) are
    never one another's previous round. None when there is none."""
    earlier = Round.objects.filter(closes_on__lt=round_.opens_on)
    if round_.previous_id and earlier.filter(pk=round_.previous_id).exists():
        return round_.previous
    return earlier.filter(kind=round_.kind).order_by("-opens_on", "name").first()


def has_similar_organisations(organisation):
    return SimilarOrganisation.objects.filter(organisation=organisation).exists()


def compared_group(organisation, group):
    """The group actually compared with: an organisation with no similar
    organisations (ambulance trusts, ICSs, trusts with no published size or
    list) is compared with its sector instead."""
    if group == PeerGroup.SIMILAR and not has_similar_organisations(organisation):
        return PeerGroup.SECTOR
    return group


def peer_group(value):
    """The peer group called ``value`` (national when none is given)."""
    value = value or PeerGroup.NATIONAL
    if value not in PeerGroup.values:
        raise Http404(
            f"There is no peer group called {value!r}; the groups are {', '.join(PeerGroup.values)}."
        )
    return PeerGroup(value)


# One organisation


def assessments_of(organisation, round_, *, include_private):
    """The organisation's assessments in a round, one per care setting:
    published ones, and the rest too when ``include_private``."""
    found = Assessment.objects.filter(round=round_, organisation=organisation)
    if not include_private:
        found = found.filter(status=PUBLISHED)
    return list(found.order_by("care_setting"))


def choose_assessment(organisation, round_, care_setting, *, include_private):
    """The organisation's assessments in the round, and the one for
    ``care_setting`` (or the first when it has none for that setting)."""
    assessments = assessments_of(organisation, round_, include_private=include_private)
    chosen = next((a for a in assessments if a.care_setting == care_setting), None)
    return assessments, chosen or next(iter(assessments), None)


def group_key_of(assessment, group):
    """The key of the assessment's own peer group (or the one it would join
    were it published); None when the group does not apply to it.

    A published assessment is in the similar groups of its neighbours too,
    but its own is the one centred on it. An unpublished one has none: the
    group is chosen among published assessments by size around each of them."""
    if assessment.status == PUBLISHED:
        members = PeerMember.objects.filter(assessment=assessment, group_type=group)
        if group == PeerGroup.SIMILAR:
            members = members.filter(group_key=str(assessment.pk))
        member = members.first()
        return member.group_key if member else None
    organisation = assessment.organisation
    if group == PeerGroup.NATIONAL:
        return assessment.care_setting
    if group == PeerGroup.SECTOR:
        return f"{organisation.org_type}:{assessment.care_setting}"
    if group == PeerGroup.ICS and assessment.care_setting != CareSetting.ICS:
        ics = ics_of(organisation, on=assessment.round.structure_on)
        return str(ics.pk) if ics else None
    return None


def spreads(round_, group, group_key):
    """``{measure id: Spread}`` for one peer group of a round."""
    statistics = PeerStatistic.objects.filter(round=round_, group_type=group, group_key=group_key)
    return {s.measure_id: spread for s, spread in _spreads_of(statistics)}


def organisation_benchmark(assessment, group):
    """The seven measures of one assessment against one of its peer groups
    (or its sector, when it has no similar organisations)."""
    round_ = assessment.round
    compared = compared_group(assessment.organisation, group)
    key = group_key_of(assessment, compared)
    group_spreads = spreads(round_, compared, key) if key else {}
    scores = {
        s.measure_id: s
        for s in MeasureScore.objects.filter(assessment=assessment).select_related("measure")
    }
    published = assessment.status == PUBLISHED
    if published:
        ranks = {
            b.measure_id: b
            for b in Benchmark.objects.filter(assessment=assessment, group_type=compared)
        }
    else:
        ranks = _private_ranks(assessment, compared, key, scores)
    previous_round = previous_comparable_round(round_)
    previous = _previous_figures(assessment, compared, previous_round)
    measures = [
        _measure_benchmark(
            measure,
            scores.get(measure.pk),
            ranks.get(measure.pk),
            group_spreads.get(measure.pk),
            previous.get(measure.key),
        )
        for measure in round_.framework_version.measures.order_by("number")
    ]
    return OrganisationBenchmark(
        organisation=assessment.organisation,
        round=round_,
        assessment=assessment,
        group=group,
        group_key=key,
        published=published,
        measures=measures,
        overall=OverallScore.objects.filter(assessment=assessment).first(),
        previous_round=previous_round,
        compared_as=compared if compared != group else None,
    )


def _measure_benchmark(measure, score, rank, spread, previous):
    ranked = rank is not None and rank.percentile is not None and spread and spread.ranked
    return MeasureBenchmark(
        key=measure.key,
        number=measure.number,
        name=measure.name,
        score=score.score if score else None,
        scored_domains=score.scored_domains if score else 0,
        applicable_domains=score.applicable_domains if score else 0,
        percentile=rank.percentile if ranked else None,
        quartile=rank.quartile if ranked else None,
        previous_score=previous[0] if previous else None,
        previous_quartile=previous[1] if previous else None,
        spread=spread,
    )


def _previous_figures(assessment, group, previous_round):
    """``{measure key: (score, quartile or None)}``: the same organisation and
    care setting in the previous comparable round, matched by measure key (the
    framework version may differ); no quartile where that group was too small
    to rank."""
    if previous_round is None:
        return {}
    before = list(
        Benchmark.objects.filter(
            round=previous_round,
            assessment__organisation_id=assessment.organisation_id,
            assessment__care_setting=assessment.care_setting,
            group_type=group,
        ).select_related("measure")
    )
    sizes = {
        (s.group_key, s.measure_id): s.peers
        for s in PeerStatistic.objects.filter(
            round=previous_round, group_type=group, group_key__in={b.group_key for b in before}
        )
    }
    return {
        b.measure.key: (
            b.score,
            b.quartile if is_ranked(sizes.get((b.group_key, b.measure_id), 0)) else None,
        )
        for b in before
    }


def percent_rank(score, peer_scores):
    """As ``PERCENT_RANK()`` would place ``score`` were it among ``peer_scores``:
    the percentage of the others scoring strictly lower (0 when alone)."""
    if not peer_scores:
        return 0.0
    return 100.0 * sum(1 for s in peer_scores if s < score) / len(peer_scores)


def quartile_of(percentile):
    """1 for a percentile under 25, 2 under 50, 3 under 75, else 4 (as stored)."""
    return min(4, int(percentile // 25) + 1)


def _private_ranks(assessment, group, key, scores):
    """For an unpublished assessment, its percentile among the group's
    published peers, as unsaved ``Benchmark`` objects for this request only."""
    peers = PeerMember.objects.filter(round=assessment.round, group_type=group, group_key=key)
    peer_scores = {}
    for measure_id, value in MeasureScore.objects.filter(
        assessment__in=peers.values("assessment"), score__isnull=False
    ).values_list("measure_id", "score"):
        peer_scores.setdefault(measure_id, []).append(value)
    ranks = {}
    for measure_id, score in scores.items():
        if score.score is not None and measure_id in peer_scores:
            percentile = percent_rank(score.score, peer_scores[measure_id])
            ranks[measure_id] = Benchmark(percentile=percentile, quartile=quartile_of(percentile))
    return ranks


@dataclass(frozen=True)
class Peer:
    ods_code: str
    name: str
    score: float
    is_you: bool


def distribution(assessment, group, measure_key):
    """Every published peer's score on one measure (names are public facts),
    lowest first, with the assessment's own score among them even when it is
    not published."""
    group = compared_group(assessment.organisation, group)
    key = group_key_of(assessment, group)
    if key is None:
        return []
    peers = PeerMember.objects.filter(round=assessment.round, group_type=group, group_key=key)
    scores = MeasureScore.objects.filter(
        assessment__in=peers.values("assessment"), measure__key=measure_key, score__isnull=False
    ).exclude(assessment=assessment)
    own = MeasureScore.objects.filter(
        assessment=assessment, measure__key=measure_key, score__isnull=False
    )
    rows = [
        Peer(s.assessment.organisation.ods_code, s.assessment.organisation.name, s.score, is_you)
        for is_you, found in ((False, scores), (True, own))
        for s in found.select_related("assessment__organisation")
    ]
    return sorted(rows, key=lambda p: (p.score, p.name))


@dataclass(frozen=True)
class TrendPoint:
    """One round's published scores; ``compared_round`` is the previous
    comparable round, and ``previous`` this organisation's point in it (None
    when it has none there)."""

    round: Round
    overall: float | None
    comparable: bool
    measures: dict
    compared_round: Round | None = None
    previous: "TrendPoint | None" = None

    def score(self, measure_key=None):
        return self.overall if measure_key is None else self.measures.get(measure_key)

    def change(self, measure_key=None):
        """The change since the previous comparable round, or None."""
        now = self.score(measure_key)
        before = self.previous.score(measure_key) if self.previous else None
        return None if now is None or before is None else now - before


def trend(organisation, care_setting):
    """The organisation's published scores for one care setting, oldest round
    first (rounds of the same period side by side, never compared): the
    overall score (comparable where it can be) and each measure by key (so
    rounds on different framework versions line up), each point with its
    change since the previous comparable round."""
    assessments = (
        Assessment.objects.filter(
            organisation=organisation, care_setting=care_setting, status=PUBLISHED
        )
        .select_related("round", "overall_score")
        .order_by("round__opens_on", "round__name")
    )
    return _trend_points(assessments)


def _trend_points(assessments):
    scores = {}
    for assessment_id, key, value in MeasureScore.objects.filter(
        assessment__in=assessments, score__isnull=False
    ).values_list("assessment_id", "measure__key", "score"):
        scores.setdefault(assessment_id, {})[key] = value
    points, by_round = [], {}
    for a in assessments:
        compared = previous_comparable_round(a.round)
        point = TrendPoint(
            a.round,
            *overall_of(a),
            scores.get(a.pk, {}),
            compared_round=compared,
            previous=by_round.get(compared.pk) if compared else None,
        )
        by_round[a.round_id] = point
        points.append(point)
    return points


def overall_of(assessment):
    """``(score, comparable)``: the overall score over domains comparable with
    the previous round or, when there is none to compare with, over all."""
    overall = getattr(assessment, "overall_score", None)
    if overall is None:
        return None, False
    if overall.comparable_score is not None:
        return overall.comparable_score, True
    return overall.score, False


# An ICS


@dataclass(frozen=True)
class MemberScores:
    """One member's published assessment for one care setting, with its
    national quartile on each measure."""

    organisation: object
    care_setting: str
    scores: dict
    quartiles: dict
    overall: float | None


def is_reconstructed(ics, round_):
    """Whether the ICS was formed (by a merger or split) after the round's
    structure date, so that its figures for the round are reconstructed from
    the members of today's ICS."""
    formed = ics.opened_on and ics.opened_on > round_.structure_on
    return bool(formed) and predecessors_of(ics).exists()


def ics_members(ics, round_, *, today=False):
    """The ICS's members by the structure in force for the round (or, with
    ``today``, by today's footprint), by type then name, each published
    assessment side by side; ``members`` counts every member, with or without
    a published assessment."""
    members = list(members_of(ics, on=None if today else round_.structure_on))
    assessments = Assessment.objects.filter(
        round=round_, status=PUBLISHED, organisation__in=members
    ).select_related("organisation", "overall_score")
    order = {m.pk: position for position, m in enumerate(members)}
    rows = member_scores(round_, assessments)
    return members, sorted(rows, key=lambda r: (order[r.organisation.pk], r.care_setting))


def member_scores(round_, assessments):
    """``[MemberScores]`` for published assessments of a round, each measure's
    national quartile where the national group is large enough to rank."""
    by_assessment = {a.pk: a for a in assessments}
    scores, quartiles = {}, {}
    for s in MeasureScore.objects.filter(assessment__in=assessments).select_related("measure"):
        scores.setdefault(s.assessment_id, {})[s.measure.key] = s.score
    national = {
        (s.group_key, s.measure_id): s.peers
        for s in PeerStatistic.objects.filter(round=round_, group_type=PeerGroup.NATIONAL)
    }
    for b in Benchmark.objects.filter(
        assessment__in=assessments, group_type=PeerGroup.NATIONAL
    ).select_related("measure"):
        if is_ranked(national.get((b.group_key, b.measure_id), 0)):
            quartiles.setdefault(b.assessment_id, {})[b.measure.key] = b.quartile
    return [
        MemberScores(
            a.organisation,
            a.care_setting,
            scores.get(pk, {}),
            quartiles.get(pk, {}),
            overall_of(a)[0],
        )
        for pk, a in by_assessment.items()
    ]


def predecessor_scores(ics, round_):
    """The ICB-level scores in the round of the ICBs the ICS was formed from,
    as theirs."""
    predecessors = [s.predecessor for s in predecessors_of(ics)]
    assessments = Assessment.objects.filter(
        round=round_, status=PUBLISHED, organisation__in=predecessors, care_setting=CareSetting.ICS
    ).select_related("organisation", "overall_score")
    return sorted(member_scores(round_, assessments), key=lambda r: r.organisation.name)


def _interpolated(values, fraction):
    """As the stored statistics: linear between sorted values at (n − 1) × fraction."""
    position = (len(values) - 1) * fraction
    whole = int(position)
    if whole + 1 >= len(values):
        return values[-1]
    return values[whole] + (values[whole + 1] - values[whole]) * (position - whole)


def spread_of(values):
    """A Spread worked out from scores, for groups that are not stored (an
    ICS reconstructed from today's members)."""
    values = sorted(values)
    if not values:
        return None
    return Spread(
        len(values),
        values[0],
        _interpolated(values, 0.25),
        _interpolated(values, 0.5),
        _interpolated(values, 0.75),
        values[-1],
        tuple(values) if not is_ranked(len(values)) else (),
    )


def reconstructed_spreads(rows, measures):
    """``{measure key: Spread}`` across the given members' scores."""
    found = {}
    for measure in measures:
        spread = spread_of(
            [r.scores[measure.key] for r in rows if r.scores.get(measure.key) is not None]
        )
        if spread:
            found[measure.key] = spread
    return found


@dataclass(frozen=True)
class IcsTrendPoint:
    round: Round
    members: int
    median: float | None
    reconstructed: bool


def ics_trend(ics):
    """The median overall score of the ICS's members in each round with
    published assessments, oldest first; before the ICS was formed, of the
    members of today's ICS (``reconstructed``), so the trend runs across a
    merger."""
    points = []
    for round_ in rounds().filter(has_published=True).order_by("opens_on", "name"):
        reconstructed = is_reconstructed(ics, round_)
        members, rows = ics_members(ics, round_, today=reconstructed)
        overall = sorted(r.overall for r in rows if r.overall is not None)
        if overall:
            points.append(
                IcsTrendPoint(round_, len(overall), _interpolated(overall, 0.5), reconstructed)
            )
    return points


def ics_spreads(ics, round_):
    """``{measure key: Spread}`` across the ICS's members in the round."""
    statistics = PeerStatistic.objects.filter(
        round=round_, group_type=PeerGroup.ICS, group_key=str(ics.pk)
    ).select_related("measure")
    return {s.measure.key: spread for s, spread in _spreads_of(statistics)}


# National


@dataclass(frozen=True)
class Sector:
    key: str
    org_type: str
    care_setting: str
    spread: Spread


def sector_spreads(round_):
    """``{measure: [Sector, …]}`` for every measure of the round's framework,
    by organisation type then care setting."""
    types = {value: position for position, value in enumerate(OrganisationType.values)}
    settings = {value: position for position, value in enumerate(CareSetting.values)}
    found = {m: [] for m in round_.framework_version.measures.order_by("number")}
    by_id = {m.pk: m for m in found}
    statistics = PeerStatistic.objects.filter(round=round_, group_type=PeerGroup.SECTOR)
    for s, spread in _spreads_of(statistics):
        org_type, _, care_setting = s.group_key.partition(":")
        found[by_id[s.measure_id]].append(Sector(s.group_key, org_type, care_setting, spread))
    for sectors in found.values():
        sectors.sort(key=lambda s: (types.get(s.org_type, 99), settings.get(s.care_setting, 99)))
    return found


def measure_named(round_, key):
    return round_.framework_version.measures.filter(key=key).first()


def measures_of(round_):
    return list(round_.framework_version.measures.order_by("number"))

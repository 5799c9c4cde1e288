"""Reading stored scores."""

from dataclasses import dataclass

from django.db.models import Avg

from accounts.policy import Permission, has_permission, organisation_ids_of
from assessments.models import Assessment, Round
from assessments.workflow import AssessmentStatus
from frameworks.models import Domain
from scoring.models import DomainScore, MeasureScore


def latest_measure_profiles(organisation_ids):
    """``{organisation id: {measure key: score}}`` from each organisation's most
    recent round with published scores (self-assessed or published by NHS
    England), averaged over its care settings."""
    rows = (
        MeasureScore.objects.filter(
            assessment__organisation_id__in=organisation_ids,
            assessment__status=AssessmentStatus.PUBLISHED,
            score__isnull=False,
        )
        .values("assessment__organisation_id", "assessment__round_id", "measure__key")
        .annotate(score=Avg("score"))
        .order_by("assessment__round__opens_on", "assessment__round_id")
        .values_list("assessment__organisation_id", "assessment__round_id", "measure__key", "score")
    )
    latest_round, profiles = {}, {}
    for organisation_id, round_id, measure, score in rows:  # earliest round first
        if latest_round.get(organisation_id) != round_id:
            latest_round[organisation_id] = round_id
            profiles[organisation_id] = {}
        profiles[organisation_id][measure] = score
    return profiles


@dataclass
class ElementRow:
    key: str
    text: str
    met: bool


@dataclass
class LevelRow:
    level: int
    elements: list

    @property
    def all_met(self):
        return all(element.met for element in self.elements)


@dataclass
class DomainRow:
    domain: object
    level: int | None
    not_applicable: bool

    @property
    def weighted(self):
        return None if self.level is None else self.level * float(self.domain.weight)


@dataclass
class WorkedExample:
    assessment: object
    domain: object
    domain_level: int
    levels: list
    measure: object
    measure_rows: list
    measure_score: object
    all_rows: list
    overall: object

    @property
    def published(self):
        return self.assessment.status == AssessmentStatus.PUBLISHED

    @staticmethod
    def _sums(rows):
        scored = [row for row in rows if row.level is not None]
        return sum(row.weighted for row in scored), sum(float(row.domain.weight) for row in scored)

    @property
    def measure_sums(self):
        return self._sums(self.measure_rows)

    @property
    def overall_sums(self):
        return self._sums(self.all_rows)


def _example_assessment(user, framework_version):
    computed = Assessment.objects.filter(
        round__framework_version=framework_version,
        round__kind=Round.Kind.ASSESSED,
        overall_score__score__isnull=False,
    ).select_related("organisation", "round", "overall_score")
    mine = (
        computed.filter(organisation_id__in=organisation_ids_of(user))
        .order_by("-round__opens_on")
        .first()
    )
    if mine and has_permission(
        user, Permission.VIEW_ORGANISATION_PRIVATE, organisation=mine.organisation
    ):
        return mine
    return (
        computed.filter(status=AssessmentStatus.PUBLISHED)
        .order_by("-round__opens_on", "organisation__name")
        .first()
    )


def worked_example(user, framework_version):
    """One real assessment the reader may see, with the arithmetic that
    produced its stored scores; None when there is none."""
    assessment = _example_assessment(user, framework_version)
    if assessment is None:
        return None
    levels_by_domain = dict(
        DomainScore.objects.filter(assessment=assessment).values_list("domain_id", "level")
    )
    not_applicable = set(
        assessment.answers.filter(not_applicable=True).values_list("domain_id", flat=True)
    )
    applicable = (
        Domain.objects.filter(
            framework_version=framework_version,
            local_set__isnull=True,
            settings__care_setting=assessment.care_setting,
        )
        .select_related("measure")
        .order_by("measure__number", "position")
    )
    rows = [DomainRow(d, levels_by_domain.get(d.id), d.id in not_applicable) for d in applicable]
    example = max(
        (row for row in rows if row.level is not None),
        key=lambda row: (row.level, -row.domain.measure.number),
    )
    answer = assessment.answers.get(domain=example.domain)
    met = set(answer.met_elements.values_list("key", flat=True))
    levels = [
        LevelRow(
            level,
            [
                ElementRow(e.key, e.text, e.key in met)
                for e in example.domain.elements.filter(level=level)
            ],
        )
        for level in range(1, 6)
    ]
    measure = example.domain.measure
    return WorkedExample(
        assessment=assessment,
        domain=example.domain,
        domain_level=example.level,
        levels=levels,
        measure=measure,
        measure_rows=[row for row in rows if row.domain.measure_id == measure.id],
        measure_score=MeasureScore.objects.get(assessment=assessment, measure=measure),
        all_rows=rows,
        overall=assessment.overall_score,
    )

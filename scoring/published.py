"""Loading scores NHS England published (the DMA data report) as published
rounds whose results exist at measure level only."""

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from assessments import services, workflow
from assessments.models import Assessment
from core.tables import Problems, read_rows
from frameworks.models import FrameworkVersion
from organisations.models import CareSetting, Organisation
from scoring.models import MeasureScore, OverallScore, Source

MEASURE_COLUMNS = {
    "well_led": "well_led",
    "ensure_smart_foundations": "smart_foundations",
    "safe_practice": "safe_practice",
    "support_workforce": "support_people",
    "empower_people": "empower_citizens",
    "improve_care": "improve_care",
    "healthy_populations": "healthy_populations",
}
REQUIRED = ("ods_code", "org_level", "care_setting", *MEASURE_COLUMNS, "overall_comparable_2025")
OPTIONAL = ("icb_code", "overall_comparable_2024")
CARE_SETTINGS = {
    "acute": CareSetting.ACUTE,
    "mental health": CareSetting.MENTAL_HEALTH,
    "community": CareSetting.COMMUNITY,
    "ambulance": CareSetting.AMBULANCE,
    "icb": CareSetting.ICS,
}
LEVELS = {"provider", "icb"}


@dataclass(frozen=True)
class PublishedRound:
    name: str
    opens_on: datetime.date
    closes_on: datetime.date
    source_note: str


ROUND_2025 = PublishedRound(
    "2025 (NHS England)",
    datetime.date(2025, 4, 1),
    datetime.date(2025, 6, 30),
    "Published by NHS England: Digital Maturity Assessment 2025 data report (30 March 2026). "
    "Measure scores and the overall score over comparable domains; no answers.",
)
ROUND_2024 = PublishedRound(
    "2024 (NHS England)",
    datetime.date(2024, 4, 1),
    datetime.date(2024, 6, 30),
    "Published by NHS England: 2024 overall scores over domains comparable with 2025, from the "
    "2025 data report. Overall scores only.",
)


@dataclass
class PublishedRow:
    organisation: Organisation
    care_setting: str
    measures: dict
    overall_2025: float
    overall_2024: float | None


@dataclass
class ImportSummary:
    rows: int
    organisations: int
    rounds: list

    def __str__(self):
        return f"{self.rows} published results for {self.organisations} organisations loaded into {', '.join(self.rounds)}"


def _score(problems, row, column, *, required=True):
    text = row.values.get(column, "")
    if not text:
        if required:
            problems.add(row.number, column, "is empty; a published score is needed")
        return None
    try:
        value = float(text)
    except ValueError:
        problems.add(row.number, column, f"{text!r} is not a number")
        return None
    if not 1 <= value <= 5:
        problems.add(row.number, column, f"{value} is outside the scale 1 to 5")
        return None
    return value


def read_published_scores(path):
    rows = read_rows(path, required=REQUIRED, optional=OPTIONAL)
    problems = Problems(Path(path).name)
    organisations = {o.ods_code: o for o in Organisation.objects.all()}
    seen = {}
    results = []
    for row in rows:
        before = problems.count
        code = row.values["ods_code"].upper()
        organisation = organisations.get(code)
        if organisation is None:
            problems.add(
                row.number, "ods_code", f"{code or '(empty)'} is not an organisation in Northstar"
            )
        level = row.values["org_level"].lower()
        if level not in LEVELS:
            problems.add(
                row.number, "org_level", f"{row.values['org_level']!r} is not provider or icb"
            )
        setting = CARE_SETTINGS.get(row.values["care_setting"].lower())
        if setting is None:
            problems.add(
                row.number,
                "care_setting",
                f"{row.values['care_setting']!r} is not one of Acute, Mental Health, Community, Ambulance, ICB",
            )
        elif (setting == CareSetting.ICS) != (level == "icb"):
            problems.add(
                row.number, "care_setting", "an ICB row has care setting ICB, and only ICB rows do"
            )
        if organisation and setting and (organisation.is_ics != (setting == CareSetting.ICS)):
            problems.add(
                row.number,
                "ods_code",
                f"{code} is {'an ICB' if organisation.is_ics else 'not an ICB'}, which does not match care setting {row.values['care_setting']}",
            )
        if (code, setting) in seen:
            problems.add(
                row.number,
                "ods_code",
                f"{code} {row.values['care_setting']} is also on row {seen[(code, setting)]}",
            )
        seen[(code, setting)] = row.number
        measures = {key: _score(problems, row, column) for column, key in MEASURE_COLUMNS.items()}
        overall_2025 = _score(problems, row, "overall_comparable_2025")
        overall_2024 = _score(problems, row, "overall_comparable_2024", required=False)
        if problems.count == before:
            results.append(
                PublishedRow(organisation, setting, measures, overall_2025, overall_2024)
            )
    problems.raise_if_any()
    return results


def _round(spec, framework_version, previous=None):
    return services.record_published_round(
        name=spec.name,
        framework_version=framework_version,
        opens_on=spec.opens_on,
        closes_on=spec.closes_on,
        source_note=spec.source_note,
        previous=previous,
    )


def _published_assessments(round_, rows, filename):
    return workflow.record_published(
        round=round_,
        entries=[(row.organisation, row.care_setting) for row in rows],
        comment=f"Published by NHS England; loaded from {filename}",
    )


@transaction.atomic
def import_published_scores(*, path, framework_version=None):
    """Load (or reload) the published rounds from the file: all or nothing."""
    rows = read_published_scores(path)
    framework_version = (
        framework_version
        or FrameworkVersion.objects.filter(status=FrameworkVersion.Status.PUBLISHED)
        .order_by("year", "revision")
        .first()
    )
    measures = {m.key: m for m in framework_version.measures.all()}
    filename = Path(path).name

    round_2024 = _round(ROUND_2024, framework_version)
    round_2025 = _round(ROUND_2025, framework_version, previous=round_2024)
    for round_ in (round_2024, round_2025):
        # By assessment id, not through a join: a join makes Django delete by
        # "id IN (a self-join)", which PostgreSQL can plan as a nested loop.
        assessments = Assessment.objects.filter(round=round_).values("id")
        MeasureScore.objects.filter(assessment_id__in=assessments).delete()
        OverallScore.objects.filter(assessment_id__in=assessments).delete()

    assessments_2025 = _published_assessments(round_2025, rows, filename)
    with_2024 = [row for row in rows if row.overall_2024 is not None]
    assessments_2024 = _published_assessments(round_2024, with_2024, filename)
    MeasureScore.objects.bulk_create(
        MeasureScore(
            assessment=assessments_2025[(row.organisation.pk, row.care_setting)],
            measure=measures[key],
            score=value,
            source=Source.PUBLISHED,
        )
        for row in rows
        for key, value in row.measures.items()
    )
    OverallScore.objects.bulk_create(
        OverallScore(
            assessment=assessments_2025[(row.organisation.pk, row.care_setting)],
            comparable_score=row.overall_2025,
            mean_of_measures=sum(row.measures.values()) / len(row.measures),
            source=Source.PUBLISHED,
        )
        for row in rows
    )
    OverallScore.objects.bulk_create(
        OverallScore(
            assessment=assessments_2024[(row.organisation.pk, row.care_setting)],
            comparable_score=row.overall_2024,
            source=Source.PUBLISHED,
        )
        for row in with_2024
    )
    return ImportSummary(
        len(rows), len({row.organisation.pk for row in rows}), [round_2025.name, round_2024.name]
    )

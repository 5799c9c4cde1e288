from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models import Avg, Count

from assessments.models import Assessment, Round
from assessments.signals import publication_changed
from assessments.workflow import AssessmentStatus
from frameworks import services as frameworks
from organisations.tests.conftest import import_nhs_structure
from scoring.models import MeasureScore, OverallScore, Source

pytestmark = pytest.mark.django_db

PUBLISHED = Path(settings.BASE_DIR) / "data" / "published" / "dma2025_pillar_scores.csv"
HEADER = (
    "ods_code,org_level,care_setting,icb_code,well_led,ensure_smart_foundations,safe_practice,"
    "support_workforce,empower_people,improve_care,healthy_populations,overall_comparable_2025,"
    "overall_comparable_2024\n"
)


@pytest.fixture
def reference_data():
    frameworks.load(path=Path(settings.BASE_DIR) / "data" / "frameworks" / "wgll-2025.1.yaml")
    import_nhs_structure()


@pytest.fixture
def published(reference_data):
    call_command("import-published-scores", str(PUBLISHED))
    return Round.objects.get(name="2025 (NHS England)")


def test_published_round_is_labelled_and_holds_measure_scores_only(published):
    assert published.kind == Round.Kind.PUBLISHED
    assert published.get_kind_display() == "Published by NHS England"
    assert published.assessments.count() == 327
    assert not published.assessments.filter(answers__isnull=False).exists()
    assert (
        MeasureScore.objects.filter(assessment__round=published, source=Source.PUBLISHED).count()
        == 327 * 7
    )
    combined = Assessment.objects.filter(round=published, organisation__ods_code="RAT")
    assert sorted(combined.values_list("care_setting", flat=True)) == ["community", "mental_health"]


def test_national_figures_match_nhs_englands_published_averages(published):
    providers = measure_means(published, ics_level=False)
    assert providers["well_led"][1] == 285
    assert round(providers["well_led"][0], 2) == 2.83
    assert round(providers["empower_citizens"][0], 2) == 2.02
    mean, count = comparable_overall_mean(published, ics_level=False)
    assert (round(mean, 2), count) == (2.52, 285)
    mean, count = comparable_overall_mean(published, ics_level=True)
    assert (round(mean, 2), count) == (2.85, 42)
    previous = published.previous
    assert round(comparable_overall_mean(previous, ics_level=False)[0], 2) == 2.37
    assert round(comparable_overall_mean(previous, ics_level=True)[0], 2) == 2.61


def test_loading_the_file_again_duplicates_nothing(published):
    call_command("import-published-scores", str(PUBLISHED))
    assert Round.objects.filter(kind=Round.Kind.PUBLISHED).count() == 2
    assert published.assessments.count() == 327
    assert OverallScore.objects.filter(assessment__round=published).count() == 327


def test_a_bad_file_names_every_problem_and_loads_nothing(reference_data, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        HEADER
        + "RXN,provider,Acute,QE1,2.8,2.4,2,2,1.9,2,1.4,2.095,2.155\n"
        + "ZZZ,provider,Acute,QE1,2.8,2.4,2,2,1.9,2,1.4,2.095,2.155\n"
        + "RXN,provider,Hospital,QE1,2.8,lots,2,2,1.9,2,7,2.095,\n"
        + "RXN,provider,Acute,QE1,2.8,2.4,2,2,1.9,2,1.4,2.095,2.155\n"
    )
    with pytest.raises(CommandError) as refused:
        call_command("import-published-scores", str(bad))
    message = str(refused.value)
    assert "bad.csv: row 3, column ods_code: ZZZ is not an organisation in Northstar" in message
    assert "bad.csv: row 4, column care_setting: 'Hospital' is not one of" in message
    assert "bad.csv: row 4, column ensure_smart_foundations: 'lots' is not a number" in message
    assert "bad.csv: row 4, column healthy_populations: 7.0 is outside the scale 1 to 5" in message
    assert "bad.csv: row 5, column ods_code: RXN Acute is also on row 2" in message
    assert "nothing was loaded" in message
    assert not Round.objects.exists()


def test_published_rounds_are_recorded_through_the_workflow_and_announced(reference_data):
    """The loader creates nothing behind the workflow's back: each published
    assessment has its transition, and each round's publication is announced
    to the apps above (benchmarking computes its peer figures from it)."""
    heard = {}

    def listener(sender, round_id, assessment_ids, **kwargs):
        heard[round_id] = sorted(assessment_ids)

    publication_changed.connect(listener)
    try:
        call_command("import-published-scores", str(PUBLISHED))
    finally:
        publication_changed.disconnect(listener)
    for name in ("2025 (NHS England)", "2024 (NHS England)"):
        round_ = Round.objects.get(name=name)
        ids = sorted(round_.assessments.values_list("id", flat=True))
        assert heard[round_.id] == ids
        assert not round_.assessments.exclude(status=AssessmentStatus.PUBLISHED).exists()
        assert not round_.assessments.filter(transitions__isnull=True).exists()


# NHS England's published national averages, recomputed from the stored scores.
def measure_means(round_, *, ics_level):
    """``{measure key: (mean score, number of results)}`` over a round's
    published assessments, for ICSs or for provider care settings."""
    scores = _at_level(
        MeasureScore.objects.filter(
            assessment__round=round_,
            assessment__status=AssessmentStatus.PUBLISHED,
            score__isnull=False,
        ),
        ics_level,
    )
    rows = scores.values("measure__key").annotate(mean=Avg("score"), n=Count("id"))
    return {row["measure__key"]: (row["mean"], row["n"]) for row in rows}


def comparable_overall_mean(round_, *, ics_level):
    scores = OverallScore.objects.filter(
        assessment__round=round_,
        assessment__status=AssessmentStatus.PUBLISHED,
        comparable_score__isnull=False,
    )
    scores = _at_level(scores, ics_level)
    result = scores.aggregate(mean=Avg("comparable_score"), n=Count("id"))
    return result["mean"], result["n"]


def _at_level(scores, ics_level):
    if ics_level:
        return scores.filter(assessment__care_setting="ics")
    return scores.exclude(assessment__care_setting="ics")

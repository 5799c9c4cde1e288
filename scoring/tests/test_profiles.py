"""Each organisation's latest published measure scores, the maturity profile
"journeys like yours" compares."""

import pytest

from assessments.workflow import AssessmentStatus
from northstar import demo
from organisations.models import Organisation
from scoring.models import MeasureScore
from scoring.queries import latest_measure_profiles

pytestmark = pytest.mark.django_db


def scores_in(round_name, ods_code):
    return {
        key: score
        for key, score in MeasureScore.objects.filter(
            assessment__round__name=round_name, assessment__organisation__ods_code=ods_code
        ).values_list("measure__key", "score")
    }


def test_the_latest_published_round_gives_the_profile():
    demo.load_reference_data(lambda line: None)
    trust = Organisation.objects.get(ods_code="RXN")
    nhs_england_2025 = latest_measure_profiles([trust.id])[trust.id]
    assert nhs_england_2025 == pytest.approx(scores_in("2025 (NHS England)", "RXN"))
    assert len(nhs_england_2025) == 7

    demo.create_demo_content(lambda line: None)
    assert latest_measure_profiles([trust.id])[trust.id] == pytest.approx(
        scores_in("2025/26", "RXN")
    )


def test_unpublished_scores_make_no_profile():
    demo.load_reference_data(lambda line: None)
    demo.create_demo_content(lambda line: None)
    MeasureScore.objects.filter(assessment__organisation__ods_code="RXN").exclude(
        assessment__status=AssessmentStatus.PUBLISHED
    ).update(score=5)
    profile = latest_measure_profiles([Organisation.objects.get(ods_code="RXN").id])
    assert 5 not in next(iter(profile.values())).values()
    assert latest_measure_profiles([]) == {}

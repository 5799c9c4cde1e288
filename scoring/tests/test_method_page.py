import re

import pytest

from accounts.models import Role, User
from assessments.workflow import AssessmentStatus
from scoring import calculation
from scoring.models import MeasureScore, OverallScore
from scoring.tests.builders import answer as _answer
from scoring.tests.builders import assessment as _assessment
from scoring.tests.builders import levels as _levels

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(version, trust):
    assessment = _assessment(version, trust)
    _answer(assessment, "epr", met=_levels(4) + ["5a"])
    _answer(assessment, "smart-foundations-core", met=_levels(1))
    _answer(assessment, "well-led-core", not_applicable=True)
    calculation.recompute_assessment(assessment)
    return assessment


def _numbers(page):
    return re.findall(r"<strong>(\d+\.\d\d)</strong>", page)


def test_method_page_explains_the_method_from_the_file(client, version):
    page = client.get("/scoring/wgll/2025.1/").text
    assert "A domain scores the level achieved" in page
    assert "weighted mean of every scored domain across all seven measures" in page
    assert "A worked example from a real assessment appears here once" in page


def test_worked_example_numbers_match_the_stored_scores(client, scored):
    user = User.objects.create_user(email="c@example.org", full_name="C", password="x")
    Role.objects.create(user=user, name="contributor", organisation=scored.organisation)
    client.force_login(user)
    page = client.get("/scoring/wgll/2025.1/").text
    assert "Not published: only your organisation can see this" in page
    assert "level 4</strong>" in page
    measure = MeasureScore.objects.get(assessment=scored, measure__key="smart_foundations")
    overall = OverallScore.objects.get(assessment=scored)
    assert _numbers(page) == [f"{measure.score:.2f}", f"{overall.score:.2f}"]
    assert "9.00 ÷ 3.00" in page


def test_someone_else_sees_an_unpublished_assessment_nowhere(client, scored):
    page = client.get("/scoring/wgll/2025.1/").text
    assert scored.organisation.name not in page
    scored.status = AssessmentStatus.PUBLISHED
    scored.save()
    assert scored.organisation.name in client.get("/scoring/wgll/2025.1/").text

"""The journeys page compares maturity profiles from stored measure scores."""

import pytest

from accounts.models import User
from assessments.workflow import AssessmentStatus
from northstar import demo
from organisations.models import Organisation
from scoring.models import MeasureScore
from scoring.queries import latest_measure_profiles

pytestmark = pytest.mark.django_db

CLOSE = "From an organisation whose success measure scores are close to yours"


def test_journeys_like_yours_uses_stored_measure_scores(client):
    demo.load_reference_data(lambda line: None)
    demo.create_demo_accounts()
    demo.create_demo_content(lambda line: None)
    client.force_login(User.objects.get(email="contributor@northstar.example"))
    trust, ics = (Organisation.objects.get(ods_code=code) for code in ("RXN", "QE1"))
    page = client.get("/learning/journeys-like-yours/").content.decode()
    assert "Demo: joining up a shared care record across an ICS" in page
    assert CLOSE not in page  # the demo trust's profile is far from its ICS's

    # The trust's stored scores become its ICS's (who wrote the demo entries).
    profiles = latest_measure_profiles([trust.id, ics.id])
    for score in MeasureScore.objects.filter(
        assessment__organisation=trust, assessment__status=AssessmentStatus.PUBLISHED
    ).select_related("measure"):
        score.score = profiles[ics.id][score.measure.key]
        score.save(update_fields=["score"])
    page = client.get("/learning/journeys-like-yours/").content.decode()
    assert CLOSE in page

"""The journeys page compares maturity profiles from stored measure scores."""

import pytest

from accounts.models import User
from northstar import demo

pytestmark = pytest.mark.django_db


def test_journeys_like_yours_uses_stored_measure_scores(client):
    demo.load_reference_data(lambda line: None)
    demo.create_demo_accounts()
    demo.create_demo_content(lambda line: None)
    client.force_login(User.objects.get(email="contributor@northstar.example"))
    page = client.get("/learning/journeys-like-yours/").content.decode()
    assert "Demo: joining up a shared care record across an ICS" in page
    assert "From an organisation whose success measure scores are close to yours" in page

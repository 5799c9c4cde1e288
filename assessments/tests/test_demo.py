import pytest

from assessments.demo import create_demo_rounds
from assessments.models import Answer, AssessmentStatus, Round
from northstar import demo

pytestmark = pytest.mark.django_db


def test_demo_rounds_are_synthetic_mixed_and_idempotent():
    demo.load_reference_data(lambda line: None)
    assert "2026/27 (open, in mixed states)" in create_demo_rounds()
    previous, current = Round.objects.get(name="2025/26"), Round.objects.get(name="2026/27")
    assert previous.status == "closed" and current.status == "open"
    assert set(previous.assessments.values_list("status", flat=True)) == {
        AssessmentStatus.PUBLISHED
    }
    states = set(current.assessments.values_list("status", flat=True))
    assert {"draft", "submitted", "approved", "validated"} <= states
    rxn = current.assessments.get(organisation__ods_code="RXN", care_setting="acute")
    assert rxn.status == "draft"
    assert rxn.answers.filter(carried_forward=True).count() == rxn.answers.count() > 30
    assert not Answer.objects.exclude(comment="Synthetic demo answer").exists()
    counts = Answer.objects.count()
    assert create_demo_rounds() == "Demo rounds already in place."
    assert Answer.objects.count() == counts

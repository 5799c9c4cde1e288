import pytest
from django.contrib.auth import get_user_model

from accounts.policy import Step
from assessments import queries, workflow
from assessments.demo import create_demo_rounds
from assessments.models import Answer, Round
from assessments.workflow import AssessmentStatus, RoundStatus
from northstar import demo

pytestmark = pytest.mark.django_db


def test_demo_rounds_are_synthetic_mixed_and_idempotent():
    demo.load_reference_data(lambda line: None)
    assert "2026/27 (open, in mixed states)" in create_demo_rounds()
    previous, current = Round.objects.get(name="2025/26"), Round.objects.get(name="2026/27")
    assert previous.status == RoundStatus.CLOSED and current.status == RoundStatus.OPEN
    assert set(previous.assessments.values_list("status", flat=True)) == {
        AssessmentStatus.PUBLISHED
    }
    states = set(current.assessments.values_list("status", flat=True))
    assert {
        AssessmentStatus.DRAFT,
        AssessmentStatus.SUBMITTED,
        AssessmentStatus.APPROVED,
        AssessmentStatus.VALIDATED,
    } <= states
    rxn = current.assessments.get(organisation__ods_code="RXN", care_setting="acute")
    assert rxn.status == AssessmentStatus.DRAFT
    assert rxn.answers.filter(carried_forward=True).count() == rxn.answers.count() > 30
    assert not Answer.objects.exclude(comment="Synthetic demo answer").exists()
    counts = Answer.objects.count()
    assert create_demo_rounds() == "Demo rounds already in place."
    assert Answer.objects.count() == counts


def test_every_demo_assessment_passes_todays_checks_if_sent_back_and_resubmitted():
    """The demo takes each assessment through the real workflow with the
    evidence its levels need, so none is in a state the checks would refuse."""
    demo.load_reference_data(lambda line: None)
    create_demo_rounds()
    people = list(get_user_model().objects.filter(is_active=True))

    def someone_who_may(step, assessment):
        return next(p for p in people if workflow.may_take(p, step, assessment))

    published = Round.objects.get(name="2025/26").assessments.all()
    assert published and all(not queries.problems_of(a) for a in published)
    signed = Round.objects.get(name="2026/27").assessments.exclude(status=AssessmentStatus.DRAFT)
    assert signed.count() >= 3
    for assessment in signed:
        sent_back = workflow.take_step(
            assessment=assessment,
            step=Step.SEND_BACK,
            by=someone_who_may(Step.SEND_BACK, assessment),
            comment="Checking the demo",
        )
        resubmitted = workflow.take_step(
            assessment=sent_back, step=Step.SUBMIT, by=someone_who_may(Step.SUBMIT, sent_back)
        )
        assert resubmitted.status == AssessmentStatus.SUBMITTED

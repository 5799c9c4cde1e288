"""The policy's answers for assessments: who sees which, and who may take each step."""

import datetime

import pytest

from accounts.models import RoleName
from accounts.policy import Step, may_take_step
from assessments import queries, workflow
from assessments.tests.factories import person
from assessments.workflow import AssessmentStatus
from organisations.models import Membership
from organisations.tests.factories import IcbFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def visible(user):
    return set(
        queries.assessments_visible_to(user).values_list("organisation__ods_code", "care_setting")
    )


def test_each_role_sees_its_own_reach(world):
    everything = {("QTEST", "ics"), ("RTEST", "acute")}
    assert visible(world.contributor) == {("RTEST", "acute")}
    assert visible(world.approver) == {("RTEST", "acute")}
    assert visible(world.ics_lead) == everything
    assert visible(world.analyst) == everything
    assert visible(world.admin) == everything
    assert visible(person(RoleName.PATIENT_LEADER, world.trust)) == set()
    assert visible(person(RoleName.CONTRIBUTOR, OrganisationFactory())) == set()


def test_ics_lead_reach_follows_the_structure_the_round_is_shown_with(world):
    """A trust that moves to another ICS after the round opened stays with the
    ICS it was in when the round opened, for seeing and for validating."""
    later = world.round.opens_on + datetime.timedelta(days=10)
    Membership.objects.filter(organisation=world.trust).update(
        valid_to=later - datetime.timedelta(days=1)
    )
    other = IcbFactory()
    Membership.objects.create(organisation=world.trust, ics=other, valid_from=later)
    other_lead = person(RoleName.ICS_LEAD, other)
    assessment = world.assessment()
    assessment.status = AssessmentStatus.APPROVED
    assert ("RTEST", "acute") in visible(world.ics_lead)
    assert ("RTEST", "acute") not in visible(other_lead)
    assert may_take_step(world.ics_lead, Step.VALIDATE, assessment)
    assert not may_take_step(other_lead, Step.VALIDATE, assessment)


@pytest.mark.parametrize(
    ("status", "step", "allowed"),
    [
        (AssessmentStatus.DRAFT, Step.ANSWER, {"contributor"}),
        (AssessmentStatus.DRAFT, Step.SUBMIT, {"contributor"}),
        (AssessmentStatus.SUBMITTED, Step.APPROVE, {"approver"}),
        (AssessmentStatus.SUBMITTED, Step.SEND_BACK, {"approver"}),
        (AssessmentStatus.SUBMITTED, Step.ANSWER, set()),
        (AssessmentStatus.APPROVED, Step.VALIDATE, {"ics_lead"}),
        (AssessmentStatus.APPROVED, Step.SEND_BACK, {"ics_lead"}),
        (AssessmentStatus.VALIDATED, Step.PUBLISH, {"admin"}),
        (AssessmentStatus.VALIDATED, Step.SEND_BACK, {"admin"}),
        (AssessmentStatus.VALIDATED, Step.APPROVE, set()),
        (AssessmentStatus.DRAFT, Step.SEND_BACK, set()),
        (AssessmentStatus.PUBLISHED, Step.SEND_BACK, set()),
    ],
)
def test_only_the_named_role_may_take_each_step(world, status, step, allowed):
    assessment = world.assessment()
    assessment.status = status
    people = {
        name: getattr(world, name)
        for name in ("contributor", "approver", "ics_lead", "analyst", "admin")
    }
    assert {
        name for name, user in people.items() if workflow.may_take(user, step, assessment)
    } == allowed


def test_an_ics_own_assessment_is_validated_nationally(world):
    assessment = world.assessment(world.ics, "ics")
    assessment.status = AssessmentStatus.APPROVED
    assert may_take_step(world.analyst, Step.VALIDATE, assessment)
    assert not may_take_step(world.ics_lead, Step.VALIDATE, assessment)

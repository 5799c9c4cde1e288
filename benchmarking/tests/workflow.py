"""Assessments answered and published through the assessments app's own
services, as people would: for tests that follow an answer into the stored
scores and benchmarks."""

import datetime

from django.test import TestCase
from django.utils import timezone

from accounts.models import RoleName
from accounts.policy import Step
from accounts.tests.factories import RoleFactory, UserFactory
from assessments import queries, services, workflow
from assessments.models import Assessment
from assessments.workflow import AnswerValue, Change
from organisations.tests.factories import IcbFactory, TrustFactory

SIGN_OFF = [
    (Step.SUBMIT, "contributor"),
    (Step.APPROVE, "approver"),
    (Step.VALIDATE, "ics_lead"),
    (Step.PUBLISH, "admin"),
]


def elements_up_to(level):
    """The element keys of the small test framework met up to ``level``."""
    return tuple(f"{n}{letter}" for n in range(1, level + 1) for letter in "ab")


class OpenRound:
    """An open round of the small test framework for acute trusts in one ICS,
    with a person in each sign-off role (password ``factories.PASSWORD``)."""

    def __init__(self, version, codes):
        today = timezone.localdate()
        self.ics = IcbFactory(ods_code="QZZ", name="NHS Journey Integrated Care Board")
        self.trusts = [
            TrustFactory(ods_code=code, name=f"Trust {code}", membership__ics=self.ics)
            for code in codes
        ]
        self.people = {
            "ics_lead": self._person(RoleName.ICS_LEAD, self.ics),
            "admin": self._person(RoleName.PLATFORM_ADMIN, None),
        }
        for trust in self.trusts:
            user = self._person(RoleName.CONTRIBUTOR, trust)
            RoleFactory(user=user, name=RoleName.APPROVER, organisation=trust)
            self.people[trust.ods_code] = user
        self.round = services.open_round(
            name="2026/27 (journey)",
            framework_version=version,
            opens_on=today - datetime.timedelta(days=30),
            closes_on=today + datetime.timedelta(days=60),
            by=None,
            organisations=self.trusts,
        )

    @staticmethod
    def _person(role, organisation):
        user = UserFactory()
        RoleFactory(user=user, name=role, organisation=organisation)
        return user

    def assessment(self, ods_code):
        return Assessment.objects.get(round=self.round, organisation__ods_code=ods_code)

    def answer(self, ods_code, level, *, domain_key=None):
        """Answer every domain (or just ``domain_key``) at ``level``."""
        assessment = self.assessment(ods_code)
        answers = queries.answers_of(assessment)
        value = AnswerValue(elements=elements_up_to(level))
        workflow.apply_answers(
            changes=[
                Change(
                    assessment, domain, value, version=getattr(answers.get(domain.id), "version", 0)
                )
                for domain in queries.domains_of(assessment)
                if domain_key in (None, domain.key)
            ],
            by=self.people[ods_code],
        )

    def validate(self, ods_code):
        """Sign it off up to publication."""
        for step, person in SIGN_OFF[:-1]:
            by = self.people[ods_code if person in ("contributor", "approver") else person]
            workflow.take_step(assessment=self.assessment(ods_code), step=step, by=by)

    def publish(self, ods_code):
        """Sign it off up to publication, and run what publication queues once committed
        (the round's peer figures)."""
        with TestCase.captureOnCommitCallbacks(execute=True):
            for step, person in SIGN_OFF:
                by = self.people[ods_code if person in ("contributor", "approver") else person]
                workflow.take_step(assessment=self.assessment(ods_code), step=step, by=by)

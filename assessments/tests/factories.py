"""A small world for assessment tests (and the demo's shape): a framework,
an ICS with a trust, one person per role, and an open round."""

import datetime
from dataclasses import dataclass

from accounts.models import RoleName
from accounts.tests.factories import RoleFactory, UserFactory
from assessments import queries, services, workflow
from assessments.models import Round
from assessments.workflow import AnswerValue, Change
from frameworks import services as frameworks
from frameworks.models import Domain, FrameworkVersion
from frameworks.tests.factories import framework_data
from organisations.tests.factories import IcbFactory, MembershipFactory, OrganisationFactory


def load_framework(data=None):
    data = data or framework_data()
    frameworks.load_data(data=data, name="test-framework.yaml")
    return FrameworkVersion.objects.get(
        framework__slug=data["framework"]["slug"], version=data["framework"]["version"]
    )


def person(role, organisation=None, name=None):
    user = UserFactory(full_name=name or f"{RoleName(role).label} person")
    RoleFactory(user=user, name=role, organisation=organisation)
    return user


@dataclass
class World:
    version: object
    ics: object
    trust: object
    contributor: object
    approver: object
    ics_lead: object
    analyst: object
    admin: object
    round: object = None

    def assessment(self, organisation=None, care_setting="acute", round=None):
        return (round or self.round).assessments.get(
            organisation=organisation or self.trust, care_setting=care_setting
        )


def build_world(*, open_round=True, version=None):
    version = version or load_framework()
    ics = IcbFactory(ods_code="QTEST", name="NHS Test Integrated Care Board")
    trust = OrganisationFactory(ods_code="RTEST", name="Test Hospitals NHS Trust")
    MembershipFactory(organisation=trust, ics=ics)
    world = World(
        version=version,
        ics=ics,
        trust=trust,
        contributor=person(RoleName.CONTRIBUTOR, trust, "Casey Contributor"),
        approver=person(RoleName.APPROVER, trust, "Avery Approver"),
        ics_lead=person(RoleName.ICS_LEAD, ics, "Indra Lead"),
        analyst=person(RoleName.NATIONAL_ANALYST, None, "Nat Analyst"),
        admin=person(RoleName.PLATFORM_ADMIN, None, "Ari Admin"),
    )
    if open_round:
        world.round = open_test_round(world)
    return world


def open_test_round(
    world, name="2026/27", previous=None, version=None, organisations=None, **dates
):
    today = datetime.date.today()
    return services.open_round(
        name=name,
        framework_version=version or world.version,
        opens_on=dates.get("opens_on", today - datetime.timedelta(days=30)),
        closes_on=dates.get("closes_on", today + datetime.timedelta(days=60)),
        previous=previous,
        organisations=organisations if organisations is not None else [world.ics, world.trust],
        by=world.admin,
    )


def round_named(name):
    return Round.objects.get(name=name)


ALL = ["1a", "1b", "2a", "2b", "3a", "3b", "4a", "4b", "5a", "5b"]


def domain(world, key):
    return Domain.objects.get(framework_version=world.version, key=key)


def answer(world, key, elements, *, version=0, by=None, assessment=None, **extra):
    change = Change(
        assessment or world.assessment(),
        domain(world, key),
        AnswerValue(elements=tuple(elements), **extra),
        version=version,
    )
    return workflow.apply_answers(changes=[change], by=by or world.contributor).results[0][0]


def answer_everything(world, level=2, assessment=None):
    assessment = assessment or world.assessment()
    value = AnswerValue(elements=tuple(ALL[: level * 2]))
    workflow.apply_answers(
        changes=[Change(assessment, d, value, version=0) for d in queries.domains_of(assessment)],
        by=world.contributor,
    )

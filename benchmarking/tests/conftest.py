"""A small round of published measure scores: an ICS with three acute
trusts and a mental health trust (too few to rank among themselves), plus three
acute trusts elsewhere, so six acute trusts nationally; benchmarks computed by
``benchmarking.calculation`` as in production."""

import datetime
from dataclasses import dataclass

import pytest

from accounts.models import Role, RoleName
from accounts.tests.factories import UserFactory
from assessments.models import Assessment, Round
from assessments.workflow import AssessmentStatus
from benchmarking import calculation
from frameworks.tests.factories import load
from organisations.models import OrganisationType
from organisations.tests.factories import IcbFactory, TrustFactory
from scoring.models import MeasureScore, OverallScore, Source

# Each trust's score on every measure, plus or minus the measure's number / 10.
SCORES = {"RAA": 1.0, "RBB": 2.0, "RCC": 3.0, "RDD": 4.0, "REE": 0.5, "RFF": 4.5}


@dataclass
class SmallRound:
    round: Round
    ics: object
    trusts: dict
    measures: list

    def assessment(self, ods_code, care_setting="acute"):
        return Assessment.objects.get(
            round=self.round, organisation__ods_code=ods_code, care_setting=care_setting
        )


def make_round(version, name, opens_on, **extra):
    return Round.objects.create(
        name=name,
        framework_version=version,
        opens_on=opens_on,
        closes_on=opens_on + datetime.timedelta(days=90),
        **extra,
    )


def add_assessment(
    round_, organisation, base, *, care_setting="acute", status=AssessmentStatus.PUBLISHED
):
    assessment = Assessment.objects.create(
        round=round_, organisation=organisation, care_setting=care_setting, status=status
    )
    measures = list(round_.framework_version.measures.order_by("number"))
    MeasureScore.objects.bulk_create(
        MeasureScore(
            assessment=assessment,
            measure=measure,
            score=base + measure.number / 10,
            scored_domains=2,
            applicable_domains=3,
            source=Source.COMPUTED,
        )
        for measure in measures
    )
    OverallScore.objects.create(assessment=assessment, score=base, comparable_score=base + 0.5)
    return assessment


@pytest.fixture
def version(tmp_path):
    return load(tmp_path)


@pytest.fixture
def small_round(version):
    ics = IcbFactory(ods_code="QAA", name="NHS Test Integrated Care Board")
    trusts = {
        code: TrustFactory(ods_code=code, name=f"Trust {code}", membership__ics=ics)
        for code in ("RAA", "RBB", "RCC")
    }
    for code in ("RDD", "REE", "RFF"):  # in other ICSs
        trusts[code] = TrustFactory(ods_code=code, name=f"Trust {code}")
    trusts["RMH"] = TrustFactory(
        ods_code="RMH",
        name="Mental Health RMH",
        org_type=OrganisationType.MENTAL_HEALTH,
        care_settings=["mental_health"],
        membership__ics=ics,
    )
    round_ = make_round(
        version, "2025 (test)", datetime.date(2025, 4, 1), kind=Round.Kind.PUBLISHED
    )
    for code, base in SCORES.items():
        add_assessment(round_, trusts[code], base)
    add_assessment(round_, trusts["RMH"], 2.5, care_setting="mental_health")
    calculation.recompute_round(round_)
    return SmallRound(round_, ics, trusts, list(version.measures.order_by("number")))


@pytest.fixture
def mixed_sources(small_round, version):
    """RBB's NHS England 2025 figures, a self-assessment over the same months
    (marked as following them, as a careless admin might) and a later one."""
    same_period = make_round(
        version, "2025/26", datetime.date(2025, 4, 1), previous=small_round.round
    )
    later = make_round(version, "2026/27", datetime.date(2026, 4, 1), previous=same_period)
    for round_, base in ((same_period, 1.5), (later, 2.5)):
        add_assessment(round_, small_round.trusts["RBB"], base)
        calculation.recompute_round(round_)
    return small_round


@pytest.fixture
def signed_in(client):
    client.force_login(UserFactory())
    return client


def member_of(organisation, role=RoleName.CONTRIBUTOR):
    user = UserFactory()
    Role.objects.create(user=user, name=role, organisation=organisation)
    return user

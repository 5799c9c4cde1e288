import datetime

import pytest

from accounts.models import RoleName
from accounts.policy import Step
from assessments import queries, services, workflow
from assessments.models import AnswerRevision, Transition
from assessments.tests.factories import (
    ALL,
    answer,
    answer_everything,
    build_world,
    domain,
    open_test_round,
    person,
)
from assessments.workflow import (
    AnswerValue,
    AssessmentError,
    AssessmentStatus,
    Change,
    NotAllowed,
    RoundStatus,
    StaleAnswer,
)
from frameworks.models import Domain


def test_open_round_creates_an_assessment_per_care_setting_and_one_for_the_ics(world, db):
    settings = sorted(world.round.assessments.values_list("organisation__ods_code", "care_setting"))
    assert settings == [("QTEST", "ics"), ("RTEST", "acute")]
    assert world.assessment().status == AssessmentStatus.DRAFT
    assert Transition.objects.filter(from_status="", to_status=AssessmentStatus.DRAFT).count() == 2


def test_open_round_one_assessment_per_reported_setting(db):
    world = build_world(open_round=False)
    world.trust.care_settings = ["mental_health", "community"]
    world.trust.save()
    round = open_test_round(world)
    assert sorted(
        round.assessments.filter(organisation=world.trust).values_list("care_setting", flat=True)
    ) == [
        "community",
        "mental_health",
    ]


def test_domains_of_filters_by_level_and_care_setting(world):
    trust_domains = {d.key for d in queries.domains_of(world.assessment())}
    ics_domains = {d.key for d in queries.domains_of(world.assessment(world.ics, "ics"))}
    assert "epr" in trust_domains and "ics-well-led" not in trust_domains
    assert "ics-well-led" in ics_domains and "epr" not in ics_domains


def test_open_round_refused_to_anyone_but_a_platform_admin(world):
    with pytest.raises(NotAllowed):
        services.open_round(
            name="2027/28",
            framework_version=world.version,
            opens_on=datetime.date.today(),
            closes_on=datetime.date.today(),
            by=world.contributor,
        )


def test_save_answer_stores_the_level_and_a_revision(world):
    saved = answer(world, "epr", ["1a", "1b", "2a", "2b", "3a"], comment="Going well")
    assert saved.level == 2 and saved.version == 1
    assert sorted(m.element.key for m in saved.met.all()) == ["1a", "1b", "2a", "2b", "3a"]
    revision = saved.revisions.get()
    assert revision.by == world.contributor and revision.level == 2
    assert revision.met_elements == ["1a", "1b", "2a", "2b", "3a"]


def test_save_answer_unchanged_writes_nothing(world):
    saved = answer(world, "epr", ["1a", "1b"])
    change = Change(world.assessment(), domain(world, "epr"), AnswerValue(elements=("1a", "1b")), 1)
    [(again, changed)] = workflow.apply_answers(changes=[change], by=world.contributor).results
    assert not changed and again.version == 1 and saved.revisions.count() == 1


def test_save_answer_element_not_in_the_domain_is_refused(world):
    with pytest.raises(AssessmentError, match="9z is not an element of Epr") as refused:
        answer(world, "epr", ["1a", "9z"])
    assert refused.value.field == "elements"
    assert not AnswerRevision.objects.exists()


def test_save_answer_claimed_level_without_its_elements_is_refused(world):
    with pytest.raises(AssessmentError, match="Level 3 was claimed"):
        change = Change(
            world.assessment(),
            domain(world, "epr"),
            AnswerValue(elements=("1a", "1b")),
            version=0,
            claimed_level=3,
        )
        workflow.apply_answers(changes=[change], by=world.contributor)


def test_save_answer_not_applicable_where_not_allowed_is_refused(world):
    with pytest.raises(AssessmentError, match="cannot be answered as not applicable"):
        answer(world, "epr", [], not_applicable=True, not_applicable_reason="No beds")


def test_save_answer_not_applicable_needs_a_reason(world):
    Domain.objects.filter(key="epr").update(allows_not_applicable=True)
    with pytest.raises(AssessmentError, match="Say why"):
        answer(world, "epr", [], not_applicable=True)
    saved = answer(world, "epr", [], not_applicable=True, not_applicable_reason="No beds")
    assert saved.level is None and saved.not_applicable


def test_save_answer_by_the_wrong_role_is_refused(world):
    with pytest.raises(NotAllowed):
        answer(world, "epr", ["1a"], by=world.approver)


def test_save_answer_stale_version_is_refused_and_keeps_both_values(world):
    answer(world, "epr", ["1a", "1b"])
    answer(world, "epr", ["1a", "1b", "2a", "2b"], version=1, by=world.contributor)
    with pytest.raises(StaleAnswer, match="changed by Casey Contributor") as stale:
        answer(world, "epr", ["1a"], version=1)
    assert stale.value.current.elements == ("1a", "1b", "2a", "2b")
    assert stale.value.refused.elements == ("1a",)
    kept = answer(world, "epr", ["1a"], version=2)
    assert [r.met_elements for r in kept.revisions.order_by("version")] == [
        ["1a", "1b"],
        ["1a", "1b", "2a", "2b"],
        ["1a"],
    ]


def test_workflow_by_the_named_roles(world):
    assessment = world.assessment()
    answer_everything(world)
    workflow.take_step(assessment=assessment, step=Step.SUBMIT, by=world.contributor)
    with pytest.raises(NotAllowed):
        workflow.take_step(assessment=assessment, step=Step.APPROVE, by=world.contributor)
    with pytest.raises(NotAllowed):
        workflow.take_step(assessment=assessment, step=Step.APPROVE, by=world.admin)
    workflow.take_step(assessment=assessment, step=Step.APPROVE, by=world.approver)
    with pytest.raises(NotAllowed):
        workflow.take_step(assessment=assessment, step=Step.VALIDATE, by=world.analyst)
    workflow.take_step(
        assessment=assessment, step=Step.SEND_BACK, by=world.ics_lead, comment="Check EPR"
    )
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT
    workflow.take_step(assessment=assessment, step=Step.SUBMIT, by=world.contributor)
    workflow.take_step(assessment=assessment, step=Step.APPROVE, by=world.approver)
    workflow.take_step(assessment=assessment, step=Step.VALIDATE, by=world.ics_lead)
    workflow.take_step(assessment=assessment, step=Step.PUBLISH, by=world.admin)
    steps = list(assessment.transitions.values_list("from_status", "to_status", "by__full_name"))
    assert steps[1:] == [
        (AssessmentStatus.DRAFT, AssessmentStatus.SUBMITTED, "Casey Contributor"),
        (AssessmentStatus.SUBMITTED, AssessmentStatus.APPROVED, "Avery Approver"),
        (AssessmentStatus.APPROVED, AssessmentStatus.DRAFT, "Indra Lead"),
        (AssessmentStatus.DRAFT, AssessmentStatus.SUBMITTED, "Casey Contributor"),
        (AssessmentStatus.SUBMITTED, AssessmentStatus.APPROVED, "Avery Approver"),
        (AssessmentStatus.APPROVED, AssessmentStatus.VALIDATED, "Indra Lead"),
        (AssessmentStatus.VALIDATED, AssessmentStatus.PUBLISHED, "Ari Admin"),
    ]


def test_workflow_step_from_the_wrong_state_is_refused(world):
    with pytest.raises(AssessmentError, match="only a submitted one can"):
        workflow.take_step(assessment=world.assessment(), step=Step.APPROVE, by=world.approver)


def test_send_back_needs_a_reason(world):
    answer_everything(world)
    workflow.take_step(assessment=world.assessment(), step=Step.SUBMIT, by=world.contributor)
    with pytest.raises(AssessmentError, match="Say why"):
        workflow.take_step(assessment=world.assessment(), step=Step.SEND_BACK, by=world.approver)


def test_ics_assessment_is_validated_by_a_national_analyst(world):
    assessment = world.assessment(world.ics, "ics")
    assert not queries.progress(assessment).answered
    from accounts.policy import may_take_step

    assessment.status = AssessmentStatus.APPROVED
    assert may_take_step(world.analyst, Step.VALIDATE, assessment)
    assert not may_take_step(world.ics_lead, Step.VALIDATE, assessment)


def test_answers_are_frozen_from_submission(world):
    answer_everything(world)
    workflow.take_step(assessment=world.assessment(), step=Step.SUBMIT, by=world.contributor)
    with pytest.raises(AssessmentError, match="frozen"):
        answer(world, "epr", ["1a"], version=1)


def test_submit_refused_lists_unanswered_missing_evidence_and_broken_rules(world):
    answer_everything(world, level=1)
    assessment = world.assessment()
    answer(world, "closed-loop-medicines", ALL[:8], version=1)
    with pytest.raises(workflow.SubmissionRefused) as refused:
        workflow.take_step(assessment=assessment, step=Step.SUBMIT, by=world.contributor)
    problems = refused.value.problems
    assert [p.domain.key for p in problems.missing_evidence] == ["closed-loop-medicines"]
    assert [p.text.split(";")[0] for p in problems.inconsistent] == [
        "You answered Closed loop medicines at level 4 but Epr at level 1"
    ]
    assert "needs Epr at level 3 or above" in problems.inconsistent[0].text
    assert world.assessment().status == AssessmentStatus.DRAFT


def test_close_round_publishes_every_validated_assessment(world):
    answer_everything(world)
    assessment = world.assessment()
    for step, by in [
        (Step.SUBMIT, world.contributor),
        (Step.APPROVE, world.approver),
        (Step.VALIDATE, world.ics_lead),
    ]:
        workflow.take_step(assessment=assessment, step=step, by=by)
    assert workflow.close_round(round=world.round, by=world.admin) == 1
    world.round.refresh_from_db()
    assert world.round.status == RoundStatus.CLOSED
    assert world.assessment().status == AssessmentStatus.PUBLISHED
    ics_contributor = person(RoleName.CONTRIBUTOR, world.ics)
    with pytest.raises(AssessmentError, match="takes no answers: round 2026/27 is closed"):
        answer(
            world,
            "ics-well-led",
            ["1a"],
            by=ics_contributor,
            assessment=world.assessment(world.ics, "ics"),
        )


def test_close_round_command(world, capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    call_command("close-round", "2026/27")
    assert "Round 2026/27 closed" in capsys.readouterr().out
    with pytest.raises(CommandError, match="already closed"):
        call_command("close-round", "2026/27")
    with pytest.raises(CommandError, match="no round called 1999/00"):
        call_command("close-round", "1999/00")

"""Synthetic demo rounds for `northstar demo`: a previous round, 2025/26
(published), and the current one, 2026/27 (open), for the demo ICS and its
member organisations, in mixed states. Every answer is synthetic and says so.

Every assessment goes through the real workflow, as people would take it: its
organisation's contributor answers it, with evidence wherever a level needs
it, and the people holding each role submit, approve, validate and publish
it. Idempotent: a round that exists is left alone."""

import random
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts import services as accounts
from accounts.models import RoleName
from accounts.policy import Step
from assessments import queries, services, workflow
from assessments.models import Round
from assessments.workflow import AnswerValue, AssessmentStatus, Change
from frameworks.models import Framework, FrameworkVersion
from organisations.models import Organisation
from organisations.queries import members_of

DEMO_ICS = "QE1"
DEMO_TRUST = "RXN"
SYNTHETIC = "Synthetic demo answer"
PREVIOUS = ("2025/26", date(2025, 4, 1), date(2025, 6, 30))
CURRENT = ("2026/27", date(2026, 4, 1), date(2027, 3, 31))

# Where each organisation's 2026/27 assessment stands, so that each demo role
# has something to do: the demo trust's is a draft started from last year's
# answers; others wait for approval, validation or publication.
CURRENT_STATES = [
    AssessmentStatus.APPROVED,
    AssessmentStatus.SUBMITTED,
    AssessmentStatus.VALIDATED,
    AssessmentStatus.DRAFT,
]
SIGN_OFF = [Step.SUBMIT, Step.APPROVE, Step.VALIDATE, Step.PUBLISH]


def _version():
    framework = Framework.objects.filter(slug="wgll").first()
    return (
        FrameworkVersion.objects.filter(
            framework=framework, status=FrameworkVersion.Status.PUBLISHED
        )
        .order_by("year", "revision")
        .first()
    )


def _organisations(on):
    ics = Organisation.objects.get(ods_code=DEMO_ICS)
    return [ics, *members_of(ics, on=on)]


@transaction.atomic
def create_demo_rounds():
    """Create the demo rounds if they are missing; returns what was done, in words."""
    version = _version()
    if version is None or not Organisation.objects.filter(ods_code=DEMO_ICS).exists():
        return "Demo rounds skipped: load the framework and organisations first."
    previous = Round.objects.filter(name=PREVIOUS[0]).first()
    done = []
    if previous is None:
        previous = _previous_round(version)
        done.append(f"{previous.name} (published)")
    if not Round.objects.filter(name=CURRENT[0]).exists():
        current = _open(CURRENT, version, previous)
        _current_states(current)
        done.append(f"{current.name} (open, in mixed states)")
    if not done:
        return "Demo rounds already in place."
    return "Synthetic demo rounds: " + "; ".join(done)


def _previous_round(version):
    """Last year's round, answered and published while open, then closed by
    the platform admin. Answers are taken only while a round is open, so it
    stays open until today to be filled."""
    name, opens_on, closes_on = PREVIOUS
    round = _open((name, opens_on, max(closes_on, timezone.localdate())), version, None)
    chooser = random.Random(2025)  # noqa: S311 (synthetic data, not security)
    for assessment in _assessments(round):
        _answer(assessment, chooser)
        _sign_off(assessment, AssessmentStatus.PUBLISHED)
    workflow.close_round(round=round, by=_holder(RoleName.PLATFORM_ADMIN))
    return round


def _open(spec, version, previous):
    name, opens_on, closes_on = spec
    return services.open_round(
        name=name,
        framework_version=version,
        opens_on=opens_on,
        closes_on=closes_on,
        previous=previous,
        organisations=_organisations(opens_on),
        by=_holder(RoleName.PLATFORM_ADMIN),
    )


def _assessments(round):
    return list(
        round.assessments.select_related("organisation", "round__framework_version").order_by(
            "organisation__name", "care_setting"
        )
    )


def _holder(role, organisation=None):
    """Someone holding ``role`` (at ``organisation``): a demo account where
    there is one, otherwise a synthetic person made for the demo, who cannot
    sign in."""
    found = (
        get_user_model()
        .objects.filter(roles__name=role, roles__organisation=organisation, is_active=True)
        .order_by("pk")
        .first()
    )
    if found is not None:
        return found
    where = f" at {organisation.name}" if organisation else ""
    code = organisation.ods_code.lower() if organisation else "national"
    return accounts.ensure_user(
        email=f"demo-{role.replace('_', '-')}-{code}@northstar.example",
        full_name=f"Synthetic {RoleName(role).label.lower()}{where}",
        roles=[(role, organisation)],
    )


def _signer(step, assessment):
    """Who takes ``step`` on an assessment of the demo ICS or one of its members."""
    organisation = assessment.organisation
    if step == Step.SUBMIT:
        return _holder(RoleName.CONTRIBUTOR, organisation)
    if step == Step.APPROVE:
        return _holder(RoleName.APPROVER, organisation)
    if step == Step.VALIDATE and organisation.is_ics:
        return _holder(RoleName.NATIONAL_ANALYST)
    if step == Step.VALIDATE:
        return _holder(RoleName.ICS_LEAD, Organisation.objects.get(ods_code=DEMO_ICS))
    return _holder(RoleName.PLATFORM_ADMIN)


def _answer(assessment, chooser):
    """A synthetic answer, at level 1 to 3, to every domain, by the
    organisation's contributor, with evidence where the level needs it."""
    contributor = _signer(Step.SUBMIT, assessment)
    evidence = _evidence(assessment, contributor)
    changes = []
    for domain in queries.domains_of(assessment):
        by_level = queries.elements_by_level(domain)
        level = chooser.choice([1, 2, 2, 3, 3])
        elements = [k for lower in range(1, level + 1) for k in by_level[lower]]
        extra = by_level.get(level + 1, [])[:1]
        needs = domain.evidence_required_from
        value = AnswerValue(
            elements=tuple(sorted(elements + extra)),
            comment=SYNTHETIC,
            evidence_ids=(evidence.id,) if needs and level >= needs else (),
        )
        changes.append(Change(assessment, domain, value))
    workflow.apply_answers(changes=changes, by=contributor)


def _evidence(assessment, contributor):
    """The organisation's synthetic evidence for the round, added once."""
    found = (
        queries.evidence_of(assessment.organisation, assessment.round)
        .filter(title__startswith="Synthetic demo evidence")
        .first()
    )
    return found or services.add_evidence(
        assessment=assessment,
        title="Synthetic demo evidence: electronic patient record roll-out",
        note=(
            "**Synthetic demo evidence.** The board approved the roll-out plan; "
            "wards live so far are listed in the programme report."
        ),
        by=contributor,
    )


def _sign_off(assessment, status):
    """Take the assessment through the sign-off steps until it is ``status``."""
    for step in SIGN_OFF:
        if assessment.status == status:
            return
        assessment = workflow.take_step(
            assessment=assessment,
            step=step,
            by=_signer(step, assessment),
            comment="Synthetic demo step",
        )


def _current_states(current):
    """The demo trust keeps last year's answers to confirm; the others have
    answered afresh and stand at different steps."""
    chooser = random.Random(2026)  # noqa: S311 (synthetic data, not security)
    others = [a for a in _assessments(current) if a.organisation.ods_code != DEMO_TRUST]
    for index, assessment in enumerate(others):
        _answer(assessment, chooser)
        _sign_off(assessment, CURRENT_STATES[index % len(CURRENT_STATES)])
    trust = current.assessments.filter(organisation__ods_code=DEMO_TRUST).first()
    if trust is not None:
        _evidence(trust, _signer(Step.SUBMIT, trust))

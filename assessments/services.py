"""Writes to assessments: opening and closing rounds, answering, carrying
answers forward, evidence and the sign-off workflow. Each is atomic and writes
its ``AnswerRevision`` or ``Transition`` in the same transaction."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.policy import (
    NEXT_STEP,
    Permission,
    Step,
    has_permission,
    may_take_step,
    refusal,
    step_refusal,
)
from assessments import queries, signals
from assessments.evidence import EvidenceFileError, check_file, check_link
from assessments.levels import level_achieved, missing_for
from assessments.models import (
    Answer,
    AnswerRevision,
    Assessment,
    AssessmentStatus,
    Evidence,
    KeptInput,
    MetElement,
    Round,
    Transition,
)
from frameworks.models import FrameworkVersion
from frameworks.validation import version_key
from organisations.models import Organisation, OrganisationType
from organisations.queries import open_on
from scoring import services as scoring


class AssessmentError(Exception):
    """Bad input or a step that is not allowed, with what to do about it.
    ``field`` names the form field or column it concerns, when there is one."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(AssessmentError):
    pass


class SubmissionRefused(AssessmentError):
    def __init__(self, problems):
        super().__init__("This assessment cannot be submitted yet: fix the problems listed first")
        self.problems = problems


@dataclass(frozen=True)
class AnswerValue:
    """An answer's value, as compared, stored in a revision and shown."""

    elements: tuple = ()
    not_applicable: bool = False
    not_applicable_reason: str = ""
    comment: str = ""
    evidence_ids: tuple = ()

    @classmethod
    def of_answer(cls, answer):
        return cls(
            elements=tuple(queries.met_keys(answer)),
            not_applicable=answer.not_applicable,
            not_applicable_reason=answer.not_applicable_reason,
            comment=answer.comment,
            evidence_ids=tuple(sorted(e.id for e in answer.evidence.all())),
        )


class StaleAnswer(AssessmentError):
    """A save based on a version someone else has since replaced. Carries the
    answer as it now stands and the value that was refused."""

    def __init__(self, answer, refused):
        who = answer.updated_by.full_name if answer.updated_by else "an import"
        from core.presenters import datetime

        super().__init__(
            f"This answer was changed by {who} at {datetime(answer.updated_at)} "
            "while you were editing it. Nothing has been overwritten: choose which answer to keep."
        )
        self.answer = answer
        self.current = AnswerValue.of_answer(answer)
        self.refused = refused


# --- Rounds ------------------------------------------------------------------

DEFAULT_TYPES = [
    OrganisationType.ICB,
    OrganisationType.ACUTE,
    OrganisationType.SPECIALIST,
    OrganisationType.MENTAL_HEALTH,
    OrganisationType.COMBINED,
    OrganisationType.COMMUNITY,
    OrganisationType.AMBULANCE,
]


@transaction.atomic
def open_round(
    *,
    name,
    framework_version,
    opens_on,
    closes_on,
    by,
    organisation_types=None,
    previous=None,
    organisations=None,
):
    """Open a round: one assessment per taking-part organisation per care
    setting it reports (ICSs answer as ``ics``), each starting from the
    previous round's answers where they are comparable. ``organisations``
    narrows who takes part (the demo uses it)."""
    if by is not None and not has_permission(by, Permission.MANAGE_ROUNDS):
        raise NotAllowed(refusal(Permission.MANAGE_ROUNDS))
    if framework_version.status != FrameworkVersion.Status.PUBLISHED:
        raise AssessmentError(
            f"{framework_version} is a draft: a round must use a published version",
            field="framework_version",
        )
    if closes_on < opens_on:
        raise AssessmentError(
            "The closing date must be on or after the opening date", field="closes_on"
        )
    if Round.objects.filter(name=name).exists():
        raise AssessmentError(f"There is already a round called {name}", field="name")
    types = list(organisation_types or DEFAULT_TYPES)
    round = Round.objects.create(
        name=name,
        framework_version=framework_version,
        opens_on=opens_on,
        closes_on=closes_on,
        organisation_types=types,
        previous=previous,
        created_by=by,
    )
    taking_part = Organisation.objects.filter(open_on(opens_on), org_type__in=types)
    if organisations is not None:
        taking_part = taking_part.filter(pk__in=[o.pk for o in organisations])
    new = []
    for organisation in taking_part:
        settings_reported = ["ics"] if organisation.is_ics else organisation.care_settings
        for care_setting in settings_reported:
            if organisation.is_ics or care_setting != "ics":
                new.append(
                    Assessment(round=round, organisation=organisation, care_setting=care_setting)
                )
    created = Assessment.objects.bulk_create(new)
    if previous is not None:
        carry_forward(round=round, assessments=created, by=by)
    now = timezone.now()
    Transition.objects.bulk_create(
        Transition(
            assessment=assessment,
            from_status="",
            to_status=AssessmentStatus.DRAFT,
            by=by,
            at=now,
            comment=f"Opened with round {round.name}",
        )
        for assessment in created
    )
    scoring.recompute_round(round_=round)
    return round


def carry_forward(*, round, assessments, by):
    """Copy each assessment's previous-round answers, matched by domain id,
    marked "carried forward: confirm or change". Domains new or reworded since
    the previous round's version are never carried. Set-based: one query per
    table, whatever the number of assessments."""
    previous = round.previous
    since = version_key(previous.framework_version.version)
    old = {
        (a.organisation_id, a.care_setting): a.id for a in Assessment.objects.filter(round=previous)
    }
    old_answers = {}
    for answer in Answer.objects.filter(assessment__round=previous).select_related("domain"):
        old_answers.setdefault(answer.assessment_id, []).append(answer)
    old_met = {}
    for answer_id, key in MetElement.objects.filter(answer__assessment__round=previous).values_list(
        "answer_id", "element__key"
    ):
        old_met.setdefault(answer_id, []).append(key)
    domains_cache = {}
    ics_ids = queries.ics_ids_on([a.organisation for a in assessments], round.structure_on)
    now = timezone.now()
    note = f"Carried forward from {previous.name}"
    planned = []
    for assessment in assessments:
        old_id = old.get((assessment.organisation_id, assessment.care_setting))
        if old_id is None:
            continue
        ics_id = ics_ids.get(assessment.organisation_id)
        key = (assessment.care_setting, ics_id)
        if key not in domains_cache:
            domains_cache[key] = {
                d.key: d
                for d in queries.domains_for_setting(
                    round.framework_version, assessment.care_setting, ics_id
                )
            }
        domains = domains_cache[key]
        for old_answer in old_answers.get(old_id, []):
            domain = domains.get(old_answer.domain.key)
            if domain is None or version_key(domain.comparable_since) > since:
                continue
            elements = {e.key: e for e in domain.elements.all()}
            kept = sorted(k for k in old_met.get(old_answer.id, []) if k in elements)
            level = (
                None
                if old_answer.not_applicable
                else level_achieved(queries.elements_by_level(domain), kept)
            )
            answer = Answer(
                assessment=assessment,
                domain=domain,
                version=1,
                level=level,
                not_applicable=old_answer.not_applicable,
                not_applicable_reason=old_answer.not_applicable_reason,
                comment=old_answer.comment,
                carried_forward=True,
                updated_by=by,
                updated_at=now,
            )
            planned.append((answer, [elements[k] for k in kept]))
    created = Answer.objects.bulk_create(answer for answer, _ in planned)
    MetElement.objects.bulk_create(
        MetElement(answer=answer, element=element)
        for answer, (_, elements) in zip(created, planned, strict=True)
        for element in elements
    )
    AnswerRevision.objects.bulk_create(
        _revision(answer, [e.key for e in elements], [], by=by, at=now, note=note)
        for answer, (_, elements) in zip(created, planned, strict=True)
    )
    return len(created)


@transaction.atomic
def close_round(*, round, by):
    """Close a round: it takes no more answers, and every validated
    assessment in it is published. ``by`` is None from the command line."""
    if by is not None and not has_permission(by, Permission.MANAGE_ROUNDS):
        raise NotAllowed(refusal(Permission.MANAGE_ROUNDS))
    round = Round.objects.select_for_update(of=("self",)).get(pk=round.pk)
    if round.closed_at is not None:
        raise AssessmentError(f"Round {round.name} is already closed")
    now = timezone.now()
    round.closed_at, round.closed_by = now, by
    round.save(update_fields=["closed_at", "closed_by"])
    validated = list(
        Assessment.objects.select_for_update(of=("self",)).filter(
            round=round, status=AssessmentStatus.VALIDATED
        )
    )
    Transition.objects.bulk_create(
        Transition(
            assessment=a,
            from_status=AssessmentStatus.VALIDATED,
            to_status=AssessmentStatus.PUBLISHED,
            by=by,
            at=now,
            comment=f"Published when round {round.name} closed",
        )
        for a in validated
    )
    Assessment.objects.filter(pk__in=[a.pk for a in validated]).update(
        status=AssessmentStatus.PUBLISHED, status_changed_at=now
    )
    signals.publication_changed.send(
        sender=Round, round_id=round.pk, assessment_ids=[a.pk for a in validated]
    )
    return len(validated)


# --- Answers -----------------------------------------------------------------


def check_editable(assessment, by):
    if by is not None and not may_take_step(by, Step.ANSWER, assessment):
        raise NotAllowed(step_refusal(Step.ANSWER))
    if assessment.round.status != "open":
        raise AssessmentError(
            f"Round {assessment.round.name} is {assessment.round.status}: "
            "answers can only be changed while it is open"
        )
    if assessment.status != AssessmentStatus.DRAFT:
        raise AssessmentError(
            f"This assessment is {assessment.get_status_display().lower()}, so its answers "
            "are frozen. They can be changed only if it is sent back to draft."
        )


def check_value(domain, value, *, claimed_level=None):
    """The level a value achieves in ``domain``, or ``AssessmentError``."""
    elements = {e.key for e in domain.elements.all()}
    unknown = [key for key in value.elements if key not in elements]
    if unknown:
        raise AssessmentError(
            f"{', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} not "
            f"{'an element' if len(unknown) == 1 else 'elements'} of {domain.name}: "
            f"its elements are {', '.join(sorted(elements))}",
            field="elements",
        )
    if value.not_applicable:
        if not domain.allows_not_applicable:
            raise AssessmentError(
                f"{domain.name} cannot be answered as not applicable: tick the elements that are met",
                field="not_applicable",
            )
        if not value.not_applicable_reason.strip():
            raise AssessmentError(
                f"Say why {domain.name} is not applicable", field="not_applicable_reason"
            )
        if value.elements:
            raise AssessmentError(
                f"Either tick the elements of {domain.name} that are met or answer not "
                "applicable, not both",
                field="not_applicable",
            )
        level = None
    else:
        level = level_achieved(queries.elements_by_level(domain), value.elements)
    if claimed_level is not None and claimed_level != level:
        missing = missing_for(queries.elements_by_level(domain), value.elements, claimed_level)
        needs = f"; it also needs {', '.join(missing)}" if missing else ""
        raise AssessmentError(
            f"Level {claimed_level} was claimed for {domain.name}, but the elements met reach "
            f"level {level or 0}{needs}. A level counts only when all its elements, and every "
            "lower level's, are met",
            field="level",
        )
    return level


def _revision(answer, elements, evidence_ids, *, by, at, note=""):
    return AnswerRevision(
        answer=answer,
        version=answer.version,
        by=by,
        at=at,
        met_elements=sorted(elements),
        level=answer.level,
        not_applicable=answer.not_applicable,
        not_applicable_reason=answer.not_applicable_reason,
        comment=answer.comment,
        evidence_ids=sorted(evidence_ids),
        note=note,
    )


def _evidence(assessment, evidence_ids):
    found = {
        e.id: e
        for e in Evidence.objects.filter(
            pk__in=evidence_ids, organisation=assessment.organisation, round=assessment.round
        )
    }
    missing = [i for i in evidence_ids if i not in found]
    if missing:
        raise AssessmentError(
            "Choose evidence held by this organisation for this round", field="evidence"
        )
    return list(found.values())


@transaction.atomic
def save_answer(
    *,
    assessment,
    domain,
    value,
    version,
    by,
    claimed_level=None,
    note="",
):
    """Save one domain's answer. ``version`` is the one the change was based
    on (0 for a first answer); if someone has saved since, ``StaleAnswer`` is
    raised and nothing changes. Returns ``(answer, changed)``."""
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("round__framework_version", "organisation")
        .get(pk=assessment.pk)
    )
    check_editable(assessment, by)
    if domain.id not in {d.id for d in queries.domains_of(assessment)}:
        raise AssessmentError(f"{domain.name} is not part of this assessment", field="domain")
    level = check_value(domain, value, claimed_level=claimed_level)
    evidence = _evidence(assessment, value.evidence_ids)
    answer = (
        Answer.objects.select_for_update(of=("self",))
        .select_related("updated_by")
        .filter(assessment=assessment, domain=domain)
        .first()
    )
    if (answer.version if answer else 0) != version:
        if answer is None:
            raise AssessmentError("This answer no longer exists: reload the page", field="version")
        raise StaleAnswer(answer, value)
    now = timezone.now()
    if answer is None:
        answer = Answer(assessment=assessment, domain=domain, version=0)
        previous_keys = set()
    else:
        current = AnswerValue.of_answer(answer)
        if current == value and not answer.carried_forward:
            return answer, False
        previous_keys = set(current.elements)
        if current == value and not note:
            note = "Confirmed unchanged"
    answer.version += 1
    answer.level = level
    answer.not_applicable = value.not_applicable
    answer.not_applicable_reason = (
        value.not_applicable_reason.strip() if value.not_applicable else ""
    )
    answer.comment = value.comment.strip()
    answer.carried_forward = False
    answer.updated_by, answer.updated_at = by, now
    try:
        with transaction.atomic():
            answer.save()
    except IntegrityError as error:
        raise AssessmentError(
            "Someone else answered this at the same moment: reload the page", field="version"
        ) from error
    elements = {e.key: e for e in domain.elements.all()}
    wanted = set(value.elements)
    MetElement.objects.filter(answer=answer).exclude(element__key__in=wanted).delete()
    MetElement.objects.bulk_create(
        MetElement(answer=answer, element=elements[key]) for key in sorted(wanted - previous_keys)
    )
    answer.evidence.set(evidence)
    _revision(answer, wanted, value.evidence_ids, by=by, at=now, note=note).save()
    scoring.answers_changed(assessment=assessment)
    return answer, True


@transaction.atomic
def confirm_measure(*, assessment, measure, by):
    """Confirm, unchanged, every answer in ``measure`` still marked carried
    forward. Returns how many were confirmed."""
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("round")
        .get(pk=assessment.pk)
    )
    check_editable(assessment, by)
    answers = list(
        Answer.objects.select_for_update(of=("self",))
        .filter(assessment=assessment, domain__measure=measure, carried_forward=True)
        .prefetch_related("met__element", "evidence")
    )
    now = timezone.now()
    revisions = []
    for answer in answers:
        answer.version += 1
        answer.carried_forward = False
        answer.updated_by, answer.updated_at = by, now
        revisions.append(
            _revision(
                answer,
                [m.element.key for m in answer.met.all()],
                [e.id for e in answer.evidence.all()],
                by=by,
                at=now,
                note="Confirmed unchanged",
            )
        )
    Answer.objects.bulk_update(answers, ["version", "carried_forward", "updated_by", "updated_at"])
    AnswerRevision.objects.bulk_create(revisions)
    return len(answers)


# --- Workflow ----------------------------------------------------------------

MOVES = {
    Step.SUBMIT: (AssessmentStatus.DRAFT, AssessmentStatus.SUBMITTED),
    Step.APPROVE: (AssessmentStatus.SUBMITTED, AssessmentStatus.APPROVED),
    Step.VALIDATE: (AssessmentStatus.APPROVED, AssessmentStatus.VALIDATED),
    Step.PUBLISH: (AssessmentStatus.VALIDATED, AssessmentStatus.PUBLISHED),
}
STEP_NAMES = {
    Step.SUBMIT: "submitted",
    Step.APPROVE: "approved",
    Step.VALIDATE: "validated",
    Step.PUBLISH: "published",
    Step.SEND_BACK: "sent back to draft",
}


@transaction.atomic
def take_step(*, assessment, step, by, comment=""):
    """Move an assessment on one step (or back to draft), recording who, when
    and why. Only the named role may take each step, from its one status."""
    step = Step(step)
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("round__framework_version", "organisation")
        .get(pk=assessment.pk)
    )
    if step == Step.ANSWER:
        raise AssessmentError("Answering is not a workflow step")
    if not may_take_step(by, step, assessment):
        raise NotAllowed(step_refusal(step))
    current = assessment.status
    if step == Step.SEND_BACK:
        if NEXT_STEP.get(current) in (None, Step.SUBMIT):
            raise AssessmentError(
                f"This assessment is {assessment.get_status_display().lower()}: only a "
                "submitted, approved or validated one can be sent back to draft"
            )
        if not comment.strip():
            raise AssessmentError("Say why it is being sent back", field="comment")
        target = AssessmentStatus.DRAFT
    else:
        source, target = MOVES[step]
        if current != source:
            raise AssessmentError(
                f"This assessment is {assessment.get_status_display().lower()}, so it cannot be "
                f"{STEP_NAMES[step]}: only a {AssessmentStatus(source).label.lower()} one can"
            )
        if step == Step.SUBMIT:
            if assessment.round.status != "open":
                raise AssessmentError(
                    f"Round {assessment.round.name} is {assessment.round.status}: "
                    "assessments can be submitted only while it is open"
                )
            problems = queries.problems_of(assessment)
            if problems:
                raise SubmissionRefused(problems)
    now = timezone.now()
    Transition.objects.create(
        assessment=assessment,
        from_status=current,
        to_status=target,
        by=by,
        at=now,
        comment=comment.strip(),
    )
    assessment.status, assessment.status_changed_at = target, now
    assessment.save(update_fields=["status", "status_changed_at"])
    if AssessmentStatus.PUBLISHED in (current, target):
        signals.publication_changed.send(
            sender=Assessment, round_id=assessment.round_id, assessment_ids=[assessment.pk]
        )
    return assessment


# --- Evidence ----------------------------------------------------------------


def _next_number(organisation, round):
    last = Evidence.objects.filter(organisation=organisation, round=round).aggregate(
        last=Max("number")
    )["last"]
    return (last or 0) + 1


def _check_evidence_allowed(assessment, by):
    if not may_take_step(by, Step.ANSWER, assessment):
        raise NotAllowed(step_refusal(Step.ANSWER))
    if assessment.round.status != "open":
        raise AssessmentError(f"Round {assessment.round.name} is closed: evidence cannot be added")


@transaction.atomic
def add_evidence(*, assessment, title, by, note="", url="", upload=None):
    """Add a note, link or file for the organisation's round; it can then
    support answers in any of its care-setting assessments."""
    _check_evidence_allowed(assessment, by)
    title = title.strip()
    if not title:
        raise AssessmentError("Enter a title for the evidence", field="title")
    given = [
        kind
        for kind, present in (("note", note.strip()), ("url", url.strip()), ("file", upload))
        if present
    ]
    if len(given) != 1:
        raise AssessmentError(
            "Add one of a note, a link or a file"
            if not given
            else "Add a note, a link or a file, one at a time",
            field="note",
        )
    evidence = Evidence(
        organisation=assessment.organisation,
        round=assessment.round,
        number=_next_number(assessment.organisation, assessment.round),
        title=title,
        added_by=by,
    )
    if given == ["note"]:
        evidence.kind, evidence.note = Evidence.Kind.NOTE, note.strip()
    elif given == ["url"]:
        try:
            evidence.url = check_link(url)
        except ValueError as error:
            raise AssessmentError(str(error), field="url") from error
        evidence.kind = Evidence.Kind.LINK
    else:
        try:
            content_type = check_file(name=upload.name, size=upload.size, opened=upload)
        except EvidenceFileError as error:
            raise AssessmentError(str(error), field="upload") from error
        evidence.kind = Evidence.Kind.FILE
        evidence.content_type = content_type
        evidence.original_name = Path(upload.name).name[:255]
        evidence.size = upload.size
        evidence.stored_name, evidence.sha256 = _store(upload)
    evidence.save()
    return evidence


def evidence_folder():
    return Path(settings.MEDIA_ROOT) / "evidence"


def _store(upload):
    folder = evidence_folder()
    folder.mkdir(parents=True, exist_ok=True)
    name = secrets.token_hex(20)
    digest = hashlib.sha256()
    with open(folder / name, "xb") as out:
        for chunk in upload.chunks():
            digest.update(chunk)
            out.write(chunk)
    return name, digest.hexdigest()


# --- Input kept across a sign-in ---------------------------------------------

KEPT_FOR = timedelta(days=1)


@transaction.atomic
def keep_input(*, path, data):
    """Keep a form's input sent after the session ended; returns the one-time
    token that brings it back. Input older than a day is forgotten."""
    KeptInput.objects.filter(created_at__lt=timezone.now() - KEPT_FOR).delete()
    token = secrets.token_urlsafe(32)
    KeptInput.objects.create(token=token, path=path, data=data)
    return token


@transaction.atomic
def take_kept_input(*, token, path):
    """The input kept under ``token`` for ``path``, once; None if there is none."""
    kept = (
        KeptInput.objects.select_for_update(of=("self",))
        .filter(token=token, path=path, created_at__gte=timezone.now() - KEPT_FOR)
        .first()
    )
    if kept is None:
        return None
    kept.delete()
    return kept.data

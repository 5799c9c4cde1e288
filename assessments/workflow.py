"""The assessment lifecycle in one place: the status of a round and of an
assessment, the steps between them, when answers may change, and the one
writer of answers.

The policy (``accounts.policy``) decides who may take each step; this module
decides whether the status allows it and what the step does. The apps above
hear of what changed through ``assessments.signals``. Later steps (challenges,
validation) are added here and nowhere else."""

from collections import defaultdict
from dataclasses import dataclass, replace

from django.db import models, transaction
from django.utils import timezone

from accounts.policy import (
    Permission,
    Step,
    has_permission,
    holders_of,
    may_take_step,
    refusal,
    step_refusal,
)
from assessments import queries, signals
from assessments.levels import level_achieved, missing_for
from assessments.models import (
    Answer,
    AnswerRevision,
    Assessment,
    Evidence,
    MetElement,
    Round,
    Transition,
)
from core.presenters import datetime as datetime_words


class RoundStatus(models.TextChoices):
    UPCOMING = "upcoming", "Upcoming"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    VALIDATED = "validated", "Validated"
    PUBLISHED = "published", "Published"


# Each step forward, from the one status it may be taken from.
MOVES = {
    Step.SUBMIT: (AssessmentStatus.DRAFT, AssessmentStatus.SUBMITTED),
    Step.APPROVE: (AssessmentStatus.SUBMITTED, AssessmentStatus.APPROVED),
    Step.VALIDATE: (AssessmentStatus.APPROVED, AssessmentStatus.VALIDATED),
    Step.PUBLISH: (AssessmentStatus.VALIDATED, AssessmentStatus.PUBLISHED),
}
# The step each status waits for. Whoever may take it may refuse it instead,
# by sending the assessment back to draft (a draft waits for its own people).
PENDING = {source: step for step, (source, _) in MOVES.items()}


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

    def normalised(self):
        return AnswerValue(
            elements=tuple(sorted(set(self.elements))),
            not_applicable=self.not_applicable,
            not_applicable_reason=self.not_applicable_reason.strip() if self.not_applicable else "",
            comment=self.comment.strip(),
            evidence_ids=tuple(sorted(set(self.evidence_ids))),
        )


class StaleAnswer(AssessmentError):
    """A save based on a version someone else has since replaced. Carries the
    answer as it now stands and the value that was refused."""

    def __init__(self, answer, refused):
        who = answer.updated_by.full_name if answer.updated_by else "an import"
        super().__init__(
            f"This answer was changed by {who} at {datetime_words(answer.updated_at)} "
            "while you were editing it. Nothing has been overwritten: choose which answer to keep."
        )
        self.answer = answer
        self.current = AnswerValue.of_answer(answer)
        self.refused = refused


# --- Where a round and an assessment stand -----------------------------------


def round_status(round):
    today = timezone.localdate()
    if round.closed_at is not None or today > round.closes_on:
        return RoundStatus.CLOSED
    if today < round.opens_on:
        return RoundStatus.UPCOMING
    return RoundStatus.OPEN


def answerable(assessment):
    """Whether the assessment's answers may change now: its round is open and it is a draft."""
    return (
        round_status(assessment.round) == RoundStatus.OPEN
        and assessment.status == AssessmentStatus.DRAFT
    )


def pending_step(assessment):
    return PENDING.get(assessment.status)


def may_send_back(assessment):
    return pending_step(assessment) not in (None, Step.SUBMIT)


def may_take(user, step, assessment):
    """Whether ``user`` may take ``step`` on ``assessment`` now: the policy
    says who, the status (and for answering and submitting, the round) says when."""
    step = Step(step)
    if step == Step.SEND_BACK:
        return may_send_back(assessment) and may_take_step(
            user, step, assessment, pending=pending_step(assessment)
        )
    if step == Step.ANSWER:
        now = answerable(assessment)
    else:
        now = pending_step(assessment) == step and (
            step != Step.SUBMIT or round_status(assessment.round) == RoundStatus.OPEN
        )
    return now and may_take_step(user, step, assessment)


def named(assessment):
    """The assessment in words, as refusals name it."""
    return (
        f"The {assessment.get_care_setting_display().lower()} assessment of "
        f"{assessment.organisation.name} in round {assessment.round.name}"
    )


def change_refusal(assessment, by):
    """Why ``by`` may not change the assessment's answers now, or None. The same
    words whichever way the change came: a page, autosave, the API or an import."""
    if by is not None and not may_take_step(by, Step.ANSWER, assessment):
        return NotAllowed(step_refusal(Step.ANSWER))
    if answerable(assessment):
        return None
    status = round_status(assessment.round)
    if status != RoundStatus.OPEN:
        return AssessmentError(
            f"{named(assessment)} takes no answers: round {assessment.round.name} is "
            f"{status.label.lower()}, and answers can be changed only while it is open"
        )
    words = AssessmentStatus(assessment.status).label.lower()
    if not may_send_back(assessment):
        return AssessmentError(
            f"{named(assessment)} is {words}, so its answers are final: a {words} assessment "
            "cannot be sent back to draft"
        )
    return AssessmentError(
        f"{named(assessment)} is {words}, so its answers are frozen: "
        f"{holders_of(pending_step(assessment), assessment)} can send it back to draft "
        "to change them"
    )


# --- Answers -----------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One domain's new answer. ``version`` is the version it was based on (0
    for a first answer), or None to replace whatever is there (an import).
    ``keeps_evidence``: the answer keeps the evidence it has (an import carries none)."""

    assessment: Assessment
    domain: object
    value: AnswerValue
    version: int | None = None
    claimed_level: int | None = None
    keeps_evidence: bool = False


@dataclass
class Refusals:
    """What stops a batch of changes: per assessment (told once, however many
    changes it has) and per change, by its index in the batch."""

    assessments: dict
    changes: list

    def __bool__(self):
        return bool(self.assessments or self.changes)

    def first(self):
        if self.assessments:
            return next(iter(self.assessments.values()))
        return self.changes[0][1]


@dataclass
class Written:
    results: list  # (answer, changed) for each change, in order
    created: int
    changed: int
    unchanged: int


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


def check_answers(changes, *, by):
    """Every check a change must pass, without writing: whether its assessment
    may change now (once per assessment), whether the domain is the
    assessment's, the value and the evidence. Returns ``(refusals, checked)``:
    ``checked`` holds each change's domain (its elements fetched) and level."""
    refusals = Refusals({}, [])
    assessments = {c.assessment.id: c.assessment for c in changes}
    for assessment in assessments.values():
        refused = change_refusal(assessment, by)
        if refused is not None:
            refusals.assessments[assessment.id] = refused
    domains = queries.domains_by_assessment(list(assessments.values()))
    held = {
        e["id"]: (e["organisation_id"], e["round_id"])
        for e in Evidence.objects.filter(
            pk__in={i for c in changes for i in c.value.evidence_ids}
        ).values("id", "organisation_id", "round_id")
    }
    checked = []
    for index, change in enumerate(changes):
        assessment = change.assessment
        domain = domains[assessment.id].get(change.domain.id)
        checked.append((domain, None))
        if assessment.id in refusals.assessments:
            continue
        try:
            if domain is None:
                raise AssessmentError(
                    f"{change.domain.name} is not part of this assessment", field="domain"
                )
            checked[index] = (
                domain,
                check_value(domain, change.value, claimed_level=change.claimed_level),
            )
            whose = (assessment.organisation_id, assessment.round_id)
            if any(held.get(i) != whose for i in change.value.evidence_ids):
                raise AssessmentError(
                    "Choose evidence held by this organisation for this round", field="evidence"
                )
        except AssessmentError as error:
            refusals.changes.append((index, error))
    return refusals, checked


def _locked(changes):
    """The changes with their assessments read afresh and locked until commit,
    so that no step or other writer moves them meanwhile."""
    ids = sorted({c.assessment.id for c in changes})
    fresh = Assessment.objects.select_for_update(of=("self",)).select_related(
        "round__framework_version", "organisation"
    )
    by_id = {a.id: a for a in fresh.filter(pk__in=ids).order_by("pk")}
    return [replace(c, assessment=by_id[c.assessment.id]) for c in changes]


@transaction.atomic
def apply_answers(*, changes, by, note="", progress=None):
    """The one writer of answers. Every change is checked (``check_answers``)
    and checked against the version it was based on; then, in one transaction,
    each changed answer gets its new version and a revision, and the scores
    follow (``signals.answers_changed``). Anything refused raises and changes
    nothing. ``by`` is None only for an import from the command line."""
    changes = _locked(changes)
    refusals, checked = check_answers(changes, by=by)
    if refusals:
        raise refusals.first()
    changes = [replace(c, domain=domain) for c, (domain, _) in zip(changes, checked, strict=True)]
    assessment_ids = {c.assessment.id for c in changes}
    domain_ids = {c.domain.id for c in changes}
    existing = {
        (a.assessment_id, a.domain_id): a
        for a in Answer.objects.select_for_update(of=("self",))
        .select_related("updated_by")
        .filter(assessment_id__in=assessment_ids, domain_id__in=domain_ids)
    }
    met, evidence = defaultdict(set), defaultdict(set)
    for answer_id, key in MetElement.objects.filter(
        answer__assessment_id__in=assessment_ids, answer__domain_id__in=domain_ids
    ).values_list("answer_id", "element__key"):
        met[answer_id].add(key)
    for answer_id, evidence_id in Answer.evidence.through.objects.filter(
        answer__assessment_id__in=assessment_ids, answer__domain_id__in=domain_ids
    ).values_list("answer_id", "evidence_id"):
        evidence[answer_id].add(evidence_id)
    now = timezone.now()
    results, new, changed, written = [], [], [], []
    for done, (change, (_, level)) in enumerate(zip(changes, checked, strict=True), start=1):
        if progress and (done % 500 == 0 or done == len(changes)):
            progress(done, len(changes))
        answer = existing.get((change.assessment.id, change.domain.id))
        value = change.value.normalised()
        if answer is not None and change.keeps_evidence:
            value = replace(value, evidence_ids=tuple(sorted(evidence[answer.id])))
        _check_version(change, answer)
        revision_note = note
        if answer is None:
            answer = Answer(assessment=change.assessment, domain=change.domain, version=0)
            new.append(answer)
        else:
            current = AnswerValue(
                elements=tuple(sorted(met[answer.id])),
                not_applicable=answer.not_applicable,
                not_applicable_reason=answer.not_applicable_reason,
                comment=answer.comment,
                evidence_ids=tuple(sorted(evidence[answer.id])),
            )
            if current == value and not answer.carried_forward:
                results.append((answer, False))
                continue
            if current == value:
                revision_note = note or "Confirmed unchanged"
            changed.append(answer)
        answer.version += 1
        answer.level = level
        answer.not_applicable = value.not_applicable
        answer.not_applicable_reason = value.not_applicable_reason
        answer.comment = value.comment
        answer.carried_forward = False
        answer.updated_by, answer.updated_at = by, now
        written.append((answer, change, value, revision_note))
        results.append((answer, True))
    _write(new, changed, written, by=by, at=now)
    touched = sorted({change.assessment.id for _, change, _, _ in written})
    if touched:
        signals.answers_changed.send(sender=Assessment, assessment_ids=touched)
    return Written(
        results=results,
        created=len(new),
        changed=len(changed),
        unchanged=len(changes) - len(written),
    )


def _check_version(change, answer):
    if change.version is None or (answer.version if answer else 0) == change.version:
        return
    if answer is None:
        raise AssessmentError("This answer no longer exists: reload the page", field="version")
    raise StaleAnswer(queries.answer_of(change.assessment, change.domain), change.value)


def _write(new, changed, written, *, by, at):
    """The bulk writes: a few statements, whatever the number of answers."""
    Answer.objects.bulk_create(new)
    Answer.objects.bulk_update(
        changed,
        [
            "version",
            "level",
            "not_applicable",
            "not_applicable_reason",
            "comment",
            "carried_forward",
            "updated_by",
            "updated_at",
        ],
        batch_size=1000,
    )
    MetElement.objects.filter(answer__in=[a.id for a in changed]).delete()
    MetElement.objects.bulk_create(
        (
            MetElement(answer=answer, element=element)
            for answer, change, value, _ in written
            for element in change.domain.elements.all()
            if element.key in value.elements
        ),
        batch_size=2000,
    )
    through = Answer.evidence.through
    replaced = [a.id for a, change, _, _ in written if not change.keeps_evidence]
    through.objects.filter(answer__in=replaced).delete()
    through.objects.bulk_create(
        through(answer_id=answer.id, evidence_id=evidence_id)
        for answer, change, value, _ in written
        if not change.keeps_evidence
        for evidence_id in value.evidence_ids
    )
    AnswerRevision.objects.bulk_create(
        (
            AnswerRevision(
                answer=answer,
                version=answer.version,
                by=by,
                at=at,
                met_elements=list(value.elements),
                level=answer.level,
                not_applicable=answer.not_applicable,
                not_applicable_reason=answer.not_applicable_reason,
                comment=answer.comment,
                evidence_ids=list(value.evidence_ids),
                note=note,
            )
            for answer, _, value, note in written
        ),
        batch_size=2000,
    )


def confirm_measure(*, assessment, measure, by):
    """Confirm, unchanged, every answer in ``measure`` still marked carried
    forward. Returns how many were confirmed."""
    refused = change_refusal(assessment, by)
    if refused is not None:
        raise refused
    carried = [
        a
        for a in queries.answers_of(assessment).values()
        if a.carried_forward and a.domain.measure_id == measure.id
    ]
    written = apply_answers(
        changes=[
            Change(assessment, a.domain, AnswerValue.of_answer(a), version=a.version)
            for a in carried
        ],
        by=by,
    )
    return written.changed


# --- Steps -------------------------------------------------------------------


def record_opened(*, assessments, by, at, comment):
    """Record that each new assessment opened as a draft."""
    Transition.objects.bulk_create(
        Transition(
            assessment=assessment,
            from_status="",
            to_status=AssessmentStatus.DRAFT,
            by=by,
            at=at,
            comment=comment,
        )
        for assessment in assessments
    )


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
    current = assessment.status
    if step == Step.SEND_BACK:
        if not may_send_back(assessment):
            raise AssessmentError(
                f"This assessment is {assessment.get_status_display().lower()}: only a "
                "submitted, approved or validated one can be sent back to draft"
            )
        if not may_take_step(by, step, assessment, pending=pending_step(assessment)):
            raise NotAllowed(step_refusal(step))
        if not comment.strip():
            raise AssessmentError("Say why it is being sent back", field="comment")
        target = AssessmentStatus.DRAFT
    else:
        if not may_take_step(by, step, assessment):
            raise NotAllowed(step_refusal(step))
        source, target = MOVES[step]
        if current != source:
            raise AssessmentError(
                f"This assessment is {assessment.get_status_display().lower()}, so it cannot be "
                f"{target.label.lower()}: only a {source.label.lower()} one can"
            )
        if step == Step.SUBMIT:
            status = round_status(assessment.round)
            if status != RoundStatus.OPEN:
                raise AssessmentError(
                    f"Round {assessment.round.name} is {status.label.lower()}: "
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
            sender=Assessment, round_id=assessment.round_id, assessment_ids=[assessment.id]
        )
    return assessment


@transaction.atomic
def close_round(*, round, by):
    """Close a round: it takes no more answers, and every validated
    assessment in it is published. ``by`` is None from the command line.
    Returns how many were published."""
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
        sender=Assessment, round_id=round.id, assessment_ids=[a.id for a in validated]
    )
    return len(validated)


@transaction.atomic
def record_published(*, round, entries, comment, by=None):
    """Assessments NHS England published, for a round of published scores:
    each ``(organisation, care_setting)`` in ``entries`` not yet there is
    recorded as published, with its transition. Returns every assessment of
    the round by ``(organisation id, care setting)``."""
    if round.kind != Round.Kind.PUBLISHED:
        raise AssessmentError(
            f"Round {round.name} holds self-assessments: its assessments are published "
            "through the sign-off steps"
        )
    existing = {(a.organisation_id, a.care_setting) for a in round.assessments.all()}
    now = timezone.now()
    new = Assessment.objects.bulk_create(
        Assessment(
            round=round,
            organisation=organisation,
            care_setting=care_setting,
            status=AssessmentStatus.PUBLISHED,
            status_changed_at=now,
        )
        for organisation, care_setting in dict.fromkeys(entries)
        if (organisation.pk, care_setting) not in existing
    )
    Transition.objects.bulk_create(
        Transition(
            assessment=a,
            from_status=AssessmentStatus.DRAFT,
            to_status=AssessmentStatus.PUBLISHED,
            by=by,
            at=now,
            comment=comment,
        )
        for a in new
    )
    published = {(a.organisation_id, a.care_setting): a for a in round.assessments.all()}
    signals.publication_changed.send(
        sender=Assessment, round_id=round.id, assessment_ids=[a.id for a in published.values()]
    )
    return published

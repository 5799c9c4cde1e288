"""Assessments through the API: read and write answers (a write carries the
version it was based on; a stale one gets 409 with both values), read each
answer's history, and take workflow steps, under the same policy as the pages."""

from datetime import datetime
from typing import Literal

from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import StrictBool

from assessments import presenters, queries, workflow
from assessments.workflow import (
    AnswerValue,
    AssessmentError,
    AssessmentStatus,
    Change,
    NotAllowed,
    StaleAnswer,
    SubmissionRefused,
)
from core.api_schemas import FORBIDDEN, NOT_FOUND, Error, WholeNumber, whole_number

router = Router(tags=["Assessments"])

ADDRESS = "/{round}/{ods_code}/{care_setting}"


class AssessmentOut(Schema):
    round: str
    ods_code: str
    organisation: str
    care_setting: str
    status: str
    answered: int
    carried_forward: int = Field(description="Carried from last round, not yet confirmed.")
    domains: int


class TransitionOut(Schema):
    from_status: str = Field(description="Empty for the row recording the assessment's opening.")
    to_status: str
    by: str | None
    at: datetime
    comment: str


class AssessmentDetailOut(AssessmentOut):
    transitions: list[TransitionOut]
    problems: list[str] = Field(description="What stops submission, in words.")


class AnswerOut(Schema):
    domain_id: str
    version: int = Field(description="Send it back with a change; 0 when not yet answered.")
    level: int | None = Field(description="Level achieved; null when not applicable or unanswered.")
    elements_met: list[str]
    not_applicable: bool
    not_applicable_reason: str
    comment: str
    evidence: list[int] = Field(description="Evidence numbers within the organisation's round.")
    carried_forward: bool
    updated_by: str | None
    updated_at: datetime | None


class AnswerIn(Schema):
    version: WholeNumber = Field(
        ge=0, description="The version your change is based on (0 for a first answer)."
    )
    elements_met: list[str] = Field(default_factory=list, examples=[["1a", "1b", "2a"]])
    not_applicable: StrictBool = False
    not_applicable_reason: str = ""
    comment: str = ""
    evidence: list[WholeNumber] = Field(default_factory=list, description="Evidence numbers.")
    level: whole_number(ge=0, le=5) | None = Field(
        None,
        description="Optional: the level you expect; refused if the elements do not reach it.",
    )


class ValueOut(Schema):
    elements_met: list[str]
    not_applicable: bool
    not_applicable_reason: str
    comment: str
    evidence: list[int]


class ConflictOut(Error):
    changed_by: str
    changed_at: datetime
    version: int = Field(description="The current version: send it to keep your answer instead.")
    theirs: ValueOut
    yours: ValueOut


class FieldError(Error):
    field: str | None = None


class RevisionOut(Schema):
    version: int
    by: str | None
    at: datetime
    level: int | None
    elements_met: list[str]
    not_applicable: bool
    not_applicable_reason: str
    comment: str
    evidence_ids: list[int]
    note: str


class StepIn(Schema):
    step: Literal[tuple(presenters.STEP_DONE)] = Field(
        description="submit, approve, validate, publish or send_back"
    )
    comment: str = Field("", description="Required to send back: the reason.")


class StepRefused(Error):
    problems: list[str] = Field(default_factory=list)


class ListFilters(Schema):
    round: str = Field("", description="A round's name, e.g. 2026/27")
    ods_code: str = ""


def _assessment(request, round, ods_code, care_setting):
    return queries.assessment_for(
        request.user, round_slug=round, ods_code=ods_code, care_setting=care_setting
    )


def _summary(assessment, detail=False):
    domains = queries.domains_of(assessment)
    answers = queries.answers_of(assessment)
    progress = queries.progress(assessment, domains, answers)
    out = {
        "round": assessment.round.name,
        "ods_code": assessment.organisation.ods_code,
        "organisation": assessment.organisation.name,
        "care_setting": assessment.care_setting,
        "status": assessment.status,
        "answered": progress.answered,
        "carried_forward": progress.carried_forward,
        "domains": progress.total,
    }
    if detail:
        out["transitions"] = [
            {
                "from_status": t.from_status,
                "to_status": t.to_status,
                "by": t.by.full_name if t.by else None,
                "at": t.at,
                "comment": t.comment,
            }
            for t in queries.transitions_of(assessment)
        ]
        out["problems"] = (
            [p.text for p in queries.problems_of(assessment, domains, answers)]
            if assessment.status == AssessmentStatus.DRAFT
            else []
        )
    return out


def _numbers(assessment):
    return {e.id: e.number for e in queries.evidence_of(assessment.organisation, assessment.round)}


def _value_out(value, numbers):
    return {
        "elements_met": list(value.elements),
        "not_applicable": value.not_applicable,
        "not_applicable_reason": value.not_applicable_reason,
        "comment": value.comment,
        "evidence": [numbers[i] for i in value.evidence_ids if i in numbers],
    }


def _answer_out(domain, answer, numbers):
    if answer is None:
        return {
            "domain_id": domain.key, "version": 0, "level": None, "elements_met": [],
            "not_applicable": False, "not_applicable_reason": "", "comment": "", "evidence": [],
            "carried_forward": False, "updated_by": None, "updated_at": None,
        }  # fmt: skip
    value = AnswerValue.of_answer(answer)
    return {
        "domain_id": domain.key,
        "version": answer.version,
        "level": answer.level,
        **_value_out(value, numbers),
        "carried_forward": answer.carried_forward,
        "updated_by": answer.updated_by.full_name if answer.updated_by else None,
        "updated_at": answer.updated_at,
    }


def _domain(assessment, key):
    for domain in queries.domains_of(assessment):
        if domain.key == key:
            return domain
    raise HttpError(404, f"This assessment has no domain {key}.")


@router.get("", response={200: list[AssessmentOut], **NOT_FOUND}, summary="List assessments")
def list_assessments(request, filters: Query[ListFilters]):
    """The assessments you may see, optionally of one round or organisation (at most 500)."""
    found = queries.assessments_listed(
        request.user, round_slug=filters.round, ods_code=filters.ods_code
    )
    return [_summary(a) for a in found[:500]]


@router.get(ADDRESS, response=AssessmentDetailOut, summary="One assessment")
def get_assessment(request, round: str, ods_code: str, care_setting: str):
    """Status, progress, sign-off history and what stops submission. Write the
    round as in the address of its pages: 2026-27 for 2026/27."""
    return _summary(_assessment(request, round, ods_code, care_setting), detail=True)


@router.get(ADDRESS + "/answers", response=list[AnswerOut], summary="Every answer")
def list_answers(request, round: str, ods_code: str, care_setting: str):
    assessment = _assessment(request, round, ods_code, care_setting)
    answers = queries.answers_of(assessment)
    numbers = _numbers(assessment)
    return [_answer_out(d, answers.get(d.id), numbers) for d in queries.domains_of(assessment)]


@router.get(ADDRESS + "/answers/{domain}", response=AnswerOut, summary="One answer")
def get_answer(request, round: str, ods_code: str, care_setting: str, domain: str):
    assessment = _assessment(request, round, ods_code, care_setting)
    the_domain = _domain(assessment, domain)
    return _answer_out(the_domain, queries.answer_of(assessment, the_domain), _numbers(assessment))


@router.put(
    ADDRESS + "/answers/{domain}",
    response={200: AnswerOut, 400: FieldError, 403: Error, 409: ConflictOut},
    summary="Answer a domain",
)
def put_answer(
    request, round: str, ods_code: str, care_setting: str, domain: str, payload: AnswerIn
):
    """Send the elements met and the version your change is based on. If someone
    has saved since, the answer is 409 with both values and nothing changes:
    send your value again with the current version to keep it."""
    assessment = _assessment(request, round, ods_code, care_setting)
    the_domain = _domain(assessment, domain)
    by_number = {number: i for i, number in _numbers(assessment).items()}
    unknown = [n for n in payload.evidence if n not in by_number]
    if unknown:
        return Status(
            400,
            {
                "detail": f"No evidence numbered {unknown[0]} in this round.",
                "field": "evidence",
            },
        )
    value = AnswerValue(
        elements=tuple(sorted(set(payload.elements_met))),
        not_applicable=payload.not_applicable,
        not_applicable_reason=payload.not_applicable_reason,
        comment=payload.comment,
        evidence_ids=tuple(sorted(by_number[n] for n in payload.evidence)),
    )
    change = Change(
        assessment, the_domain, value, version=payload.version, claimed_level=payload.level
    )
    try:
        workflow.apply_answers(changes=[change], by=request.user)
    except StaleAnswer as stale:
        numbers = _numbers(assessment)
        return Status(
            409,
            {
                "detail": stale.message,
                "changed_by": presenters.conflict(stale, the_domain, {})["who"],
                "changed_at": stale.answer.updated_at,
                "version": stale.answer.version,
                "theirs": _value_out(stale.current, numbers),
                "yours": _value_out(stale.refused, numbers),
            },
        )
    except NotAllowed as error:
        return Status(403, {"detail": error.message})
    except AssessmentError as error:
        return Status(400, {"detail": error.message, "field": error.field})
    return _answer_out(the_domain, queries.answer_of(assessment, the_domain), _numbers(assessment))


@router.get(
    ADDRESS + "/answers/{domain}/history",
    response=list[RevisionOut],
    summary="An answer's history",
)
def answer_history(request, round: str, ods_code: str, care_setting: str, domain: str):
    """Every version of the answer, oldest first; each holds the whole value."""
    assessment = _assessment(request, round, ods_code, care_setting)
    return [
        {
            "version": r.version,
            "by": r.by.full_name if r.by else None,
            "at": r.at,
            "level": r.level,
            "elements_met": r.met_elements,
            "not_applicable": r.not_applicable,
            "not_applicable_reason": r.not_applicable_reason,
            "comment": r.comment,
            "evidence_ids": r.evidence_ids,
            "note": r.note,
        }
        for r in queries.history_of(assessment, _domain(assessment, domain))
    ]


@router.post(
    ADDRESS + "/steps",
    response={200: AssessmentDetailOut, 400: StepRefused, **FORBIDDEN},
    summary="Take a workflow step",
)
def take_step(request, round: str, ods_code: str, care_setting: str, payload: StepIn):
    """submit (contributor), approve (the organisation's approver), validate (the
    ICS lead; a national analyst for an ICS's own assessment), publish (a platform
    admin), or send_back to draft with a reason (whoever may take the next step)."""
    assessment = _assessment(request, round, ods_code, care_setting)
    try:
        workflow.take_step(
            assessment=assessment, step=payload.step, by=request.user, comment=payload.comment
        )
    except SubmissionRefused as refused:
        return Status(
            400, {"detail": refused.message, "problems": [p.text for p in refused.problems]}
        )
    except NotAllowed as error:
        return Status(403, {"detail": error.message})
    except AssessmentError as error:
        return Status(400, {"detail": error.message})
    return _summary(_assessment(request, round, ods_code, care_setting), detail=True)

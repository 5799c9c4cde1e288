"""Writes to assessments: opening rounds and carrying answers forward,
rounds of published scores, evidence, and input kept across a sign-in. Each is
atomic. Answers and the sign-off steps are written by ``assessments.workflow``."""

import hashlib
import json
import secrets
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.policy import Permission, Step, has_permission, may_take_step, refusal, step_refusal
from assessments import queries, signals, workflow
from assessments.evidence import EvidenceFileError, check_file, check_link
from assessments.levels import level_achieved
from assessments.models import (
    Answer,
    AnswerRevision,
    Assessment,
    Evidence,
    KeptInput,
    MetElement,
    Round,
)
from assessments.workflow import AssessmentError, NotAllowed, RoundStatus
from frameworks.models import FrameworkVersion
from frameworks.validation import version_key
from organisations.models import Organisation, OrganisationType
from organisations.queries import open_on

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
    workflow.record_opened(
        assessments=created, by=by, at=timezone.now(), comment=f"Opened with round {round.name}"
    )
    if previous is not None and carry_forward(round=round, assessments=created, by=by):
        signals.answers_changed.send(
            sender=Assessment, assessment_ids=sorted(a.id for a in created)
        )
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
        AnswerRevision(
            answer=answer,
            version=answer.version,
            by=by,
            at=now,
            met_elements=sorted(e.key for e in elements),
            level=answer.level,
            not_applicable=answer.not_applicable,
            not_applicable_reason=answer.not_applicable_reason,
            comment=answer.comment,
            note=note,
        )
        for answer, (_, elements) in zip(created, planned, strict=True)
    )
    return len(created)


@transaction.atomic
def record_published_round(
    *, name, framework_version, opens_on, closes_on, source_note, previous=None, by=None
):
    """Create, or bring up to date, a round of scores NHS England published
    (its assessments are recorded by ``workflow.record_published``)."""
    if by is not None and not has_permission(by, Permission.MANAGE_ROUNDS):
        raise NotAllowed(refusal(Permission.MANAGE_ROUNDS))
    if Round.objects.filter(name=name, kind=Round.Kind.ASSESSED).exists():
        raise AssessmentError(f"There is already a round of self-assessments called {name}")
    values = {
        "kind": Round.Kind.PUBLISHED,
        "framework_version": framework_version,
        "opens_on": opens_on,
        "closes_on": closes_on,
        "source_note": source_note,
        "previous": previous,
    }
    round, _ = Round.objects.update_or_create(
        name=name, defaults=values, create_defaults={**values, "created_by": by}
    )
    return round


# --- Evidence ----------------------------------------------------------------


def _next_number(organisation, round):
    # Simultaneous additions take turns, or two would read the same last number.
    Organisation.objects.select_for_update().get(pk=organisation.pk)
    last = Evidence.objects.filter(organisation=organisation, round=round).aggregate(
        last=Max("number")
    )["last"]
    return (last or 0) + 1


def _check_evidence_allowed(assessment, by):
    if not may_take_step(by, Step.ANSWER, assessment):
        raise NotAllowed(step_refusal(Step.ANSWER))
    if assessment.round.status != RoundStatus.OPEN:
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

KEPT_FOR = timedelta(hours=1)
# Far more than an answer form holds (two 5,000-character fields and ticks).
KEPT_AT_MOST = 64 * 1024


@transaction.atomic
def keep_input(*, path, data, by):
    """Keep a form's input that ``by`` sent after their session ended; returns
    the one-time token that brings it back, to them alone. Input older than an
    hour is forgotten."""
    size = len(json.dumps(data, ensure_ascii=False).encode())
    if size > KEPT_AT_MOST:
        raise AssessmentError(
            f"What you entered is too long to keep ({size // 1024} KB; at most "
            f"{KEPT_AT_MOST // 1024} KB), so sign in again and enter a shorter answer."
        )
    KeptInput.objects.filter(created_at__lt=timezone.now() - KEPT_FOR).delete()
    token = secrets.token_urlsafe(32)
    KeptInput.objects.create(token=token, path=path, data=data, user=by)
    return token


@transaction.atomic
def take_kept_input(*, token, path, by):
    """The input ``by`` sent under ``token`` for ``path``, once; None if there
    is none, it has expired, or it was kept for someone else."""
    kept = (
        KeptInput.objects.select_for_update(of=("self",))
        .filter(token=token, path=path, user=by, created_at__gte=timezone.now() - KEPT_FOR)
        .first()
    )
    if kept is None:
        return None
    kept.delete()
    return kept.data

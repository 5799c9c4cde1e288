"""Answers in and out as CSV or XLSX, with the same columns both ways, so an
export re-imports unchanged. An import is checked whole before anything is
written, then written in one transaction with bulk writes."""

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from assessments import queries
from assessments.levels import level_achieved
from assessments.models import (
    Answer,
    AnswerRevision,
    Assessment,
    AssessmentStatus,
    MetElement,
    Round,
)
from core.presenters import plural
from core.tables import Problems, read_rows
from organisations.models import CareSetting, Organisation
from scoring import services as scoring

COLUMNS = [
    "ods_code",
    "round",
    "care_setting",
    "domain_id",
    "elements_met",
    "not_applicable",
    "not_applicable_reason",
    "comment",
]
REQUIRED = COLUMNS[:4]
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}


# --- Export ------------------------------------------------------------------


def export_rows(assessments):
    """One row per answer, in framework order: three queries, whatever the size."""
    assessments = assessments.select_related("round", "organisation")
    answers = (
        Answer.objects.filter(assessment__in=assessments)
        .select_related("assessment__round", "assessment__organisation", "domain__measure")
        .order_by(
            "assessment__round__name",
            "assessment__organisation__ods_code",
            "assessment__care_setting",
            "domain__measure__number",
            "domain__position",
        )
    )
    met = defaultdict(list)
    for answer_id, key in (
        MetElement.objects.filter(answer__assessment__in=assessments)
        .order_by("element__level", "element__position")
        .values_list("answer_id", "element__key")
    ):
        met[answer_id].append(key)
    for answer in answers:
        yield [
            answer.assessment.organisation.ods_code,
            answer.assessment.round.name,
            answer.assessment.care_setting,
            answer.domain.key,
            ";".join(met[answer.id]),
            "yes" if answer.not_applicable else "no",
            answer.not_applicable_reason,
            answer.comment,
        ]


# --- Import ------------------------------------------------------------------


@dataclass
class ImportSummary:
    rows: int
    created: int
    changed: int
    unchanged: int
    assessments: int

    def __str__(self):
        return (
            f"{plural(self.rows, 'row')} for {plural(self.assessments, 'assessment')}: "
            f"{plural(self.created, 'answer')} added, {self.changed:,} changed, "
            f"{self.unchanged:,} unchanged"
        )


@dataclass
class Planned:
    row: int
    assessment: Assessment
    domain: object
    elements: list
    not_applicable: bool
    reason: str
    comment: str


class Catalogue:
    """Everything rows are checked against, each built once."""

    def __init__(self, rows):
        codes, names = set(), set()
        for r in rows:  # one pass: rows are read from the file each time
            codes.add(r.values["ods_code"].upper())
            names.add(r.values["round"])
        self.organisations = {
            o.ods_code: o for o in Organisation.objects.filter(ods_code__in=codes)
        }
        self.rounds = {
            r.name: r
            for r in Round.objects.filter(name__in=names).select_related("framework_version")
        }
        self.assessments = {
            (a.organisation.ods_code, a.round.name, a.care_setting): a
            for a in Assessment.objects.filter(
                organisation__in=self.organisations.values(), round__in=self.rounds.values()
            ).select_related("organisation", "round__framework_version")
        }
        self._domains = {}
        self._ics = {}

    def domains(self, assessment):
        """The assessment's domains by id, shared by assessments that answer the same ones."""
        round = assessment.round
        if round.id not in self._ics:
            organisations = [
                a.organisation for a in self.assessments.values() if a.round_id == round.id
            ]
            self._ics[round.id] = queries.ics_ids_on(organisations, round.structure_on)
        ics_id = self._ics[round.id].get(assessment.organisation_id)
        key = (round.framework_version_id, assessment.care_setting, ics_id)
        if key not in self._domains:
            domains = queries.domains_for_setting(
                round.framework_version, assessment.care_setting, ics_id
            )
            self._domains[key] = {
                d.key: (d, {e.key: e for e in d.elements.all()}, queries.elements_by_level(d))
                for d in domains
            }
        return self._domains[key]


def check_rows(rows, problems):
    """Each row checked against the catalogue; returns the planned answers."""
    catalogue = Catalogue(rows)
    seen = {}
    planned = []
    settings = set(CareSetting.values)
    for row in rows:
        v = row.values
        code, name, setting, domain_id = (
            v["ods_code"].upper(),
            v["round"],
            v["care_setting"],
            v["domain_id"],
        )
        before = problems.count
        for column in REQUIRED:
            if not v.get(column):
                problems.add(row.number, column, "is empty")
        if problems.count > before:
            continue
        organisation = catalogue.organisations.get(code)
        round = catalogue.rounds.get(name)
        if organisation is None:
            problems.add(row.number, "ods_code", f"no organisation has ODS code {code}")
        if round is None:
            problems.add(row.number, "round", f"there is no round called {name}")
        elif round.status != "open":
            problems.add(
                row.number, "round", f"round {name} is {round.status}, so it takes no answers"
            )
        if setting not in settings:
            problems.add(
                row.number,
                "care_setting",
                f"{setting} is not a care setting; use one of {', '.join(sorted(settings))}",
            )
        if problems.count > before:
            continue
        assessment = catalogue.assessments.get((code, name, setting))
        if assessment is None:
            problems.add(
                row.number,
                "care_setting",
                f"{code} has no {setting} assessment in round {name}",
            )
            continue
        if assessment.status != AssessmentStatus.DRAFT:
            problems.add(
                row.number,
                "round",
                f"{code}'s {setting} assessment is {assessment.get_status_display().lower()}, "
                "so its answers are frozen",
            )
            continue
        domain_entry = catalogue.domains(assessment).get(domain_id)
        if domain_entry is None:
            problems.add(
                row.number,
                "domain_id",
                f"{domain_id} is not a domain of {code}'s {setting} assessment in {name}",
            )
            continue
        domain, elements, _ = domain_entry
        key = (assessment.id, domain.id)
        if key in seen:
            problems.add(row.number, "domain_id", f"duplicates row {seen[key]}: one row per domain")
            continue
        seen[key] = row.number
        met = [
            e.strip() for e in v.get("elements_met", "").replace(",", ";").split(";") if e.strip()
        ]
        unknown = [e for e in met if e not in elements]
        if unknown:
            problems.add(
                row.number,
                "elements_met",
                f"{', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} not in "
                f"{domain_id}; its elements are {', '.join(elements)}",
            )
        flag = v.get("not_applicable", "").lower()
        if flag not in YES | NO:
            problems.add(row.number, "not_applicable", f"{v['not_applicable']} is not yes or no")
            continue
        not_applicable = flag in YES
        reason = v.get("not_applicable_reason", "")
        if not_applicable:
            if not domain.allows_not_applicable:
                problems.add(
                    row.number,
                    "not_applicable",
                    f"{domain_id} cannot be answered as not applicable",
                )
            elif not reason:
                problems.add(row.number, "not_applicable_reason", "say why it is not applicable")
            elif met:
                problems.add(
                    row.number, "elements_met", "leave empty when the answer is not applicable"
                )
        if problems.count == before:
            planned.append(
                Planned(
                    row.number,
                    assessment,
                    domain_entry,
                    sorted(set(met)),
                    not_applicable,
                    reason if not_applicable else "",
                    v.get("comment", ""),
                )
            )
    return planned


@transaction.atomic
def import_answers(*, path, by=None, progress=None):
    """Import answers from a CSV or XLSX file: every row checked first, then
    all written, or nothing. Each changed answer gets a revision."""
    rows = read_rows(path, required=REQUIRED, optional=COLUMNS[4:])
    problems = Problems(Path(path).name)
    planned = check_rows(rows, problems)
    problems.raise_if_any()
    return write_planned(planned, by=by, note=f"Imported from {Path(path).name}", progress=progress)


@transaction.atomic
def write_planned(planned, *, by, note, progress):
    """Write checked answers in bulk, with their revisions, then the scores of
    every assessment they touch."""
    total = len(planned)
    assessment_ids = {p.assessment.id for p in planned}
    existing = {
        (a.assessment_id, a.domain_id): a
        for a in Answer.objects.select_for_update().filter(assessment_id__in=assessment_ids)
    }
    met = defaultdict(set)
    for answer_id, key in MetElement.objects.filter(
        answer__assessment_id__in=assessment_ids
    ).values_list("answer_id", "element__key"):
        met[answer_id].add(key)
    evidence = defaultdict(list)
    for answer_id, evidence_id in Answer.evidence.through.objects.filter(
        answer__assessment_id__in=assessment_ids
    ).values_list("answer_id", "evidence_id"):
        evidence[answer_id].append(evidence_id)
    now = timezone.now()
    new, changed, unchanged = [], [], 0
    for done, plan in enumerate(planned, start=1):
        domain, elements, by_level = plan.domain
        level = None if plan.not_applicable else level_achieved(by_level, plan.elements)
        answer = existing.get((plan.assessment.id, domain.id))
        if (
            answer is not None
            and not answer.carried_forward
            and (
                sorted(met[answer.id]),
                answer.not_applicable,
                answer.not_applicable_reason,
                answer.comment,
            )
            == (plan.elements, plan.not_applicable, plan.reason, plan.comment)
        ):
            unchanged += 1
        else:
            if answer is None:
                answer = Answer(assessment=plan.assessment, domain=domain, version=0)
                new.append((answer, plan))
            else:
                changed.append((answer, plan))
            answer.version += 1
            answer.level = level
            answer.not_applicable = plan.not_applicable
            answer.not_applicable_reason = plan.reason
            answer.comment = plan.comment
            answer.carried_forward = False
            answer.updated_by, answer.updated_at = by, now
        if progress and (done % 500 == 0 or done == total):
            progress(done, total)
    Answer.objects.bulk_create([a for a, _ in new])
    Answer.objects.bulk_update(
        [a for a, _ in changed],
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
    MetElement.objects.filter(answer__in=[a.id for a, _ in changed]).delete()
    written = new + changed
    MetElement.objects.bulk_create(
        (
            MetElement(answer=answer, element=plan.domain[1][key])
            for answer, plan in written
            for key in plan.elements
        ),
        batch_size=2000,
    )
    AnswerRevision.objects.bulk_create(
        (
            AnswerRevision(
                answer=answer,
                version=answer.version,
                by=by,
                at=now,
                met_elements=plan.elements,
                level=answer.level,
                not_applicable=answer.not_applicable,
                not_applicable_reason=answer.not_applicable_reason,
                comment=answer.comment,
                evidence_ids=sorted(evidence[answer.id]),
                note=note,
            )
            for answer, plan in written
        ),
        batch_size=2000,
    )
    scoring.many_answers_changed(assessments={p.assessment for p in planned})
    return ImportSummary(
        rows=total,
        created=len(new),
        changed=len(changed),
        unchanged=unchanged,
        assessments=len(assessment_ids),
    )

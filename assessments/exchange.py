"""Answers in and out as CSV or XLSX, with the same columns both ways, so an
export re-imports unchanged. An import is checked whole before anything is
written, then written in one transaction by ``workflow.apply_answers``."""

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from assessments import queries, workflow
from assessments.models import Answer, Assessment, MetElement, Round
from assessments.workflow import AnswerValue, Change
from core.presenters import plural
from core.tables import Problems, read_rows
from organisations.models import CareSetting, Organisation

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


# The column a refusal from the writer concerns, by the field it names.
COLUMN_OF = {
    "elements": "elements_met",
    "not_applicable": "not_applicable",
    "not_applicable_reason": "not_applicable_reason",
}


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
        found = list(
            Assessment.objects.filter(
                organisation__in=self.organisations.values(), round__in=self.rounds.values()
            ).select_related("organisation", "round__framework_version")
        )
        self.assessments = {
            (a.organisation.ods_code, a.round.name, a.care_setting): a for a in found
        }
        self.domains = {
            assessment_id: {d.key: d for d in domains.values()}
            for assessment_id, domains in queries.domains_by_assessment(found).items()
        }


def check_rows(rows, problems, *, by):
    """Each row checked against the catalogue, then every answer by the
    writer's own checks, so a bad value gets the words a page or the API gives
    it; an assessment that takes no answers is told once, not once per row.
    Returns ``(row number, Change)`` for each row."""
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
        if code not in catalogue.organisations:
            problems.add(row.number, "ods_code", f"no organisation has ODS code {code}")
        if name not in catalogue.rounds:
            problems.add(row.number, "round", f"there is no round called {name}")
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
        domain = catalogue.domains[assessment.id].get(domain_id)
        if domain is None:
            problems.add(
                row.number,
                "domain_id",
                f"{domain_id} is not a domain of {code}'s {setting} assessment in {name}",
            )
            continue
        key = (assessment.id, domain.id)
        if key in seen:
            problems.add(row.number, "domain_id", f"duplicates row {seen[key]}: one row per domain")
            continue
        seen[key] = row.number
        flag = v.get("not_applicable", "").lower()
        if flag not in YES | NO:
            problems.add(row.number, "not_applicable", f"{v['not_applicable']} is not yes or no")
            continue
        value = AnswerValue(
            elements=tuple(
                e.strip()
                for e in v.get("elements_met", "").replace(",", ";").split(";")
                if e.strip()
            ),
            not_applicable=flag in YES,
            not_applicable_reason=v.get("not_applicable_reason", ""),
            comment=v.get("comment", ""),
        )
        planned.append((row.number, Change(assessment, domain, value, keeps_evidence=True)))
    refusals, _ = workflow.check_answers([change for _, change in planned], by=by)
    for assessment_id, refused in refusals.assessments.items():
        numbers = [n for n, change in planned if change.assessment.id == assessment_id]
        where = (
            f"row {numbers[0]}"
            if len(numbers) == 1
            else f"{len(numbers):,} rows from row {numbers[0]}"
        )
        problems.add_to_file(f"{where}: {refused.message}")
    for index, refused in refusals.changes:
        problems.add(planned[index][0], COLUMN_OF.get(refused.field, "domain_id"), refused.message)
    return planned


@transaction.atomic
def import_answers(*, path, by=None, progress=None):
    """Import answers from a CSV or XLSX file: every row checked first, then
    all written by the one writer of answers, or nothing. Each changed answer
    keeps its evidence and gets a revision."""
    name = Path(path).name
    rows = read_rows(path, required=REQUIRED, optional=COLUMNS[4:])
    problems = Problems(name)
    planned = check_rows(rows, problems, by=by)
    problems.raise_if_any()
    changes = [change for _, change in planned]
    written = workflow.apply_answers(
        changes=changes, by=by, note=f"Imported from {name}", progress=progress
    )
    return ImportSummary(
        rows=len(changes),
        created=written.created,
        changed=written.changed,
        unchanged=written.unchanged,
        assessments=len({change.assessment.id for change in changes}),
    )

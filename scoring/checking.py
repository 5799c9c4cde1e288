"""Recomputing scores from an export file alone, with the method in plain
Python, and reporting every difference from the scores the file states."""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from core.presenters import plural
from core.tables import Problems, read_rows
from scoring import exports, method

REQUIRED = tuple(exports.COLUMNS)
LEVELS_PATTERN = re.compile(r"^([1-5]):([a-z0-9]+(?:,[a-z0-9]+)*)$")
TOLERANCE = 1e-6


@dataclass
class Stated:
    domains: list = field(default_factory=list)
    measures: dict = field(default_factory=dict)
    overall: tuple | None = None
    method: str = "mean_of_domains"


@dataclass
class CheckResult:
    assessments: int
    differences: list

    def __str__(self):
        if not self.differences:
            return f"{plural(self.assessments, 'assessment')} recomputed: no differences."
        return (
            "\n".join(self.differences)
            + f"\n{plural(len(self.differences), 'difference')} in "
            + f"{plural(self.assessments, 'assessment')}."
        )


def _number(problems, row, column, *, whole=False, required=True):
    text = row.values[column]
    if not text:
        if required:
            problems.add(row.number, column, "is empty")
        return None
    try:
        return int(text) if whole else float(text)
    except ValueError:
        problems.add(row.number, column, f"{text!r} is not a {'whole ' if whole else ''}number")
        return None


def _levels(problems, row):
    levels = {}
    for part in row.values["levels"].split("|"):
        match = LEVELS_PATTERN.match(part.strip())
        if not match:
            problems.add(row.number, "levels", f"{part!r} is not like 1:1a,1b")
            return {}
        levels[int(match.group(1))] = set(match.group(2).split(","))
    return levels


def _flag(problems, row, column):
    value = row.values[column].lower()
    if value not in ("yes", "no"):
        problems.add(row.number, column, f"{row.values[column]!r} is not yes or no")
    return value == "yes"


def read(path):
    problems = Problems(Path(path).name)
    stated = defaultdict(Stated)
    for row in read_rows(path, required=REQUIRED, optional=()):
        key = (row.values["ods_code"], row.values["round"], row.values["care_setting"])
        record = row.values["record"]
        if record == "domain":
            weight = _number(problems, row, "weight")
            levels = _levels(problems, row)
            answered = _flag(problems, row, "answered")
            not_applicable = _flag(problems, row, "not_applicable")
            met = {key for key in row.values["elements_met"].split(";") if key}
            unknown = met - set().union(*levels.values()) if levels else set()
            if unknown:
                problems.add(
                    row.number,
                    "elements_met",
                    f"{', '.join(sorted(unknown))} not among the domain's elements",
                )
            level = None if not answered or not_applicable else method.level_achieved(levels, met)
            stated[key].domains.append(
                method.DomainAnswer(row.values["measure"], weight or 0, level, not_applicable)
            )
        elif record == "measure":
            stated[key].measures[row.values["measure"]] = (
                _number(problems, row, "score", required=False),
                _number(problems, row, "scored_domains", whole=True),
                _number(problems, row, "applicable_domains", whole=True),
            )
        elif record == "overall":
            stated[key].overall = (
                _number(problems, row, "score", required=False),
                _number(problems, row, "mean_of_measures", required=False),
                _number(problems, row, "scored_domains", whole=True),
                _number(problems, row, "applicable_domains", whole=True),
            )
            stated[key].method = row.values["method"] or "mean_of_domains"
        else:
            problems.add(row.number, "record", f"{record!r} is not domain, measure or overall")
    problems.raise_if_any()
    return stated


def _same(a, b):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= TOLERANCE


def _show(value):
    return "none" if value is None else f"{value:.4f}" if isinstance(value, float) else str(value)


def check(path):
    """Recompute every assessment in the file and list each difference."""
    differences = []
    stated = read(path)
    for (ods_code, round_name, setting), figures in stated.items():
        where = f"{ods_code} {setting} {round_name}"
        recomputed = method.score(figures.domains, overall=figures.method)
        for measure, (score, scored, applicable) in figures.measures.items():
            mine = recomputed.measures.get(measure, (None, 0, 0))
            for label, theirs, ours in (
                ("score", score, mine[0]),
                ("scored domains", scored, mine[1]),
                ("applicable domains", applicable, mine[2]),
            ):
                if not _same(theirs, ours):
                    differences.append(
                        f"{where}, measure {measure}, {label}: file {_show(theirs)}, recomputed {_show(ours)}"
                    )
        if figures.overall:
            ours = (
                recomputed.overall,
                recomputed.mean_of_measures,
                recomputed.scored,
                recomputed.applicable,
            )
            for label, theirs, mine in zip(
                ("overall score", "mean of measures", "scored domains", "applicable domains"),
                figures.overall,
                ours,
                strict=True,
            ):
                if not _same(theirs, mine):
                    differences.append(
                        f"{where}, {label}: file {_show(theirs)}, recomputed {_show(mine)}"
                    )
    return CheckResult(len(stated), differences)

"""Recording who pays for what: an organisation's IT spend for a year and its
funding lines, from the form, the API or ``northstar import-funding``.

The same checks serve all three, so a form field, an API field and an import
column are refused in the same words. An import is checked whole before
anything is written, and is written all or nothing."""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from accounts.policy import Permission, has_permission, refusal
from core.tables import Problems, read_rows
from frameworks.models import Domain
from frameworks.queries import latest_published
from funding.models import FundingLine, FundingYear, Kind, Source
from funding.models import financial_year as year_name
from organisations.models import Organisation

YEAR_FIELDS = ("total_expenditure", "it_revenue_spend", "it_capital_spend")
LINE_FIELDS = ("source", "funding_type", "amount", "description", "measure", "domains")
IMPORT_REQUIRED = ("ods_code", "year", *YEAR_FIELDS)
IMPORT_OPTIONAL = LINE_FIELDS
EARLIEST_YEAR = 2000


class FundingError(Exception):
    """Bad input, with what to do about it; ``field`` names the form field,
    API field or import column."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(FundingError):
    pass


@dataclass(frozen=True)
class LineValue:
    source: str
    kind: str
    amount: Decimal
    description: str = ""
    measure: str = ""
    domains: tuple = ()


# Reading what was typed


def current_financial_year(today=None):
    """The year the current financial year starts in (April to March)."""
    today = today or timezone.localdate()
    return today.year if today.month >= 4 else today.year - 1


def parse_year(text):
    """ "2025/26" (or 2025-26) → 2025; None when it is not a financial year."""
    found = re.fullmatch(r"(\d{4})[/-](\d{2})", text.strip(), re.ASCII)
    if found is None:
        return None
    start = int(found[1])
    return start if (start + 1) % 100 == int(found[2]) else None


def parse_amount(text):
    """ "£1,234.50" → Decimal("1234.50"); None when it is not a number."""
    cleaned = text.strip().replace(",", "").replace("£", "")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def source_named(text):
    """A source by its value or its label, in any case; None when unknown."""
    wanted = text.strip().lower()
    for value, label in Source.choices:
        if wanted in (value, label.lower()):
            return value
    return None


def sources_in_words():
    return ", ".join(Source.values)


# The checks


def year_problems(year):
    """What is wrong with a financial year's start, or None."""
    latest = current_financial_year() + 1
    if year < EARLIEST_YEAR:
        return f"{year_name(year)} is before {year_name(EARLIEST_YEAR)}"
    if year > latest:
        return (
            f"{year_name(year)} is after next financial year: funding can be recorded "
            f"up to {year_name(latest)}"
        )
    return None


# What the stored amounts hold: pounds and pence, below a trillion pounds.
MOST_POUNDS = 10**12


def amount_problem(amount):
    """Why an amount cannot be stored, or None."""
    if amount >= MOST_POUNDS:
        return f"{amount} is too large: amounts are in pounds, below {MOST_POUNDS:,}"
    if Decimal(amount).as_tuple().exponent < -2:
        return f"{amount} has more than two decimal places: amounts are in pounds and pence"
    return None


def spend_problems(total, revenue, capital):
    """(field, reason) for each problem with a year's totals."""
    problems = []
    for field, amount in zip(YEAR_FIELDS, (total, revenue, capital), strict=True):
        if amount < 0:
            problems.append((field, f"{amount} is negative: amounts are in pounds, 0 or more"))
        elif reason := amount_problem(amount):
            problems.append((field, reason))
    if total == 0:
        problems.append(("total_expenditure", "is 0: enter the year's total expenditure"))
    if not problems and revenue + capital > total:
        field = "it_revenue_spend" if revenue > total else "it_capital_spend"
        problems.append(
            (
                field,
                f"IT spend (revenue {revenue} + capital {capital} = {revenue + capital}) is "
                f"above total expenditure ({total})",
            )
        )
    return problems


def line_problems(line):
    """(field, reason) for each problem with a funding line."""
    problems = []
    if line.source not in Source.values:
        reason = f"{line.source!r} is not a funding source; the sources are {sources_in_words()}"
        problems.append(("source", reason))
    if line.kind not in Kind.values:
        problems.append(("funding_type", f"{line.kind!r} is neither capital nor revenue"))
    if line.amount < 0:
        problems.append(("amount", f"{line.amount} is negative: amounts are in pounds, above 0"))
    elif line.amount == 0:
        problems.append(("amount", "is 0: leave out a line with no money"))
    elif reason := amount_problem(line.amount):
        problems.append(("amount", reason))
    if line.source == Source.OTHER_NATIONAL and not line.description:
        problems.append(("description", "name the national programme"))
    if len(line.description) > 300:
        problems.append(("description", "is longer than 300 characters"))
    problems += gap_problems(line.measure, line.domains)
    return problems


def gap_problems(measure, domains):
    """The gap a line is meant to close: a measure of the current framework
    and, optionally, domains of that measure."""
    if not measure:
        return [("domains", "name the measure these domains belong to")] if domains else []
    version = latest_published()
    if version is None or not version.measures.filter(key=measure).exists():
        return [("measure", f"{measure!r} is not a success measure of the current framework")]
    known = set(
        Domain.objects.filter(framework_version=version, measure__key=measure).values_list(
            "key", flat=True
        )
    )
    return [
        ("domains", f"{domain!r} is not a domain of the measure {measure!r}")
        for domain in domains
        if domain not in known
    ]


def _refuse_first(problems):
    if problems:
        field, reason = problems[0]
        raise FundingError(reason, field=field)


def _require(by, organisation):
    if not has_permission(by, Permission.RECORD_FUNDING, organisation=organisation):
        raise NotAllowed(refusal(Permission.RECORD_FUNDING, organisation))
    if organisation.is_ics:
        raise FundingError(
            f"{organisation.name} is an integrated care board: record its members' funding",
            field="ods_code",
        )


# Writes


@transaction.atomic
def record_year(
    *, organisation, year, total_expenditure, it_revenue_spend, it_capital_spend, by, lines=None
):
    """Create or replace an organisation's IT spend for a year; with ``lines``,
    replace its funding lines too."""
    _require(by, organisation)
    problem = year_problems(year)
    if problem:
        raise FundingError(problem, field="year")
    _refuse_first(spend_problems(total_expenditure, it_revenue_spend, it_capital_spend))
    for index, line in enumerate(lines or ()):
        for field, reason in line_problems(line)[:1]:
            raise FundingError(reason, field=f"lines[{index}].{field}")
    funding_year = _save_year(
        organisation, year, (total_expenditure, it_revenue_spend, it_capital_spend), by
    )
    if lines is not None:
        _replace_lines(funding_year, lines)
    return funding_year


@transaction.atomic
def add_line(*, funding_year, line, by):
    _require(by, funding_year.organisation)
    _refuse_first(line_problems(line))
    funding_year.recorded_by = by
    funding_year.save(update_fields=["recorded_by", "recorded_at"])
    return _create_line(funding_year, line)


@transaction.atomic
def remove_line(*, line, by):
    funding_year = line.funding_year
    _require(by, funding_year.organisation)
    line.delete()
    funding_year.recorded_by = by
    funding_year.save(update_fields=["recorded_by", "recorded_at"])


def _save_year(organisation, year, amounts, by):
    funding_year, _ = FundingYear.objects.update_or_create(
        organisation=organisation,
        year=year,
        defaults={**dict(zip(YEAR_FIELDS, amounts, strict=True)), "recorded_by": by},
    )
    return funding_year


def _replace_lines(funding_year, lines):
    funding_year.lines.all().delete()
    for line in lines:
        _create_line(funding_year, line)


def _create_line(funding_year, line):
    return FundingLine.objects.create(
        funding_year=funding_year,
        source=line.source,
        kind=line.kind,
        amount=line.amount,
        description=line.description,
        measure=line.measure,
        domains=list(line.domains),
    )


# The import


@dataclass
class FundingImport:
    years: int = 0
    lines: int = 0

    def __str__(self):
        return f"{self.years} organisation-years and {self.lines} funding lines recorded"


@dataclass
class _Year:
    organisation: Organisation
    year: int
    amounts: tuple
    row: int
    lines: list


@transaction.atomic
def import_funding(*, path, by=None):
    """Funding from a CSV or XLSX file: one row per funding line, each naming
    its organisation and year, with the year's totals on its first row (later
    rows may leave them empty or repeat them). Each organisation-year in the
    file is replaced whole. The whole file is checked first; any problem and
    nothing is recorded."""
    rows = read_rows(path, required=IMPORT_REQUIRED, optional=IMPORT_OPTIONAL)
    problems = Problems(Path(path).name)
    organisations = {o.ods_code: o for o in Organisation.objects.all()}
    years = {}
    for row in rows:
        _read_row(row, problems, organisations, years)
    problems.raise_if_any()
    result = FundingImport()
    for entry in years.values():
        funding_year = _save_year(entry.organisation, entry.year, entry.amounts, by)
        _replace_lines(funding_year, entry.lines)
        result.years += 1
        result.lines += len(entry.lines)
    return result


def _read_row(row, problems, organisations, years):
    values = row.values
    code = values["ods_code"].upper()
    organisation = organisations.get(code)
    if organisation is None:
        problems.add(
            row.number, "ods_code", f"{code or '(empty)'} is not an organisation in Northstar"
        )
    elif organisation.is_ics:
        problems.add(
            row.number,
            "ods_code",
            f"{code} is an integrated care board: record its members' funding",
        )
    year = parse_year(values["year"])
    if year is None:
        problems.add(row.number, "year", f"{values['year']!r} is not a financial year like 2025/26")
    elif problem := year_problems(year):
        problems.add(row.number, "year", problem)
    amounts = _read_amounts(row, problems)
    line = _read_line(row, problems)
    if organisation is None or year is None:
        return
    entry = years.get((code, year))
    if entry is None:
        if amounts is None:
            for field in YEAR_FIELDS:
                if not values[field]:
                    problems.add(
                        row.number,
                        field,
                        f"is empty: the first row for {code} {year_name(year)} "
                        "must give the year's totals",
                    )
            return
        for field, reason in spend_problems(*amounts):
            problems.add(row.number, field, reason)
        entry = years[(code, year)] = _Year(organisation, year, amounts, row.number, [])
    elif amounts is not None and amounts != entry.amounts:
        problems.add(
            row.number,
            "total_expenditure",
            f"the totals differ from row {entry.row}'s for {code} {year_name(year)}: "
            "give them once, or the same on every row",
        )
    if line is not None:
        entry.lines.append(line)


def _read_amounts(row, problems):
    """The year's three totals, or None when they are left empty or unreadable."""
    texts = [row.values[field] for field in YEAR_FIELDS]
    if not any(texts):
        return None
    amounts = []
    for field, text in zip(YEAR_FIELDS, texts, strict=True):
        amount = parse_amount(text) if text else None
        if amount is None:
            problems.add(row.number, field, f"{text!r} is not an amount in pounds")
        amounts.append(amount)
    return None if None in amounts else tuple(amounts)


def _read_line(row, problems):
    values = row.values
    if not any(values.get(field, "") for field in ("source", "funding_type", "amount")):
        for field in ("description", "measure", "domains"):
            if values.get(field, ""):
                problems.add(row.number, field, "is given, but the row has no funding line")
        return None
    source = source_named(values.get("source", ""))
    if source is None:
        problems.add(
            row.number,
            "source",
            f"{values.get('source', '')!r} is not a funding source; the sources are "
            f"{sources_in_words()}",
        )
    kind = values.get("funding_type", "").lower()
    amount = parse_amount(values.get("amount", ""))
    if amount is None:
        problems.add(
            row.number, "amount", f"{values.get('amount', '')!r} is not an amount in pounds"
        )
    domains = tuple(d.strip() for d in values.get("domains", "").split(";") if d.strip())
    line = LineValue(
        source=source or "",
        kind=kind,
        # An unreadable amount is already reported; a stand-in lets the line's
        # other columns be checked too.
        amount=amount if amount is not None else Decimal(1),
        description=values.get("description", ""),
        measure=values.get("measure", ""),
        domains=domains,
    )
    found = [p for p in line_problems(line) if p[0] != "source" or source is not None]
    for field, reason in found:
        problems.add(row.number, field, reason)
    return line if source is not None and amount is not None and not found else None

"""Writes for organisations: importing the structure of the NHS (organisations
and their dated ICS membership) and the successions between organisations.

Each import reads and checks the whole file, collecting every problem, then
writes all of it in one transaction or nothing. Importing the same file again
changes nothing, and importing an older structure after a newer one cannot
undo what the newer one recorded.
"""

import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from core.tables import Problems, parse_date, read_rows
from organisations import signals
from organisations.models import (
    NEARNESS_MEASURES,
    CareSetting,
    Membership,
    Organisation,
    OrganisationType,
    PublishedPeer,
    SimilarBasis,
    SimilarOrganisation,
    SizeFigure,
    SizeMeasure,
    Succession,
    SuccessionType,
)

logger = logging.getLogger(__name__)

ODS_CODE = re.compile(r"[A-Z0-9]{3,10}")
ORGANISATION_COLUMNS = ("ods_code", "name", "org_type", "icb_code", "region")
ORGANISATION_OPTIONAL_COLUMNS = ("care_settings", "opened_on", "closed_on")
SUCCESSION_COLUMNS = (
    "predecessor_ods_code",
    "successor_ods_code",
    "succession_date",
    "succession_type",
)
# Names help people read the file; the codes decide.
SUCCESSION_OPTIONAL_COLUMNS = ("predecessor_name", "successor_name")
DETAILS = ("name", "org_type", "region", "care_settings", "opened_on", "closed_on")
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self):
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


@dataclass(frozen=True)
class SuccessionResult(ImportResult):
    closed: int = 0

    def __str__(self):
        return f"{super().__str__()}; {self.closed} predecessors closed"


class _Checker:
    """Checks one row's values, adding a problem for each fault."""

    def __init__(self, row, problems):
        self.row = row
        self.problems = problems

    def problem(self, column, reason):
        self.problems.add(self.row.number, column, reason)

    def required(self, column):
        value = self.row.values[column]
        if not value:
            self.problem(column, "is empty; a value is required")
        return value

    def text(self, column, max_length):
        value = self.required(column)
        if len(value) > max_length:
            self.problem(column, f"is longer than {max_length} characters")
        return value

    def ods_code(self, column):
        value = self.required(column).upper()
        if value and not ODS_CODE.fullmatch(value):
            self.problem(column, f"{value!r} is not an ODS code: use 3 to 10 letters and digits")
            return ""
        return value

    def choice(self, column, choices, what):
        value = self.required(column).lower()
        if value and value not in choices.values:
            self.problem(column, f"{value!r} is not {what}; use one of {', '.join(choices.values)}")
            return ""
        return value

    def date(self, column, *, required=False):
        value = self.required(column) if required else self.row.values[column]
        if not value:
            return None
        day = parse_date(value)
        if day is None:
            self.problem(column, f"{value!r} is not a date; use YYYY-MM-DD, like 2026-04-01")
        return day

    def care_settings(self):
        named = {s.strip().lower() for s in self.row.values["care_settings"].split(";")} - {""}
        for setting in sorted(named - set(CareSetting.values)):
            self.problem(
                "care_settings",
                f"{setting!r} is not a care setting; use one of {', '.join(CareSetting.values)}, "
                "separated by semicolons",
            )
        return [setting for setting in CareSetting.values if setting in named]


# Organisations


@dataclass(frozen=True)
class _Entry:
    """One checked row of an organisations file."""

    row: int
    ods_code: str
    icb_code: str
    details: dict  # only for the columns the file has


@dataclass
class _Plan:
    new: list = field(default_factory=list)
    changed: list = field(default_factory=list)
    ended: list = field(default_factory=list)
    opened: list = field(default_factory=list)
    outcomes: dict = field(default_factory=dict)


def import_organisations(*, path, effective_from, by=None, progress=None):
    """Create or update every organisation in the file by ODS code, and record
    each one's ICS from ``effective_from``.

    Membership is dated: a move ends the old membership the day before
    ``effective_from``, and an organisation's membership ends the day it closes.
    An optional column the file lacks leaves that detail as it was.
    ``progress(done, total)`` is called as rows are processed."""
    rows = read_rows(path, required=ORGANISATION_COLUMNS, optional=ORGANISATION_OPTIONAL_COLUMNS)
    problems = Problems(Path(path).name)
    with transaction.atomic():
        entries = _check_organisations(rows, problems)
        problems.raise_if_any()
        plan = _plan_organisations(entries, effective_from, problems, progress)
        problems.raise_if_any()
        _save_organisations(plan)
    counts = Counter(plan.outcomes.values())
    result = ImportResult(counts["created"], counts["updated"], counts["unchanged"])
    logger.info(
        "%s imported by %s, effective from %s: %s", path, by or "a command", effective_from, result
    )
    return result


def _check_organisations(rows, problems):
    """The entries of a file whose every row is sound (only the problems of
    one that is not, so a long bad file does not fill memory)."""
    codes, icbs = set(), set()
    for row in rows:
        codes.add(row.values["ods_code"].upper())
        if row.values["org_type"].lower() == OrganisationType.ICB:
            icbs.add(row.values["ods_code"].upper())
    icbs |= set(
        Organisation.objects.filter(org_type=OrganisationType.ICB)
        .exclude(ods_code__in=codes)
        .values_list("ods_code", flat=True)
    )
    first_row = {}
    entries = []
    for row in rows:
        before = problems.count
        entry = _check_organisation(_Checker(row, problems), icbs)
        if entry.ods_code in first_row:
            problems.add(
                row.number,
                "ods_code",
                f"{entry.ods_code} is also on row {first_row[entry.ods_code]}",
            )
        elif entry.ods_code:
            first_row[entry.ods_code] = row.number
        if problems.count == before:
            entries.append(entry)
    return entries


def _check_organisation(check, icbs):
    code = check.ods_code("ods_code")
    org_type = check.choice("org_type", OrganisationType, "an organisation type")
    icb_code = check.ods_code("icb_code")
    details = {
        "name": check.text("name", 200),
        "org_type": org_type,
        "region": check.text("region", 60),
    }
    values = check.row.values
    if "care_settings" in values:
        details["care_settings"] = check.care_settings()
    for column in ("opened_on", "closed_on"):
        if column in values:
            details[column] = check.date(column)
    if org_type == OrganisationType.ICB:
        if code and icb_code and icb_code != code:
            check.problem("icb_code", f"an ICB's icb_code must be its own ODS code, {code}")
    elif icb_code and icb_code not in icbs:
        check.problem("icb_code", f"{icb_code} is not an ICB in this file or in Northstar")
    opened_on, closed_on = details.get("opened_on"), details.get("closed_on")
    if opened_on and closed_on and closed_on < opened_on:
        check.problem("closed_on", "is before opened_on")
    return _Entry(check.row.number, code, icb_code, details)


def _plan_organisations(entries, effective_from, problems, progress):
    plan = _Plan()
    organisations = Organisation.objects.in_bulk(
        [entry.ods_code for entry in entries], field_name="ods_code"
    )
    for entry in entries:
        organisation = organisations.get(entry.ods_code)
        if organisation is None:
            organisation = Organisation(
                ods_code=entry.ods_code, details_from=effective_from, **entry.details
            )
            organisations[entry.ods_code] = organisation
            plan.new.append(organisation)
            plan.outcomes[entry.ods_code] = "created"
        elif _apply_details(organisation, entry.details, effective_from):
            plan.changed.append(organisation)
            plan.outcomes[entry.ods_code] = "updated"
        else:
            plan.outcomes[entry.ods_code] = "unchanged"
    organisations |= Organisation.objects.in_bulk(
        {entry.icb_code for entry in entries} - organisations.keys(), field_name="ods_code"
    )
    histories = _histories(organisations.values())
    for done, entry in enumerate(entries, start=1):
        organisation = organisations[entry.ods_code]
        if not organisation.is_ics:
            _plan_membership(
                plan,
                entry,
                organisation=organisation,
                history=histories.get(organisation.pk, []),
                ics=organisations[entry.icb_code],
                start=max(effective_from, organisation.opened_on or effective_from),
                problems=problems,
            )
        if progress:
            progress(done, len(entries))
    return plan


def _apply_details(organisation, details, effective_from):
    """Apply the file's details unless a newer import set them; True if any changed."""
    if organisation.details_from and effective_from < organisation.details_from:
        return False
    changed = {name for name, value in details.items() if getattr(organisation, name) != value}
    for name in changed:
        setattr(organisation, name, details[name])
    if changed:
        organisation.details_from = effective_from
    return bool(changed)


def _histories(organisations):
    """Each saved organisation's memberships, oldest first."""
    histories = {}
    memberships = (
        Membership.objects.filter(organisation__in=[o for o in organisations if o.pk])
        .select_related("ics")
        .order_by("valid_from")
    )
    for membership in memberships:
        histories.setdefault(membership.organisation_id, []).append(membership)
    return histories


def _plan_membership(plan, entry, *, organisation, history, ics, start, problems):
    if history and history[-1].valid_from > start:
        # A later structure is already recorded: this file may only agree with it.
        recorded = next((m for m in history if _in_force(m, start)), None)
        if recorded is None or recorded.ics_id != ics.pk:
            was = recorded.ics.ods_code if recorded else "no ICS"
            problems.add(
                entry.row,
                "icb_code",
                f"{organisation.ods_code} was in {was} on {start}, as recorded by an import "
                "effective from a later date; import structures oldest first",
            )
        return
    open_at_start = organisation.closed_on is None or organisation.closed_on >= start
    if open_at_start and ics.closed_on is not None and ics.closed_on < start:
        problems.add(
            entry.row,
            "icb_code",
            f"{ics.ods_code} closed on {ics.closed_on}, before {start}; name its successor",
        )
        return
    ended, opened = _membership_changes(
        history[-1] if history else None, organisation=organisation, ics=ics, start=start
    )
    plan.ended += ended
    plan.opened += opened
    if (ended or opened) and plan.outcomes[entry.ods_code] == "unchanged":
        plan.outcomes[entry.ods_code] = "updated"


def _in_force(membership, day):
    return membership.valid_from <= day and (
        membership.valid_to is None or membership.valid_to >= day
    )


def _membership_changes(latest, *, organisation, ics, start):
    """How to record ``organisation`` in ``ics`` from ``start`` until it closes,
    given its latest membership. Returns (changed memberships, new memberships)."""
    closed_on = organisation.closed_on
    if closed_on is not None and closed_on < start:
        # It closed before this structure took effect: end what was open, start nothing.
        if (
            latest
            and latest.valid_from <= closed_on
            and (latest.valid_to is None or latest.valid_to > closed_on)
        ):
            latest.valid_to = closed_on
            return [latest], []
        return [], []
    joining = Membership(organisation=organisation, ics=ics, valid_from=start, valid_to=closed_on)
    if latest is None or (latest.valid_to is not None and latest.valid_to < start):
        return [], [joining]
    if latest.ics_id == ics.pk:
        if latest.valid_to == closed_on:
            return [], []
        latest.valid_to = closed_on
        return [latest], []
    if latest.valid_from == start:
        # Same start date: the earlier import of this structure named another ICS.
        latest.ics, latest.valid_to = ics, closed_on
        return [latest], []
    latest.valid_to = start - ONE_DAY
    return [latest], [joining]


def _save_organisations(plan):
    Organisation.objects.bulk_create(plan.new)
    now = timezone.now()
    for organisation in plan.changed:
        organisation.updated_at = now
    Organisation.objects.bulk_update(plan.changed, [*DETAILS, "details_from", "updated_at"])
    # End memberships before opening new ones: an organisation has one open membership.
    Membership.objects.bulk_update(plan.ended, ["ics", "valid_to"])
    Membership.objects.bulk_create(plan.opened)


# Successions


@dataclass(frozen=True)
class _SuccessionEntry:
    row: int
    predecessor: str
    successor: str
    effective_on: object
    succession_type: str


def import_successions(*, path, by=None):
    """Record who succeeded whom, and close each predecessor the day before its
    succession unless it already has a closing date or only lost a part
    (``acquisition``)."""
    rows = read_rows(path, required=SUCCESSION_COLUMNS, optional=SUCCESSION_OPTIONAL_COLUMNS)
    problems = Problems(Path(path).name)
    with transaction.atomic():
        organisations = Organisation.objects.in_bulk(
            {
                row.values[column].upper()
                for row in rows
                for column in ("predecessor_ods_code", "successor_ods_code")
            },
            field_name="ods_code",
        )
        entries = _check_successions(rows, problems, organisations)
        problems.raise_if_any()
        counts = _save_successions(entries, organisations)
    result = SuccessionResult(**counts)
    logger.info("%s imported by %s: %s", path, by or "a command", result)
    return result


def _check_successions(rows, problems, organisations):
    first_row = {}
    entries = []
    for row in rows:
        before = problems.count
        check = _Checker(row, problems)
        entry = _SuccessionEntry(
            row=row.number,
            predecessor=check.ods_code("predecessor_ods_code"),
            successor=check.ods_code("successor_ods_code"),
            effective_on=check.date("succession_date", required=True),
            succession_type=check.choice("succession_type", SuccessionType, "a succession type"),
        )
        for column, code in (
            ("predecessor_ods_code", entry.predecessor),
            ("successor_ods_code", entry.successor),
        ):
            if code and code not in organisations:
                check.problem(column, f"no organisation has ODS code {code}; import it first")
        if entry.predecessor and entry.predecessor == entry.successor:
            check.problem("successor_ods_code", "an organisation cannot succeed itself")
        key = (entry.predecessor, entry.successor, entry.effective_on)
        if key in first_row:
            check.problem("successor_ods_code", f"the same succession is on row {first_row[key]}")
        else:
            first_row[key] = row.number
        if problems.count == before:
            entries.append(entry)
    return entries


def _save_successions(entries, organisations):
    counts = Counter(created=0, updated=0, unchanged=0, closed=0)
    recorded = {
        (s.predecessor_id, s.successor_id, s.effective_on): s
        for s in Succession.objects.filter(
            predecessor__in=[organisations[e.predecessor] for e in entries]
        )
    }
    for entry in entries:
        predecessor = organisations[entry.predecessor]
        successor = organisations[entry.successor]
        succession = recorded.get((predecessor.pk, successor.pk, entry.effective_on))
        if succession is None:
            Succession.objects.create(
                predecessor=predecessor,
                successor=successor,
                effective_on=entry.effective_on,
                succession_type=entry.succession_type,
            )
            counts["created"] += 1
        elif succession.succession_type != entry.succession_type:
            succession.succession_type = entry.succession_type
            succession.save(update_fields=["succession_type"])
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    for entry in entries:
        predecessor = organisations[entry.predecessor]
        if entry.succession_type != SuccessionType.ACQUISITION and predecessor.closed_on is None:
            _close(predecessor, effective_on=entry.effective_on)
            counts["closed"] += 1
    return counts


def _close(organisation, *, effective_on):
    """Close the day before its succession; an older structure imported later
    must not reopen it, so its details now date from the succession."""
    closed_on = effective_on - ONE_DAY
    organisation.closed_on = closed_on
    organisation.details_from = max(organisation.details_from or effective_on, effective_on)
    organisation.save(update_fields=["closed_on", "details_from", "updated_at"])
    Membership.objects.filter(
        organisation=organisation, valid_to__isnull=True, valid_from__lte=closed_on
    ).update(valid_to=closed_on)


# Size figures and similar organisations

PROFILE_REQUIRED = ("ods_code", "year")
PROFILE_OPTIONAL = (*SizeMeasure.values, "months", "source")
PEER_REQUIRED = ("ods_code", "peer_ods_code")
PEER_OPTIONAL = ("source",)
SIMILAR_COUNT = 10
# Ambulance trusts and ICSs have no published size or peer list to go by.
COMPARED_TYPES = (
    OrganisationType.ACUTE,
    OrganisationType.SPECIALIST,
    OrganisationType.MENTAL_HEALTH,
    OrganisationType.COMBINED,
    OrganisationType.COMMUNITY,
)


@dataclass
class ProfileImport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self):
        return (
            f"{self.created} size figures created, {self.updated} updated, "
            f"{self.unchanged} unchanged"
        )


def _source_of(row, source, problems):
    found = row.values.get("source") or source
    if not found:
        problems.add(
            row.number, "source", "is empty: say where the figures were published (or --source)"
        )
    elif len(found) > 500:
        problems.add(row.number, "source", "is longer than 500 characters")
    return found


def _known_code(problems, row, column, organisations):
    code = row.values[column].upper()
    if code not in organisations:
        problems.add(row.number, column, f"{code or '(empty)'} is not an organisation in Northstar")
        return None
    return organisations[code]


def _size(problems, row, measure):
    text = row.values.get(measure, "")
    if not text:
        return None
    try:
        value = Decimal(text)
        if not value.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        problems.add(row.number, measure, f"{text!r} is not a number")
        return None
    if value < 0:
        problems.add(row.number, measure, f"{text} is negative; a size is 0 or more")
        return None
    return value.quantize(Decimal("0.1"))


def _check_profile(problems, row, organisations, source):
    """``[(organisation, year, measure, value, source)]`` for one row."""
    organisation = _known_code(problems, row, "ods_code", organisations)
    year = row.values["year"]
    if not (year.isdecimal() and 2000 <= int(year) <= 2100):
        problems.add(row.number, "year", f"{year!r} is not a year like 2024")
    months = row.values.get("months", "")
    if months and not (months.isdecimal() and 1 <= int(months) <= 12):
        problems.add(row.number, "months", f"{months!r} is not a number of months from 1 to 12")
    found_source = _source_of(row, source, problems)
    sizes = {measure: _size(problems, row, measure) for measure in SizeMeasure.values}
    if not any(row.values.get(m) for m in SizeMeasure.values):
        problems.add(row.number, "ods_code", "has no size figure in any measure column")
    if organisation is None or not year.isdecimal():
        return []
    return [
        (organisation, int(year), measure, value, found_source)
        for measure, value in sizes.items()
        if value is not None
    ]


@transaction.atomic
def import_profiles(*, path, source=""):
    """Published size figures, one row per organisation and year, one column
    per named size measure (e.g. general_acute_beds, annual_expenditure,
    staff); all or nothing. ``source`` says where they were published when the
    file has no source column. Similar organisations are worked out again."""
    rows = read_rows(path, required=PROFILE_REQUIRED, optional=PROFILE_OPTIONAL)
    problems = Problems(Path(path).name)
    organisations = {o.ods_code: o for o in Organisation.objects.all()}
    figures, seen = [], {}
    for row in rows:
        figures += _check_profile(problems, row, organisations, source)
        key = (row.values["ods_code"].upper(), row.values["year"])
        if key in seen:
            problems.add(row.number, "ods_code", f"{key[0]} {key[1]} is also on row {seen[key]}")
        seen[key] = row.number
    problems.raise_if_any()
    existing = {(f.organisation_id, f.measure, f.year): f for f in SizeFigure.objects.all()}
    result, new, changed = ProfileImport(), [], []
    for organisation, year, measure, value, found_source in figures:
        figure = existing.get((organisation.pk, measure, year))
        if figure is None:
            new.append(
                SizeFigure(
                    organisation=organisation,
                    year=year,
                    measure=measure,
                    value=value,
                    source=found_source,
                )
            )
        elif (figure.value, figure.source) != (value, found_source):
            figure.value, figure.source = value, found_source
            changed.append(figure)
        else:
            result.unchanged += 1
    SizeFigure.objects.bulk_create(new)
    SizeFigure.objects.bulk_update(changed, ["value", "source"])
    result.created, result.updated = len(new), len(changed)
    refresh_similar_organisations()
    return result


@dataclass
class PeerImport:
    pairs: int
    organisations: int

    def __str__(self):
        return f"{self.pairs} published similar-trust pairs for {self.organisations} organisations"


@transaction.atomic
def import_peers(*, path, source=""):
    """The published lists of similar trusts (``ods_code`` → ``peer_ods_code``),
    replacing those loaded before; all or nothing. Similar organisations are
    worked out again."""
    rows = read_rows(path, required=PEER_REQUIRED, optional=PEER_OPTIONAL)
    problems = Problems(Path(path).name)
    organisations = {o.ods_code: o for o in Organisation.objects.all()}
    pairs, seen = [], {}
    for row in rows:
        organisation = _known_code(problems, row, "ods_code", organisations)
        peer = _known_code(problems, row, "peer_ods_code", organisations)
        found_source = _source_of(row, source, problems)
        if organisation is None or peer is None:
            continue
        if organisation == peer:
            problems.add(row.number, "peer_ods_code", f"names {peer.ods_code} as its own peer")
            continue
        key = (organisation.pk, peer.pk)
        if key in seen:
            problems.add(
                row.number,
                "peer_ods_code",
                f"{organisation.ods_code} → {peer.ods_code} is also on row {seen[key]}",
            )
        seen[key] = row.number
        pairs.append(PublishedPeer(organisation=organisation, peer=peer, source=found_source))
    problems.raise_if_any()
    PublishedPeer.objects.all().delete()
    PublishedPeer.objects.bulk_create(pairs)
    refresh_similar_organisations()
    return PeerImport(len(pairs), len({p.organisation_id for p in pairs}))


def _latest_sizes():
    """``{organisation id: {measure: SizeFigure}}``, the latest year of each."""
    latest = {}
    for figure in SizeFigure.objects.order_by("year"):
        latest.setdefault(figure.organisation_id, {})[figure.measure] = figure
    return latest


def refresh_similar_organisations():
    """Each open organisation of a compared type gets up to ten similar
    organisations: its published list first, then the nearest of its own type
    by the first size measure it has (``NEARNESS_MEASURES``)."""
    organisations = list(
        Organisation.objects.filter(org_type__in=COMPARED_TYPES, closed_on__isnull=True)
    )
    open_ids = {o.pk for o in Organisation.objects.filter(closed_on__isnull=True)}
    sizes = _latest_sizes()
    published = {}
    for pair in PublishedPeer.objects.order_by("organisation_id", "peer__ods_code"):
        if pair.peer_id in open_ids:
            published.setdefault(pair.organisation_id, []).append(pair)
    similar = []
    for organisation in organisations:
        chosen = [
            SimilarOrganisation(
                organisation=organisation,
                peer_id=pair.peer_id,
                basis=SimilarBasis.PUBLISHED,
                source=pair.source,
            )
            for pair in published.get(organisation.pk, [])[:SIMILAR_COUNT]
        ]
        chosen += _nearest(
            organisation,
            organisations,
            sizes,
            {c.peer_id for c in chosen},
            SIMILAR_COUNT - len(chosen),
        )
        for rank, entry in enumerate(chosen, start=1):
            entry.rank = rank
        similar += chosen
    SimilarOrganisation.objects.all().delete()
    SimilarOrganisation.objects.bulk_create(similar)
    signals.similar_organisations_changed.send(sender=SimilarOrganisation)


def _nearest(organisation, organisations, sizes, taken, wanted):
    mine = sizes.get(organisation.pk, {})
    measure = next((m for m in NEARNESS_MEASURES if m in mine), None)
    if wanted <= 0 or measure is None:
        return []
    own = mine[measure].value
    candidates = [
        (abs(sizes[o.pk][measure].value - own), o.ods_code, o.pk, sizes[o.pk][measure].source)
        for o in organisations
        if o.org_type == organisation.org_type
        and o.pk != organisation.pk
        and o.pk not in taken
        and measure in sizes.get(o.pk, {})
    ]
    return [
        SimilarOrganisation(
            organisation=organisation,
            peer_id=pk,
            basis=SimilarBasis.SIZE,
            measure=measure,
            source=source,
        )
        for _, _, pk, source in sorted(candidates)[:wanted]
    ]

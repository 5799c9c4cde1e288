"""Entries as readers see them, for pages, the API, exports, feeds and emails.

Everything public goes through here, and nothing here reads who wrote an
entry beyond ``Entry.organisation``, which is empty on an anonymous entry:
its author is "An NHS organisation" (with its type only if the author chose)
and its dates are shown to the month."""

import difflib
import re

from django.urls import reverse
from markupsafe import Markup

from core.presenters import date, month
from learning import markdown
from learning.models import TEXT_FIELDS, EntryStatus, PerspectiveRole, TagKind
from learning.vocabulary import measure_name, org_type_name

ANONYMOUS_AUTHOR = "An NHS organisation"


def entry_url(entry):
    return reverse("learning:entry", args=[entry.reference])


def author(entry):
    if entry.organisation_id:
        return entry.organisation.name
    if entry.shown_org_type:
        return f"{ANONYMOUS_AUTHOR} ({org_type_name(entry.shown_org_type).lower()})"
    return ANONYMOUS_AUTHOR


def when(entry, value):
    """A date on an entry: to the month when the entry is anonymous."""
    if value is None:
        return ""
    return month(value) if entry.anonymous else date(value)


def iso_when(entry, value):
    """The same, for machines: 2026-11 or 2026-11-23."""
    if value is None:
        return ""
    return f"{value:%Y-%m}" if entry.anonymous else f"{value:%Y-%m-%d}"


def tag_values(entry, kind):
    return [tag.value for tag in entry.tags.all() if tag.kind == kind]


def topic_names(entry):
    return [topic.name for topic in entry.topics.all()]


def measure_names(entry):
    return [measure_name(key) for key in tag_values(entry, TagKind.MEASURE)]


def applies_to(entry):
    return [org_type_name(value) for value in tag_values(entry, TagKind.ORG_TYPE)]


def status_tag(entry):
    colours = {
        EntryStatus.DRAFT: "grey",
        EntryStatus.IN_REVIEW: "yellow",
        EntryStatus.PUBLISHED: "green",
    }
    return {"text": entry.get_status_display(), "colour": colours[entry.status]}


def kind_tag(entry):
    return {
        "text": entry.get_kind_display(),
        "colour": "red" if entry.kind == "redprint" else "blue",
    }


def card(entry, snippet=None, reasons=None):
    """One entry in a list."""
    return {
        "title": entry.title,
        "href": entry_url(entry),
        "kind": kind_tag(entry),
        "author": author(entry),
        "updated": when(entry, entry.last_activity_at or entry.updated_at),
        "summary": entry.summary,
        "snippet": snippet,
        "topics": topic_names(entry),
        "outcome": entry.get_outcome_display() if entry.outcome else "",
        "reasons": reasons or [],
    }


def _row(key, value):
    shown = {"html": value} if isinstance(value, Markup) else {"text": value or "None given"}
    return {"key": {"text": key}, "value": shown}


def _links(pairs):
    """``(text, href)`` pairs as links separated by commas; None when there are none."""
    links = [Markup('<a href="{}">{}</a>').format(href, text) for text, href in pairs]
    return Markup(", ").join(links) if links else None


def _organisation_link(entry):
    organisation = entry.organisation
    page = "organisations:ics" if organisation.is_ics else "organisations:detail"
    return Markup('<a href="{}">{}</a>').format(
        reverse(page, args=[organisation.ods_code]), organisation.name
    )


def summary_rows(entry):
    rows = [
        _row("Type", entry.get_kind_display()),
        _row("Written by", _organisation_link(entry) if entry.organisation_id else author(entry)),
        _row("Outcome", entry.get_outcome_display() if entry.outcome else "Not given"),
        _row(
            "Topics",
            _links((t.name, reverse("learning:topic", args=[t.slug])) for t in entry.topics.all()),
        ),
        _row(
            "Success measures",
            _links(
                (measure_name(key), reverse("learning:measure", args=[key]))
                for key in tag_values(entry, TagKind.MEASURE)
            ),
        ),
        _row("Suppliers", ", ".join(tag_values(entry, TagKind.SUPPLIER))),
        _row("Applies to", ", ".join(applies_to(entry))),
    ]
    if entry.published_at:
        rows.append(_row("Published", when(entry, entry.published_at)))
    if entry.last_activity_at:
        rows.append(_row("Last updated", when(entry, entry.last_activity_at)))
    return rows


def links_of(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def sections(entry):
    """The written parts, each with its heading, as safe HTML."""
    return [
        {
            "id": field.replace("_", "-"),
            "heading": label,
            "html": markdown.render(getattr(entry, field)),
        }
        for field, label in TEXT_FIELDS.items()
        if field not in ("summary", "links") and getattr(entry, field)
    ]


def timeline(entry, updates):
    return [
        {
            "title": update.title,
            "when": when(entry, update.posted_at),
            "html": markdown.render(update.body),
        }
        for update in updates
    ]


def perspective_coverage(perspectives):
    """Which perspectives an entry has, and which it is missing."""
    present = {p.role for p in perspectives}
    return {
        "has": [role.label for role in PerspectiveRole if role in present],
        "missing": [role.label for role in PerspectiveRole if role not in present],
    }


def perspective_items(entry, perspectives):
    return [
        {
            "role": p.get_role_display(),
            "when": when(entry, p.submitted_at),
            "html": markdown.render(p.body),
        }
        for p in perspectives
    ]


def revision_rows(entry, revisions):
    """Each revision: its number, when, and who (no one, on an anonymous entry)."""
    return [
        {
            "number": revision.number,
            "when": when(entry, revision.at),
            "by": "The authors"
            if entry.anonymous or revision.by is None
            else revision.by.full_name,
            "public": revision.public,
        }
        for revision in revisions
    ]


def _words(value):
    if isinstance(value, list):
        return [f"{item};" for item in value]
    return re.findall(r"\S+\s*", str(value or ""))


def differences(before, after):
    """For each field that changed between two revisions' content: its
    heading and the words removed and added, marked up safely."""
    labels = {
        "kind": "Type",
        "title": "Title",
        **TEXT_FIELDS,
        "outcome": "Outcome",
        "topics": "Topics",
        "measures": "Success measures",
        "suppliers": "Suppliers",
        "org_types": "Applies to",
    }
    changes = []
    for field, label in labels.items():
        old, new = before.get(field, ""), after.get(field, "")
        if old == new:
            continue
        a, b = _words(old), _words(new)
        html = Markup("")
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
            if op in ("delete", "replace"):
                html += Markup("<del>{}</del>").format("".join(a[i1:i2]))
            if op in ("insert", "replace"):
                html += Markup("<ins>{}</ins>").format("".join(b[j1:j2]))
            if op == "equal":
                html += "".join(a[i1:i2])
        changes.append({"heading": label, "html": html})
    return changes


def notification_rows(notifications):
    return [
        {
            "text": n.text,
            "href": entry_url(n.entry),
            "when": when(n.entry, n.created_at),
            "unread": n.read_at is None,
        }
        for n in notifications
    ]


def digest_email(user, notifications, site_url):
    """The subject and text of one person's digest."""
    count = len(notifications)
    subject = f"Northstar: {count} new in the learning library"
    lines = [
        f"Hello {user.full_name or user.email},",
        "",
        "New in the blueprints and redprints you follow:",
        "",
    ]
    for n in notifications:
        lines += [f"- {n.text}", f"  {site_url}{entry_url(n.entry)}"]
    lines += [
        "",
        f"See every notification at {site_url}{reverse('learning:notifications')}",
        f"Change what you follow at {site_url}{reverse('learning:following')}",
    ]
    return subject, "\n".join(lines) + "\n"


# --- Machine-readable ---------------------------------------------------------


def public_record(entry):
    """An entry as the API and the CSV export give it."""
    return {
        "reference": entry.reference,
        "url": entry_url(entry),
        "kind": entry.kind,
        "title": entry.title,
        "anonymous": entry.anonymous,
        "author": author(entry),
        "organisation_ods_code": entry.organisation.ods_code if entry.organisation_id else "",
        "published": iso_when(entry, entry.published_at),
        "last_updated": iso_when(entry, entry.last_activity_at),
        "outcome": entry.outcome,
        "topics": [topic.slug for topic in entry.topics.all()],
        "measures": tag_values(entry, TagKind.MEASURE),
        "suppliers": tag_values(entry, TagKind.SUPPLIER),
        "applies_to": tag_values(entry, TagKind.ORG_TYPE),
        **{field: getattr(entry, field) for field in TEXT_FIELDS},
    }


CSV_COLUMNS = [
    "reference", "url", "kind", "title", "anonymous", "author", "organisation_ods_code",
    "published", "last_updated", "outcome", "topics", "measures", "suppliers", "applies_to",
    *TEXT_FIELDS,
]  # fmt: skip


def _cell(value):
    if isinstance(value, list):
        value = "; ".join(value)
    elif isinstance(value, bool):
        value = "yes" if value else "no"
    return value


def csv_row(entry):
    record = public_record(entry)
    return [_cell(record[column]) for column in CSV_COLUMNS]

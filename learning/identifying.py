"""The check before an anonymous redprint is published: words in its text that
could identify the organisation that wrote it, so that the author can remove
them. Only the authors see the result."""

import re
from dataclasses import dataclass

from accounts.models import User
from organisations.queries import ics_of

# Endings that leave a name still recognisable when they are dropped.
_ENDINGS = (
    "NHS Foundation Trust",
    "NHS Trust",
    "Foundation Trust",
    "Integrated Care Board",
    "Integrated Care System",
    "University Hospitals",
    "Hospitals",
    "Trust",
)
_EXCERPT = 40


@dataclass(frozen=True)
class Term:
    words: str
    what: str


@dataclass(frozen=True)
class Hit:
    field: str
    field_label: str
    term: Term
    before: str
    found: str
    after: str


def _short_forms(name):
    """The name, and the name without its NHS ending and a leading "NHS"."""
    forms = [name]
    short = name
    for ending in _ENDINGS:
        if short.lower().endswith(" " + ending.lower()):
            short = short[: -len(ending)].strip()
    if short.lower().startswith("nhs "):
        short = short[4:].strip()
    if short != name and len(short) >= 6:
        forms.append(short)
    return forms


def terms_for(organisation):
    """The words that name the organisation, its ICS and its people."""
    terms = [Term(form, "your organisation's name") for form in _short_forms(organisation.name)]
    terms.append(Term(organisation.ods_code, "your organisation's ODS code"))
    ics = ics_of(organisation)
    if ics is not None and ics.id != organisation.id:
        terms += [Term(form, "your integrated care system") for form in _short_forms(ics.name)]
        terms.append(Term(ics.ods_code, "your integrated care system's ODS code"))
    people = User.objects.filter(roles__organisation=organisation).distinct()
    for person in people:
        if person.full_name:
            terms.append(Term(person.full_name, "the name of someone at your organisation"))
        terms.append(Term(person.email, "the email address of someone at your organisation"))
    return terms


def unchecked(field, label, name):
    """A file that could not be read, so could not be checked: it counts as a
    hit until it is removed or uploaded again."""
    return Hit(
        field=field,
        field_label=label,
        term=Term(words=name, what="a file Northstar could not read to check: remove it"),
        before="",
        found=name,
        after="",
    )


def _pattern(words):
    return re.compile(rf"(?<!\w){re.escape(words)}(?!\w)", re.IGNORECASE)


def find(texts, terms):
    """Each place a term appears in ``texts`` (``{field: (label, text)}``),
    with a little of the text either side."""
    hits = []
    for field, (label, text) in texts.items():
        spans = []
        for term in sorted(terms, key=lambda t: -len(t.words)):
            for match in _pattern(term.words).finditer(text or ""):
                start, end = match.span()
                if any(s <= start and end <= e for s, e in spans):
                    continue  # within a longer name already found
                spans.append((start, end))
                hits.append(
                    Hit(
                        field=field,
                        field_label=label,
                        term=term,
                        before=("…" if start > _EXCERPT else "")
                        + text[max(0, start - _EXCERPT) : start],
                        found=match.group(0),
                        after=text[end : end + _EXCERPT]
                        + ("…" if len(text) > end + _EXCERPT else ""),
                    )
                )
    return hits

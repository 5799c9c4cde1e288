"""Full-text search over published entries: their titles and written parts,
journey updates and approved perspectives. One interface, two engines:
SQLite's FTS5 (the ``learning_entry_fts`` table) by default and PostgreSQL's
full-text search when the database is PostgreSQL.

``index`` is called by every service that changes what a reader can see, in
the same transaction, so the index never drifts from the entries. What is
indexed is only the entry's own text: nothing about who wrote it."""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F
from markupsafe import Markup, escape

from learning.models import TEXT_FIELDS, ModerationStatus, SearchDocument

MAX_TERMS = 12
MAX_TERM_LENGTH = 40
MAX_RESULTS = 100
# Private-use characters mark the matched words in a snippet; they are taken
# out of the indexed text so that nobody can type them.
_START, _STOP = "\ue000", "\ue001"
_MARKERS = re.compile(f"[{_START}{_STOP}]")


@dataclass
class Hit:
    entry: object
    snippet: Markup


def terms(query):
    """The words searched for: letters and digits only, so that punctuation,
    operators and quotes can never reach the engine."""
    words = re.findall(r"[^\W_]+", query or "")
    return [word[:MAX_TERM_LENGTH].lower() for word in words][:MAX_TERMS]


def document_of(entry):
    """The title and the body text indexed for an entry."""
    parts = [getattr(entry, field) for field in TEXT_FIELDS]
    parts += [topic.name for topic in entry.topics.all()]
    for update in entry.updates.all():
        parts += [update.title, update.body]
    parts += [p.body for p in entry.perspectives.all() if p.status == ModerationStatus.APPROVED]
    body = "\n\n".join(part for part in parts if part)
    return _MARKERS.sub("", entry.title), _MARKERS.sub("", body)


def index(entry):
    """Bring the index in step with the entry: its current text if readers can
    see it, nothing otherwise."""
    if not entry.is_published:
        remove(entry.pk)
        return
    title, body = document_of(entry)
    SearchDocument.objects.update_or_create(entry=entry, defaults={"title": title, "body": body})
    if connection.vendor == "postgresql":
        SearchDocument.objects.filter(pk=entry.pk).update(
            vector=SearchVector("title", weight="A", config="english")
            + SearchVector("body", weight="B", config="english")
        )
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM learning_entry_fts WHERE rowid = %s", [entry.pk])
            cursor.execute(
                "INSERT INTO learning_entry_fts (rowid, title, body) VALUES (%s, %s, %s)",
                [entry.pk, title, body],
            )


def remove(entry_id):
    SearchDocument.objects.filter(pk=entry_id).delete()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM learning_entry_fts WHERE rowid = %s", [entry_id])


def _highlighted(snippet):
    """Escape the snippet first, then mark the matches: typed HTML stays text."""
    html = str(escape(snippet or ""))
    return Markup(html.replace(_START, "<mark>").replace(_STOP, "</mark>"))  # noqa: S704 (escaped)


def _sqlite_matches(words):
    match = " ".join(f'"{word}"*' for word in words)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid, snippet(learning_entry_fts, -1, %s, %s, '…', 24) "
            "FROM learning_entry_fts WHERE learning_entry_fts MATCH %s "
            "ORDER BY bm25(learning_entry_fts, 5.0, 1.0) LIMIT %s",
            [_START, _STOP, match, MAX_RESULTS * 5],
        )
        return cursor.fetchall()


def _postgres_matches(words):
    query = SearchQuery(
        " & ".join(f"{word}:*" for word in words), search_type="raw", config="english"
    )
    found = (
        SearchDocument.objects.filter(vector=query)
        .annotate(
            rank=SearchRank(F("vector"), query),
            snippet=SearchHeadline(
                "body",
                query,
                config="english",
                start_sel=_START,
                stop_sel=_STOP,
                max_words=35,
                min_words=15,
            ),
        )
        .order_by("-rank", "pk")
        .values_list("pk", "snippet")
    )
    return list(found[: MAX_RESULTS * 5])


def search(query, entries):
    """Entries among ``entries`` matching every word of ``query``, best first,
    each with a highlighted snippet. A query with no words finds nothing."""
    words = terms(query)
    if not words:
        return []
    if connection.vendor == "postgresql":
        matches = _postgres_matches(words)
    else:
        matches = _sqlite_matches(words)
    by_id = entries.in_bulk([entry_id for entry_id, _ in matches])
    hits = [
        Hit(by_id[entry_id], _highlighted(snippet))
        for entry_id, snippet in matches
        if entry_id in by_id
    ]
    return hits[:MAX_RESULTS]

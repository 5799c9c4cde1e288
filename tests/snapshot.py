"""Load the real reference data once per test process, then restore it from a snapshot.

The framework, the NHS organisation structure and NHS England's published scores take
seconds to load through their importers, and a dozen tests start from them. The first
test in a process that asks runs the real loader, and what it queues for after commit
(the published rounds' peer figures) as the worker would; its rows are kept in memory and
later tests get the same rows written back in one transaction, ids included. The snapshot is
only used when every table the loader wrote to is empty again, so a test that has
already put data there (or a second call in one test) still runs the real loader.
"""

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test import TestCase


def _tables():
    models = apps.get_models(include_auto_created=True)
    return {model._meta.db_table: model for model in models if model._meta.managed}


def _counts(tables):
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
        return counts


def _rows(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
        columns = [column[0] for column in cursor.description]
        return columns, [tuple(map(_writable, row)) for row in cursor.fetchall()]


def _writable(value):
    """PostgreSQL hands JSON columns back as Python objects; psycopg writes them as JSON."""
    if connection.vendor == "postgresql" and isinstance(value, dict | list):
        from psycopg.types.json import Jsonb

        return Jsonb(value)
    return value


class Snapshot:
    """Rows the loader wrote, table by table, and the lines it reported."""

    def __init__(self, loader):
        self.loader = loader
        self.tables = None
        self.lines = []

    def __call__(self, report):
        tables = _tables()
        before = _counts(tables)
        if self.tables is not None and all(before[table] == 0 for table in self.tables):
            return self._restore(tables, report)
        lines = []
        # What the loading queues for after commit (the published rounds' peer
        # figures) runs now, as the worker would: tests start from the result.
        with TestCase.captureOnCommitCallbacks(execute=True):
            self.loader(lambda line: (lines.append(line), report(line)))
        if self.tables is None and self._untouched_before(tables, before):
            self.lines = lines
        return None

    def _untouched_before(self, tables, before):
        after = _counts(tables)
        written = [table for table in tables if after[table] != before[table]]
        if any(before[table] for table in written):
            return False
        self.tables = {table: _rows(table) for table in written}
        return True

    def _restore(self, tables, report):
        quote = connection.ops.quote_name
        with transaction.atomic(), connection.cursor() as cursor:
            for table, (columns, rows) in self.tables.items():
                if not rows:
                    continue
                names = ", ".join(quote(column) for column in columns)
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})",  # noqa: S608
                    rows,
                )
            models = [tables[table] for table in self.tables]
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
        for line in self.lines:
            report(line)

"""Full-text search: an FTS5 table on SQLite (rowid = entry id), a GIN index on
the stored tsvector on PostgreSQL. Each database gets only its own."""

from django.db import migrations

SQLITE = (
    "CREATE VIRTUAL TABLE learning_entry_fts USING fts5("
    "title, body, tokenize = 'porter unicode61 remove_diacritics 2')"
)
POSTGRES = (
    "CREATE INDEX learning_searchdocument_vector "
    "ON learning_searchdocument USING GIN (vector)"
)


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS learning_entry_fts")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS learning_searchdocument_vector")


class Migration(migrations.Migration):
    dependencies = [("learning", "0002_topics")]
    operations = [migrations.RunPython(create, drop)]

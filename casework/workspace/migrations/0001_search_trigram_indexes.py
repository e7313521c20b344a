"""The search's indexes on PostgreSQL (docs/search.md): the pg_trgm extension, and a trigram
GIN index on UPPER(column) for every text column the search matches with ``icontains``
(Django writes ``UPPER(col::text) LIKE UPPER(%s)``), so that a Chinese substring is found
without reading every row. SQLite has neither: both operations do nothing there."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXED = {
    "accountability_accountabilitycase": (
        "number",
        "summary",
        "findings",
        "objection",
        "investigation_report",
        "minutes",
        "statement",
        "no_accountability_reason",
    ),
    "complaints_complaint": (
        "content",
        "onsite_response",
        "organ_result",
        "decision_text",
        "published_result",
        "internal_notes",
        "feedback",
    ),
    "org_official": ("name",),
    "org_department": ("name",),
}


def _name(table, column):
    return f"search_trgm_{table}_{column}"[:63]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, columns in INDEXED.items():
        for column in columns:
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{_name(table, column)}" ON "{table}" '
                f'USING gin (UPPER("{column}"::text) gin_trgm_ops)'
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, columns in INDEXED.items():
        for column in columns:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{_name(table, column)}"')


class Migration(migrations.Migration):
    dependencies = [
        ("accountability", "0006_append_only"),
        ("complaints", "0005_attachment_storage_and_access_kind"),
        ("org", "0001_initial"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create, drop, elidable=False),
    ]

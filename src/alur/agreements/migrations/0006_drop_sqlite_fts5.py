"""SQLite searches the register's fields themselves now (alur.agreements.search): the FTS5 table
of migration 0005 and its triggers go. Django rebuilds a table to alter it on SQLite and the
rebuilt table had lost those triggers, so they had to be put back after every `migrate`; with
nothing kept beside the tables there is nothing to lose.

PostgreSQL keeps its tsvector column, triggers and GIN index (altering a table there keeps its
triggers): this migration does nothing on it.
"""
import importlib

from django.db import migrations

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS agreements_search_insert",
    "DROP TRIGGER IF EXISTS agreements_search_update",
    "DROP TRIGGER IF EXISTS agreements_search_delete",
    "DROP TRIGGER IF EXISTS agreements_search_partner_renamed",
    "DROP TABLE IF EXISTS agreements_search",
]


def drop_fts5(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


def restore_fts5(apps, schema_editor):
    """Back to 0005 on SQLite: its table and triggers, filled from the rows there are."""
    if schema_editor.connection.vendor == "sqlite":
        importlib.import_module("alur.agreements.migrations.0005_agreement_search").create(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("agreements", "0005_agreement_search")]

    operations = [migrations.RunPython(drop_fts5, restore_fts5)]

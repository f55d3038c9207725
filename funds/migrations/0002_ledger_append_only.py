"""The ledger is append-only in the database too (PostgreSQL): posted entries and lines are never updated or
deleted; corrections are reversing entries. SQLite relies on the models' guards. TRUNCATE (the test
runner's flush) is not trapped."""

from django.db import migrations

LEDGER_APPEND_ONLY = """
CREATE OR REPLACE FUNCTION funds_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '%% is append-only (%% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER funds_journalentry_append_only
    BEFORE UPDATE OR DELETE ON funds_journalentry
    FOR EACH ROW EXECUTE FUNCTION funds_ledger_append_only();
CREATE TRIGGER funds_journalline_append_only
    BEFORE UPDATE OR DELETE ON funds_journalline
    FOR EACH ROW EXECUTE FUNCTION funds_ledger_append_only();
"""
LEDGER_APPEND_ONLY_DROP = """
DROP TRIGGER IF EXISTS funds_journalline_append_only ON funds_journalline;
DROP TRIGGER IF EXISTS funds_journalentry_append_only ON funds_journalentry;
DROP FUNCTION IF EXISTS funds_ledger_append_only();
"""


def ledger_append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(LEDGER_APPEND_ONLY)


def ledger_append_only_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(LEDGER_APPEND_ONLY_DROP)


class Migration(migrations.Migration):
    dependencies = [("funds", "0001_initial")]
    operations = [migrations.RunPython(ledger_append_only, ledger_append_only_drop)]

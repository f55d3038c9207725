"""The audit table refuses UPDATE and DELETE in the database itself (PostgreSQL). SQLite (local demo) relies
on the model's save()/delete() guards.

TRUNCATE is not trapped here: the test runner flushes tables with it. In production the application's
database role should not own the table, so it holds no TRUNCATE right (see docs/security.md)."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION union_portal_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'union_portal_auditlog is append-only (%% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER union_portal_auditlog_append_only
    BEFORE UPDATE OR DELETE ON union_portal_auditlog
    FOR EACH ROW EXECUTE FUNCTION union_portal_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS union_portal_auditlog_append_only ON union_portal_auditlog;
DROP FUNCTION IF EXISTS union_portal_audit_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("union_portal", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]

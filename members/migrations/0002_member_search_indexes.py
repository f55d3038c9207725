"""PostgreSQL-only search indexes for the member roll; a no-op on SQLite (tests, local demo).

- pg_trgm GIN index on the name: "name contains" searches of three or more characters use it.
- (org, member_number): the first page of one union's list, in member-number order, reads the index only.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS member_name_trgm_idx ON members_member USING gin (name gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS member_org_number_idx ON members_member (org_id, member_number)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS member_org_number_idx",
    "DROP INDEX IF EXISTS member_name_trgm_idx",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]

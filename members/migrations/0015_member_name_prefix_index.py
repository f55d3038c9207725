"""PostgreSQL: (name COLLATE "C", org_path, member_number), the index of a name search (members.selectors.
member_name_search): in the C collation a B-tree serves LIKE 'prefix%', and the two columns after the name
keep a subtree's matches in the list's order. A no-op on SQLite (local demo), whose default collation is
already byte order."""

from django.db import migrations

CREATE = (
    'CREATE INDEX IF NOT EXISTS member_name_c_path_number_idx ON members_member (name COLLATE "C", org_path, member_number)'
)
DROP = "DROP INDEX IF EXISTS member_name_c_path_number_idx"


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("members", "0014_member_org_path_triggers")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]

"""Fill Member.org_path with its union's treebeard path: one set-based UPDATE (4,000,000 rows at city scale),
before the triggers and the index exist (0014), so that neither slows it down."""

from django.db import migrations

FILL = {
    "postgresql": (
        "UPDATE members_member m SET org_path = o.path FROM union_portal_orgunit o "
        "WHERE o.id = m.org_id AND m.org_path IS DISTINCT FROM o.path"
    ),
    "sqlite": (
        "UPDATE members_member SET org_path = "
        "(SELECT o.path FROM union_portal_orgunit o WHERE o.id = members_member.org_id)"
    ),
}


def fill(apps, schema_editor):
    schema_editor.execute(FILL[schema_editor.connection.vendor])


class Migration(migrations.Migration):
    dependencies = [("members", "0012_member_org_path")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]

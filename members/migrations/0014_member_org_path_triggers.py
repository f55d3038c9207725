"""Member.org_path stays its union's path whatever writes the row: the database keeps it.

- A member inserted (form, import, COPY) or saved: org_path is read from the union (PostgreSQL: BEFORE INSERT
  OR UPDATE, so a stale value in a Python object saved again cannot win; SQLite: after insert and after an
  update of org_id or org_path).
- A union moved in the tree (treebeard rewrites the paths of the subtree in one UPDATE): one set-based UPDATE
  of the members of the units whose path changed (PostgreSQL: a statement trigger reading the transition
  table; SQLite: per unit row, through the (org_id) index).
Then the index (org_path, member_number) that the member list and scoping read."""

from django.db import migrations, models

POSTGRES = [
    """
CREATE OR REPLACE FUNCTION members_member_org_path() RETURNS trigger AS $$
BEGIN
    NEW.org_path := (SELECT path FROM union_portal_orgunit WHERE id = NEW.org_id);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql
""",
    """
CREATE TRIGGER members_member_org_path
    BEFORE INSERT OR UPDATE ON members_member
    FOR EACH ROW EXECUTE FUNCTION members_member_org_path()
""",
    """
CREATE OR REPLACE FUNCTION members_orgunit_path_moved() RETURNS trigger AS $$
BEGIN
    UPDATE members_member m SET org_path = n.path
    FROM moved_new n JOIN moved_old o ON o.id = n.id
    WHERE n.path <> o.path AND m.org_id = n.id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
""",
    """
CREATE TRIGGER members_orgunit_path_moved
    AFTER UPDATE ON union_portal_orgunit
    REFERENCING OLD TABLE AS moved_old NEW TABLE AS moved_new
    FOR EACH STATEMENT EXECUTE FUNCTION members_orgunit_path_moved()
""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS members_orgunit_path_moved ON union_portal_orgunit",
    "DROP FUNCTION IF EXISTS members_orgunit_path_moved()",
    "DROP TRIGGER IF EXISTS members_member_org_path ON members_member",
    "DROP FUNCTION IF EXISTS members_member_org_path()",
]
SQLITE = [
    """
CREATE TRIGGER members_member_org_path_insert AFTER INSERT ON members_member BEGIN
    UPDATE members_member SET org_path = (SELECT path FROM union_portal_orgunit WHERE id = NEW.org_id)
    WHERE id = NEW.id;
END
""",
    """
CREATE TRIGGER members_member_org_path_update AFTER UPDATE OF org_id, org_path ON members_member BEGIN
    UPDATE members_member SET org_path = (SELECT path FROM union_portal_orgunit WHERE id = NEW.org_id)
    WHERE id = NEW.id;
END
""",
    """
CREATE TRIGGER members_orgunit_path_moved AFTER UPDATE OF path ON union_portal_orgunit
WHEN NEW.path <> OLD.path BEGIN
    UPDATE members_member SET org_path = NEW.path WHERE org_id = NEW.id;
END
""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS members_orgunit_path_moved",
    "DROP TRIGGER IF EXISTS members_member_org_path_update",
    "DROP TRIGGER IF EXISTS members_member_org_path_insert",
]


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements[schema_editor.connection.vendor]:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("members", "0013_member_org_path_fill")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_DROP, "sqlite": SQLITE_DROP}),
        ),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(fields=["org_path", "member_number"], name="member_org_path_number_idx"),
        ),
    ]

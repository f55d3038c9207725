"""The application's database role (issue 14 M11): deploy/db-grants.sql, run against the test database for a
role created here, leaves it unable to UPDATE, DELETE or TRUNCATE the audit log and the funds journal, or to
switch their triggers off, while it can still INSERT there and change ordinary tables."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

GRANTS = Path(settings.BASE_DIR) / "deploy" / "db-grants.sql"
APPEND_ONLY = ["union_portal_auditlog", "funds_journalentry", "funds_journalline"]


def _statements(path: Path, role: str) -> list[str]:
    """The script's statements with psql's ``:"app_role"`` variable filled in, as psql would."""
    lines = [line for line in path.read_text().splitlines() if not line.lstrip().startswith("--")]
    text = "\n".join(lines).replace(':"app_role"', connection.ops.quote_name(role))
    return [statement.strip() for statement in text.split(";") if statement.strip()]


@pytest.fixture
def app_role():
    """A login-less role with the deployment's grants, for this test's transaction only (CREATE ROLE is
    transactional in PostgreSQL, so the test's rollback removes it)."""
    role = f"up_app_test_{os.getpid()}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {connection.ops.quote_name(role)} NOLOGIN")
        for statement in _statements(GRANTS, role):
            cursor.execute(statement)
    yield role
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


def _as_role_fails(role: str, sql: str) -> str | None:
    """Run ``sql`` as ``role`` in a savepoint; the error message when it is refused, None when it ran."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL ROLE {connection.ops.quote_name(role)}")
            cursor.execute(sql)
    except DatabaseError as error:
        return str(error)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
    return None


def _privilege(role: str, table: str, privilege: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT has_table_privilege(%s, %s, %s)", [role, table, privilege])
        return cursor.fetchone()[0]


def test_the_application_role_cannot_update_delete_or_truncate_the_audit_log_and_journal(app_role):
    from union_portal.audit import audit_record

    audit_record(actor=None, action="test.row", object_repr="x")
    for table in APPEND_ONLY:
        for privilege in ("UPDATE", "DELETE", "TRUNCATE", "TRIGGER"):
            assert not _privilege(app_role, table, privilege), (table, privilege)
        assert _privilege(app_role, table, "INSERT") and _privilege(app_role, table, "SELECT"), table
    # and it is refused by the database for lack of the right (not only by the trigger)
    for sql in (
        "UPDATE union_portal_auditlog SET action = 'forged'",
        "DELETE FROM union_portal_auditlog",
        "TRUNCATE union_portal_auditlog",
        "ALTER TABLE union_portal_auditlog DISABLE TRIGGER ALL",
        "TRUNCATE funds_journalline, funds_journalentry",
        "DELETE FROM funds_journalentry",
        "UPDATE funds_journalline SET id = id",
    ):
        error = _as_role_fails(app_role, sql)
        assert error is not None, sql
        assert "permission denied" in error or "must be owner" in error, (sql, error)


def test_the_application_role_can_append_to_the_audit_log(app_role):
    refused = _as_role_fails(
        app_role,
        "INSERT INTO union_portal_auditlog (at, actor_name, action, object_type, object_id, object_repr, result, "
        "detail) VALUES (now(), '', 'test.insert', '', '', '', 'ok', '{}')",
    )
    assert refused is None


def test_the_application_role_keeps_ordinary_rights_on_other_tables(app_role):
    for privilege in ("SELECT", "INSERT", "UPDATE", "DELETE"):
        assert _privilege(app_role, "members_member", privilege), privilege
        assert _privilege(app_role, "django_session", privilege), privilege
    assert not _privilege(app_role, "members_member", "TRUNCATE")
    assert _as_role_fails(app_role, "UPDATE django_session SET expire_date = expire_date") is None

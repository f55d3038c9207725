"""Every service that changes state writes an audit row; the audit log is append-only."""

import pytest
from django.db import connection, transaction

from members import services
from union_portal.audit import audit_record
from union_portal.models import AuditLog, OrgUnit


def test_org_unit_create_update_and_move_write_audit_rows(tree, huashe_staff):
    node = services.org_unit_create(
        by=huashe_staff, parent=tree["KQ-HS"], code="KQ-HS-900", name="新工会", kind="grassroots"
    )
    services.org_unit_update(by=huashe_staff, node=node, name="新工会（更名）", status="active")

    actions = list(AuditLog.objects.filter(object_id=str(node.pk)).values_list("action", flat=True))
    assert sorted(actions) == ["org.create", "org.update"]


def test_org_unit_move_is_recorded_and_audited(tree, district_admin):
    node = tree["KQ-HS-003"]

    services.org_unit_move(by=district_admin, node=node, new_parent=tree["KQ-QX"], reason="区划调整")

    node.refresh_from_db()
    assert OrgUnit.objects.get_parent(node).code == "KQ-QX"
    move = node.moves.get()
    assert (move.from_parent.code, move.to_parent.code, move.reason) == ("KQ-HS", "KQ-QX", "区划调整")
    row = AuditLog.objects.get(action="org.move", object_id=str(node.pk))
    assert row.actor == district_admin and row.detail["to"] == "KQ-QX"


def test_login_success_and_failure_are_audited(tree, client, settings):
    client.post("/accounts/login/", {"username": "handler", "password": "wrong-password"})
    client.post("/accounts/login/", {"username": "handler", "password": settings.DEMO_PASSWORD})

    results = list(AuditLog.objects.filter(action="auth.login").order_by("id").values_list("result", flat=True))
    assert results == ["failed", "ok"]


def test_audit_rows_cannot_be_changed_or_deleted_through_the_orm(tree, district_admin):
    row = audit_record(actor=district_admin, action="test.thing")

    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.delete()


@pytest.mark.postgres
def test_the_database_refuses_update_and_delete_of_audit_rows(tree, district_admin):
    row = audit_record(actor=district_admin, action="test.thing")

    for sql in (
        "UPDATE union_portal_auditlog SET action='x' WHERE id=%s",
        "DELETE FROM union_portal_auditlog WHERE id=%s",
    ):
        with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [row.pk])
    assert AuditLog.objects.get(pk=row.pk).action == "test.thing"


def test_audit_records_the_client_ip_of_the_request(tree, client, settings):
    client.post("/accounts/login/", {"username": "handler", "password": settings.DEMO_PASSWORD}, REMOTE_ADDR="10.1.2.3")

    assert AuditLog.objects.get(action="auth.login").ip == "10.1.2.3"

"""Issue 14 M8: a full roll export (full ID numbers and phones) holds only the members of the subtrees where
the user holds a REVEAL role, asks for a reason, and is audited with the row count and the reason. Each
request is in scope on its own (an IDOR sweep cannot see this): city_admin sees the whole city's roll, and
holds a REVEAL role at one small union."""

import io

from openpyxl import load_workbook

from tests.factories import RoleAssignmentFactory
from union_portal.models import AuditLog
from union_portal.roles import Role


def _rows(content):
    return [[c.value for c in row] for row in load_workbook(io.BytesIO(content)).active.iter_rows()]


def _sheet(content):
    return str(_rows(content))


def test_city_admin_with_one_small_unions_role_exports_only_that_union_in_full(tree, make_member, login, city_admin):
    RoleAssignmentFactory(user=city_admin, role=Role.HANDLER, node=tree["KQ-HS-003"])
    small = make_member("KQ-HS-003", name="小微会员")
    elsewhere = make_member("KQ-QX-001", name="齐贤会员")
    client = login(city_admin)
    # the masked export still lists the whole city
    masked = _sheet(client.get("/members/export.xlsx").content)
    assert "小微会员" in masked and "齐贤会员" in masked and elsewhere.id_number not in masked

    response = client.post("/members/export.xlsx?full=1", {"reason": "核对小微企业会员"})
    data_rows = _rows(response.content)[1:]
    full = str(data_rows)
    assert small.id_number in full and small.mobile in full
    # the old code exported the whole city's ID numbers and phones
    assert elsewhere.id_number not in full and elsewhere.mobile not in full and "齐贤会员" not in full

    assert data_rows and all(row[5] == tree["KQ-HS-003"].name for row in data_rows)

    row = AuditLog.objects.get(action="members.export", detail__full=True)
    assert row.detail["reason"] == "核对小微企业会员" and row.detail["rows"] == len(data_rows)


def test_a_full_export_without_a_reason_writes_no_file_and_no_audit_row(make_member, login, handler):
    make_member()
    client = login(handler)
    response = client.post("/members/export.xlsx?full=1", {"reason": ""})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert not AuditLog.objects.filter(action="members.export", detail__full=True).exists()

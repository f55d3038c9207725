"""Issue 15 on the tax authority's file: the tax office's own headers and title rows are read, amounts and
dates as cells or text, and an identifier (credit code, tax voucher) stored as a number is refused."""

import datetime as dt
import io
from decimal import Decimal

from openpyxl import Workbook

from funds import services as svc
from funds.models import FundsImportBatch

from .conftest import YEAR


def _file(header, rows, *, epoch=None, title=True) -> bytes:
    workbook = Workbook()
    if epoch:
        workbook.epoch = epoch
    sheet = workbook.active
    if title:
        sheet.append(["工会经费（税务代征）入库明细"])
        sheet.merge_cells("A1:G1")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


TAX_OFFICE_HEADER = [
    "序号",
    "纳税人识别号",
    "纳税人名称",
    "税款所属期",
    "计费工资总额",
    "实缴（退）金额",
    "缴款日期",
    "电子税票号码",
]


def test_the_tax_offices_own_headers_title_row_number_and_date_cells_are_read(tree, finance, hs_firm):
    data = _file(
        TAX_OFFICE_HEADER,
        [[1, hs_firm.uscc, hs_firm.name, f"{YEAR}-03", 100000, 2000.5, dt.date(YEAR, 4, 15), "333060226040000"]],
        epoch=dt.datetime(1904, 1, 1),  # noqa: DTZ001 - openpyxl's epoch is naive
    )

    batch, errors = svc.funds_import_preview(by=finance, data=data, filename="税务.xlsx")

    assert errors == [] and isinstance(batch, FundsImportBatch)
    row = batch.rows[0]
    assert (row["payroll"], row["amount"], row["collected_on"]) == ("100000.00", "2000.50", f"{YEAR}-04-15")
    assert row["voucher"] == "333060226040000" and batch.total == Decimal("2000.50")


def test_a_credit_code_or_voucher_stored_as_a_number_is_refused_by_row_and_column(tree, finance, hs_firm):
    data = _file(
        TAX_OFFICE_HEADER,
        [[1, hs_firm.uscc, "", f"{YEAR}-03", 100000, 2000, dt.date(YEAR, 4, 15), 333060226040000123]],
    )

    batch, errors = svc.funds_import_preview(by=finance, data=data, filename="税务.xlsx")

    assert batch is None
    assert [(e.row, e.column) for e in errors] == [(3, "电子税票号码")]
    assert "该列须设为文本格式" in errors[0].message

"""The core's payment batches: the bank's return file (回盘文件) is read and each line checked against the
transfer file. Mutual aid's use of the batches is tested in tests/mutual_aid."""

import io
from decimal import Decimal

import pytest

from union_portal.excel import ExcelFileError, workbook_bytes
from union_portal.payments.layouts import bank_headers, bank_rows, read_return_file
from union_portal.payments.models import Payment

HEADER = ["序号", "收款账号", "金额", "状态", "银行流水号", "失败原因"]


def _payments() -> list[Payment]:
    return [
        Payment(account_name="张三", bank_account="6222000011112222", bank_name="工商银行", amount=Decimal("5700.00"),
                purpose="职工医疗互助金", reference="MA01-0000001"),
        Payment(account_name="李四", bank_account="6228000033334444", bank_name="农业银行", amount=Decimal("120.50"),
                purpose="职工医疗互助金", reference="MA01-0000002"),
    ]  # fmt: skip


def _csv(rows, encoding="utf-8-sig") -> bytes:
    return "\n".join(",".join(row) for row in [HEADER, *rows]).encode(encoding)


def test_the_transfer_file_numbers_its_rows_and_ends_with_the_apps_reference():
    payments = _payments()
    assert bank_headers("理赔编号")[-1] == "理赔编号"
    assert bank_rows(payments)[1] == [2, "李四", "6228000033334444", "农业银行", Decimal("120.50"), "职工医疗互助金", "MA01-0000002"]  # fmt: skip


def test_a_csv_return_file_marks_each_payment_paid_or_failed():
    payments = _payments()
    data = _csv([["1", "6222000011112222", "5700.00", "成功", "ICBC-1", ""], ["2", "6228000033334444", "120.5", "失败", "", "户名不符"]])  # fmt: skip
    lines, errors = read_return_file(data, payments=payments)
    assert errors == []
    assert [(line.payment, line.paid, line.bank_reference, line.reason) for line in lines] == [
        (payments[0], True, "ICBC-1", ""),
        (payments[1], False, "", "户名不符"),
    ]


def test_an_xlsx_return_file_and_a_gbk_csv_read_alike():
    rows = [["1", "6222000011112222", "5700.00", "成功", "ICBC-1", ""]]
    for data in (workbook_bytes(HEADER, rows), _csv(rows, encoding="gb18030")):
        lines, errors = read_return_file(data, payments=_payments())
        assert errors == [] and len(lines) == 1 and lines[0].paid


def test_a_line_that_does_not_match_the_transfer_file_is_an_error():
    data = _csv(
        [
            ["1", "6222000011119999", "5700.00", "成功", "R1", ""],  # another account
            ["2", "6228000033334444", "120.00", "成功", "R2", ""],  # another amount
            ["3", "6228000033334444", "120.50", "成功", "R3", ""],  # no third payment
            ["1", "6222000011112222", "5700.00", "成功", "R4", ""],  # the same payment twice
        ]
    )
    lines, errors = read_return_file(data, payments=_payments())
    assert lines == []
    assert [(e.row, e.column) for e in errors] == [(2, "收款账号"), (3, "金额"), (4, "序号"), (5, "序号")]


def test_a_status_other_than_paid_or_failed_is_an_error():
    lines, errors = read_return_file(
        _csv([["1", "6222000011112222", "5700.00", "搞定", "R1", ""]]), payments=_payments()
    )
    assert lines == [] and [(e.row, e.column) for e in errors] == [(2, "状态")]


def test_a_paid_line_needs_the_bank_reference():
    lines, errors = read_return_file(_csv([["1", "6222000011112222", "5700.00", "成功", "", ""]]), payments=_payments())
    assert lines == [] and [(e.row, e.column) for e in errors] == [(2, "银行流水号")]


def test_a_file_without_the_columns_is_refused_as_a_whole():
    with pytest.raises(ExcelFileError):
        read_return_file("序号,金额\n1,5700.00".encode(), payments=_payments())


def test_a_return_file_with_the_account_as_a_number_cell_is_refused_never_matched_on_guessed_digits():
    # Issue 15: a 19-digit card stored as a number has lost its last digits; the file is refused, in words.
    data = workbook_bytes(HEADER, [["1", 6222021208000123456, "5700.00", "成功", "R1", ""]])
    with pytest.raises(ExcelFileError, match="该列须设为文本格式"):
        read_return_file(data, payments=_payments())


def test_a_return_file_with_the_banks_title_row_above_the_header_reads_alike():
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["中国工商银行批量代付回盘"])
    workbook.active.append(HEADER)
    workbook.active.append(["1", "6222000011112222", "5700.00", "成功", "ICBC-1", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    lines, errors = read_return_file(buffer.getvalue(), payments=_payments())
    assert errors == [] and len(lines) == 1 and lines[0].paid and lines[0].row == 3


def test_a_summary_line_after_the_data_of_a_workbook_is_no_line_even_where_its_count_stands_under_the_account():
    # A CSV layout's export opened and saved as a workbook: the 合计 line's count (a number cell) falls in the
    # account column; it is skipped as the summary, not refused as an account written as a number.
    header = ["序号", "收款人", "收款账号", "金额", "状态", "银行流水号"]
    rows = [
        ["1", "张三", "6222000011112222", "5700.00", "成功", "ICBC-1"],
        ["2", "李四", "6228000033334444", "120.50", "成功", "ICBC-2"],
        ["合计", "总笔数", 2, "总金额", Decimal("5820.50")],
    ]
    lines, errors = read_return_file(workbook_bytes(header, rows), payments=_payments())
    assert errors == [] and [line.bank_reference for line in lines] == ["ICBC-1", "ICBC-2"]

"""The fast reader gives exactly what union_portal.excel.read_table gives, and refuses the same bad files."""

import datetime as dt
import io

import pytest
from django.utils import translation
from openpyxl import Workbook

from members.xlsx_fast import read_table_fast
from union_portal import excel


def _xlsx(rows, merge=None) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    if merge:
        ws.merge_cells(merge)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_fast_reader_matches_read_table_cell_for_cell():
    # given every kind of cell a member list holds: text, big integers, decimals, dates, booleans, blanks
    rows = [
        ["姓名", "身份证号", "日期", "数"],
        ["张三", "330603199001011234", dt.date(2026, 1, 5), 13800000000],
        [None, None, None, None],
        ["李四", 123, dt.datetime(2026, 2, 3, 10, 30), 1.5],  # noqa: DTZ001 - an Excel cell holds a naive datetime
        ["王五", "  有空格  ", None, True],
        ["赵六", "x", "2026/03/01", 1e17],
    ]
    data = _xlsx(rows)

    fast = read_table_fast(data, required=["姓名", "身份证号"], optional=["日期", "数"])
    slow = excel.read_table(data, required=["姓名", "身份证号"], optional=["日期", "数"])

    assert fast.headers == slow.headers
    assert fast.rows == slow.rows
    assert fast.rows[0] == (
        2,
        {"姓名": "张三", "身份证号": "330603199001011234", "日期": "2026-01-05", "数": "13800000000"},
    )


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "empty"),
        (b"name,id\n1,2\n", "not an Excel"),
        (b"PK\x03\x04garbage", "damaged"),
        (_xlsx([["姓名"]]), "missing column"),
        (_xlsx([["姓名", "身份证号", "备注X"]]), "unknown column"),
        (_xlsx([["姓名", "身份证号"], ["=1+1", "x"]]), "formula"),
        (_xlsx([["姓名", "身份证号"], ["a", "b"]], merge="A1:B1"), "merged"),
        (_xlsx([["姓名", "身份证号"]]), "no data rows"),
        (_xlsx([["姓名", "身份证号", "姓名"]]), "repeats"),
    ],
)
def test_fast_reader_refuses_bad_files_whole(data, fragment):
    with translation.override("en"), pytest.raises(excel.ExcelFileError, match=fragment):
        read_table_fast(data, required=["姓名", "身份证号"])


def test_fast_reader_refuses_too_many_rows():
    data = _xlsx([["姓名", "身份证号"]] + [["a", "b"]] * 11)
    with translation.override("en"), pytest.raises(excel.ExcelFileError, match="at most 10 rows"):
        read_table_fast(data, required=["姓名", "身份证号"], max_rows=10)


def test_an_xml_entity_bomb_is_refused_as_damaged():
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(_xlsx([["姓名", "身份证号"], ["a", "b"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                head, sep, rest = data.partition(b"?>") if data.startswith(b"<?xml") else (b"", b"", data)
                data = head + sep + b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + rest
            target.writestr(item, data)
    with translation.override("en"), pytest.raises(excel.ExcelFileError, match="damaged"):
        read_table_fast(out.getvalue(), required=["姓名", "身份证号"])

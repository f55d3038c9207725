"""Issue 15 [Files], what the portal hands on: the typed writer writes numbers as numbers with formats, money
exact to the fen, counts as 0, rates as percentages ("—" with nothing to divide by), dates as dates, ID and
account numbers as text, a total row where users sum; header bold and frozen; formula-like text inert."""

import csv
import datetime as dt
import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from union_portal import sheets_out as so
from union_portal.excel import csv_cell


def _sheet(data: bytes):
    return load_workbook(io.BytesIO(data)).worksheets[0]


COLUMNS = [
    so.identifier("身份证号"),
    so.text("姓名"),
    so.money("金额"),
    so.count("人数"),
    so.rate("比例"),
    so.date("日期"),
    so.datetime("时间"),
    so.month("月份"),
    so.number("得分"),
]


def _rows():
    aware = dt.datetime(2026, 3, 5, 1, 30, tzinfo=dt.UTC)  # 09:30 in Shanghai
    return [
        [
            "330621199003050012",
            "张三",
            Decimal("1234.50"),
            3,
            Decimal("0.125"),
            dt.date(2026, 3, 5),
            aware,
            dt.date(2026, 3, 1),
            Decimal("87.5"),
        ],
        ["6222021234567890123", "=HYPERLINK(1)", None, None, None, None, None, None, None],
    ]


def test_each_kind_is_written_with_its_type_and_format():
    ws = _sheet(so.xlsx_bytes(COLUMNS, _rows(), total=True))
    first, second, total = list(ws.iter_rows(min_row=2))
    assert [(c.value, c.data_type, c.number_format) for c in first] == [
        ("330621199003050012", "s", "@"),
        ("张三", "s", "General"),
        (1234.5, "n", "#,##0.00"),
        (3, "n", "0"),
        (0.125, "n", "0.00%"),
        (dt.datetime.combine(dt.date(2026, 3, 5), dt.time()), "d", "yyyy-mm-dd"),
        (dt.datetime.combine(dt.date(2026, 3, 5), dt.time(9, 30)), "d", "yyyy-mm-dd hh:mm"),
        (dt.datetime.combine(dt.date(2026, 3, 1), dt.time()), "d", "yyyy-mm"),
        (87.5, "n", "0.00"),
    ]
    # a bank card stays text; blank money and counts are 0; a rate with nothing to divide by is "—"
    assert (second[0].value, second[0].data_type) == ("6222021234567890123", "s")
    assert second[1].value == "=HYPERLINK(1)" and second[1].data_type == "s" and second[1].quotePrefix
    assert (second[2].value, second[2].data_type, second[3].value) == (0, "n", 0)
    assert second[4].value == "—"
    assert second[5].value is None and second[8].value is None
    # the total row sums money and counts
    assert total[0].value == "合计" and total[0].font.b
    assert (total[2].value, total[2].number_format, total[3].value) == (1234.5, "#,##0.00", 3)
    assert total[4].value is None


def test_header_is_bold_frozen_and_columns_are_wide_enough_for_chinese():
    ws = _sheet(so.xlsx_bytes([so.text("所属基层工会"), so.money("金额")], [["柯桥区华舍街道某某有限公司工会", 1]]))
    assert ws.freeze_panes == "A2"
    assert all(c.font.b for c in ws[1])
    # 15 CJK characters count 30 wide
    assert ws.column_dimensions["A"].width >= 30
    assert ws.column_dimensions["B"].width >= 14


@pytest.mark.parametrize(
    "amount",
    ["0.01", "0.10", "1234.50", "-3.50", "99999999999.99", "100000000000.00", "12345678901.23", "-76543210987.65"],
)
def test_money_up_to_ten_to_the_eleventh_reads_back_exact_to_the_fen(amount):
    ws = _sheet(so.xlsx_bytes([so.money("金额")], [[Decimal(amount)]]))
    value = ws["A2"].value
    assert ws["A2"].data_type == "n" and not isinstance(value, str)
    assert Decimal(repr(value)).quantize(Decimal("0.01")) == Decimal(amount)
    assert Decimal(repr(value)) == Decimal(amount).normalize() or Decimal(value) == Decimal(value).to_integral()


def test_money_every_fen_round_trips_exactly_near_ten_to_the_eleventh():
    base = Decimal("99999999000.00")
    amounts = [base + Decimal(n) / 100 for n in range(0, 100_000, 37)]
    ws = _sheet(so.xlsx_bytes([so.money("金额")], [[a] for a in amounts]))
    back = [Decimal(repr(c.value)).quantize(Decimal("0.01")) for (c,) in ws.iter_rows(min_row=2)]
    assert back == amounts


def test_money_is_rounded_half_up_to_the_fen_before_it_is_written():
    ws = _sheet(so.xlsx_bytes([so.money("金额")], [[Decimal("2.675")], [Decimal("0.005")]]))
    assert [ws["A2"].value, ws["A3"].value] == [2.68, 0.01]


def test_a_note_in_a_figure_column_stays_text_and_formula_like_headers_are_inert():
    ws = _sheet(so.xlsx_bytes([so.money("=金额"), so.rate("比例")], [["—", so.ratio(1, 0)], [1, so.ratio(1, 4)]]))
    assert ws["A1"].data_type == "s" and ws["A1"].quotePrefix
    assert ws["A2"].value == "—" and ws["B2"].value == "—"
    assert ws["B3"].value == 0.25


def test_csv_money_is_a_plain_number():
    assert [csv_cell(v) for v in (Decimal("1E+2"), Decimal("5700.00"), Decimal("-0.10"))] == ["100", "5700.00", "-0.10"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_shows_money_with_thousands_separators_and_two_places(tmp_path):
    path = tmp_path / "export.xlsx"
    path.write_bytes(
        so.xlsx_bytes(
            [so.identifier("身份证号"), so.money("金额"), so.count("人数"), so.rate("比例"), so.date("日期")],
            [["330621199003050012", Decimal("1234.50"), 0, Decimal("0.125"), dt.date(2026, 3, 5)]],
        )
    )
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            # UTF-8, cell contents as shown (the ninth token), as a user sees them
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,true",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    rows = list(csv.reader((tmp_path / "export.csv").read_text(encoding="utf-8", errors="replace").splitlines()))
    assert rows[1] == ["330621199003050012", "1,234.50", "0", "12.50%", "2026-03-05"]

"""Typed Excel (.xlsx) writing: every export the portal hands on goes through ``write_xlsx`` / ``xlsx_response``.

Each column declares what it holds (``Column(header, kind)``), and each kind is written as the offices
expect to find it when they open the file in Excel, WPS or LibreOffice:

- ``TEXT``: a string; text a spreadsheet could take for a formula (= + - @ …) is written as inert text;
- ``IDENTIFIER``: ID, account, mobile, credit-code and member numbers: always text, with number format ``@``
  (never a number that loses digits or becomes 3.30621E+17);
- ``MONEY``: a Decimal written as a NUMBER with format ``#,##0.00``, rounded to the fen first with
  ``round_fen`` (a float holds every amount up to 10^13 yuan to the fen exactly: 15 significant digits);
- ``RATE``: a fraction (0.125 shows 12.50%) with format ``0.00%``; ``None`` (nothing to divide by) shows "—";
- ``COUNT``: a whole number, 0 rather than blank;
- ``NUMBER``: any other figure (points, scores, means) as a number, format ``0.00`` unless the column
  says otherwise; ``None`` stays blank;
- ``DATE`` / ``MONTH`` / ``DATETIME``: real date cells (``yyyy-mm-dd``, ``yyyy-mm``, ``yyyy-mm-dd hh:mm``);
  aware datetimes are shown in local time (Asia/Shanghai).

The header row is bold, frozen and filtered; widths follow the header and the first rows (a CJK character
counts double); ``total=True`` adds a "合计" row summing the money and count columns (exact Decimal sums,
written as values). The workbook is written in openpyxl's write-only (streaming) mode, so a large export
holds one row at a time, plus the first ``WIDTH_SAMPLE_ROWS`` rows used for the widths.
"""

from __future__ import annotations

import datetime as dt
import enum
import io
import itertools
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .money import round_fen
from .validators import looks_like_formula

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

MONEY_FORMAT = "#,##0.00"
RATE_FORMAT = "0.00%"
COUNT_FORMAT = "0"
NUMBER_FORMAT = "0.00"
TEXT_FORMAT = "@"
DATE_FORMAT = "yyyy-mm-dd"
DATE_FORMAT_CN = 'yyyy"年"m"月"d"日"'
MONTH_FORMAT = "yyyy-mm"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
NO_RATE = "—"  # a rate with nothing to divide by

WIDTH_SAMPLE_ROWS = 200
MIN_WIDTH, MAX_WIDTH = 6, 60

_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
_RIGHT = Alignment(horizontal="right")


class Kind(enum.Enum):
    TEXT = "text"
    IDENTIFIER = "identifier"
    MONEY = "money"
    RATE = "rate"
    COUNT = "count"
    NUMBER = "number"
    DATE = "date"
    MONTH = "month"
    DATETIME = "datetime"


# The kinds a total row sums, and the minimum width of each kind (the formatted value must fit).
SUMMED = frozenset({Kind.MONEY, Kind.COUNT})
_KIND_MIN_WIDTH = {
    Kind.MONEY: 14,
    Kind.RATE: 9,
    Kind.DATE: 12,
    Kind.MONTH: 9,
    Kind.DATETIME: 17,
    Kind.IDENTIFIER: 10,
}


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind = Kind.TEXT
    number_format: str | None = None  # overrides the kind's format (e.g. DATE_FORMAT_CN, "0.0")
    width: float | None = None  # characters; measured from the header and the first rows when None
    total: bool | None = None  # summed in the total row; by default money and count columns are

    @property
    def summed(self) -> bool:
        return self.kind in SUMMED if self.total is None else self.total

    @property
    def format(self) -> str | None:
        if self.number_format:
            return self.number_format
        return {
            Kind.IDENTIFIER: TEXT_FORMAT,
            Kind.MONEY: MONEY_FORMAT,
            Kind.RATE: RATE_FORMAT,
            Kind.COUNT: COUNT_FORMAT,
            Kind.NUMBER: NUMBER_FORMAT,
            Kind.DATE: DATE_FORMAT,
            Kind.MONTH: MONTH_FORMAT,
            Kind.DATETIME: DATETIME_FORMAT,
        }.get(self.kind)


def text(header: str, **kw: Any) -> Column:
    return Column(str(header), Kind.TEXT, **kw)


def identifier(header: str, **kw: Any) -> Column:
    return Column(str(header), Kind.IDENTIFIER, **kw)


def money(header: str, **kw: Any) -> Column:
    return Column(str(header), Kind.MONEY, **kw)


def rate(header: str, **kw: Any) -> Column:
    return Column(str(header), Kind.RATE, **kw)


def count(header: str, **kw: Any) -> Column:
    return Column(str(header), Kind.COUNT, **kw)


def number(header: str, **kw: Any) -> Column:
    return Column(str(header), Kind.NUMBER, **kw)


def date(header: str, **kw: Any) -> Column:
    return Column(str(header), Kind.DATE, **kw)


def month(header: str, **kw: Any) -> Column:
    return Column(str(header), Kind.MONTH, **kw)


def datetime(header: str, **kw: Any) -> Column:
    return Column(str(header), Kind.DATETIME, **kw)


def ratio(numerator, denominator) -> Decimal | None:
    """numerator / denominator as a fraction for a RATE column; None (shown "—") when there is nothing
    to divide by."""
    if numerator is None or not denominator:
        return None
    return Decimal(numerator) / Decimal(denominator)


# --- cells ------------------------------------------------------------------------------------------------


def text_cell(sheet, value: str) -> WriteOnlyCell:
    """A text cell no spreadsheet evaluates: stored as a string, never a formula (openpyxl would make any
    text beginning with "=" a formula), and styled quotePrefix, so that editing it in Excel, LibreOffice
    or WPS keeps it text. The value is unchanged: our own imports read it back as it was."""
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def money_number(value: Decimal | int | str) -> float | int:
    """An amount as the number written to the cell: rounded to the fen, then a float (exact to the fen:
    the float nearest to it reads back as the same amount for any |value| < 10^13), an int when whole."""
    fen = round_fen(value)
    return int(fen) if fen == fen.to_integral_value() else float(fen)


def _plain_number(value) -> float | int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _local(value: dt.datetime) -> dt.datetime:
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None, microsecond=0)


def _styled(sheet, value, fmt: str | None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if fmt:
        cell.number_format = fmt
    return cell


def _cell(sheet, column: Column, value):
    """The cell for ``value`` in ``column``. Anything that is not of the column's kind (a "—", a note) is
    written as text, never coerced."""
    kind = column.kind
    if isinstance(value, str) and kind is not Kind.IDENTIFIER:
        if looks_like_formula(value):
            return text_cell(sheet, value)
        if kind is Kind.TEXT:
            return value
        if value:  # a note in a figure's column ("—", "n/a"): text, right-aligned like the figures
            cell = WriteOnlyCell(sheet, value=value)
            cell.alignment = _RIGHT
            return cell
        value = None
    if kind is Kind.TEXT:
        if isinstance(value, Decimal):
            return _styled(sheet, money_number(value), MONEY_FORMAT)
        if isinstance(value, dt.datetime):
            return _styled(sheet, _local(value), DATETIME_FORMAT)
        if isinstance(value, dt.date):
            return _styled(sheet, value, DATE_FORMAT)
        return value
    if kind is Kind.IDENTIFIER:
        text_value = "" if value is None else str(value)
        cell = text_cell(sheet, text_value) if looks_like_formula(text_value) else WriteOnlyCell(sheet, text_value)
        cell.data_type = "s"
        cell.number_format = TEXT_FORMAT
        return cell
    if kind is Kind.MONEY:
        return _styled(sheet, money_number(value or 0), column.format)
    if kind is Kind.COUNT:
        return _styled(sheet, _plain_number(value or 0), column.format)
    if kind is Kind.RATE:
        if value is None:
            cell = WriteOnlyCell(sheet, value=NO_RATE)
            cell.alignment = _RIGHT
            return cell
        return _styled(sheet, _plain_number(value), column.format)
    if kind is Kind.NUMBER:
        return None if value is None else _styled(sheet, _plain_number(value), column.format)
    if value is None or value == "":
        return None
    if kind is Kind.DATETIME:
        if isinstance(value, dt.datetime):
            value = _local(value)
        return _styled(sheet, value, column.format)
    if isinstance(value, dt.datetime):
        value = _local(value).date()
    return _styled(sheet, value, column.format)  # DATE, MONTH


# --- widths -----------------------------------------------------------------------------------------------


def display_width(value) -> int:
    """The width a value takes in a cell, in Latin characters: a wide (CJK) character counts double."""
    if value is None:
        return 0
    if isinstance(value, Decimal | float):
        return len(f"{value:,.2f}")
    if isinstance(value, dt.datetime):
        return 16
    if isinstance(value, dt.date):
        return 10
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(value))


def _widths(columns: Sequence[Column], sample: Sequence[Sequence]) -> list[float]:
    widths = []
    for i, column in enumerate(columns):
        if column.width is not None:
            widths.append(column.width)
            continue
        longest = max([display_width(column.header)] + [display_width(row[i]) for row in sample if i < len(row)])
        longest = max(longest, _KIND_MIN_WIDTH.get(column.kind, 0))
        widths.append(min(MAX_WIDTH, max(MIN_WIDTH, longest + 2)))
    return widths


# --- workbooks --------------------------------------------------------------------------------------------


def as_columns(columns: Sequence[Column | str]) -> list[Column]:
    return [c if isinstance(c, Column) else Column(str(c)) for c in columns]


def write_xlsx(
    out: IO[bytes],
    columns: Sequence[Column | str],
    rows: Iterable[Sequence],
    *,
    title: str = "Sheet1",
    total: bool = False,
    progress=None,
    progress_every: int = 1000,
) -> int:
    """Write an .xlsx of ``rows`` (each a sequence of values, one per column) to ``out``; return the number
    of data rows. ``progress(done)`` is called every ``progress_every`` rows (background exports)."""
    cols = as_columns(columns)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    rows_iter = iter(rows)
    sample = [list(r) for r in itertools.islice(rows_iter, WIDTH_SAMPLE_ROWS)]
    for i, width in enumerate(_widths(cols, sample), start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    if cols:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(cols))}1"
    header_cells = []
    for column in cols:
        cell = (
            text_cell(sheet, column.header)
            if looks_like_formula(column.header)
            else WriteOnlyCell(sheet, column.header)
        )
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        header_cells.append(cell)
    sheet.append(header_cells)
    summed = [i for i, c in enumerate(cols) if c.summed]
    sums: dict[int, Decimal] = {i: Decimal(0) for i in summed}
    written = 0
    for row in itertools.chain(sample, rows_iter):
        values = list(row)
        for i in summed:
            value = values[i] if i < len(values) else None
            if isinstance(value, int | Decimal) and not isinstance(value, bool):
                sums[i] += value
            elif isinstance(value, float):
                sums[i] += Decimal(str(value))
        sheet.append([_cell(sheet, cols[i], v) if i < len(cols) else v for i, v in enumerate(values)])
        written += 1
        if progress is not None and written % progress_every == 0:
            progress(written)
    if total:
        sheet.append(_total_row(sheet, cols, sums))
    workbook.save(out)
    return written


def _total_row(sheet, cols: list[Column], sums: dict[int, Decimal]) -> list:
    label_at = next((i for i, c in enumerate(cols) if not c.summed), None)
    cells = []
    for i, column in enumerate(cols):
        if i in sums:
            cell = _cell(sheet, column, sums[i])
        elif i == label_at:
            cell = WriteOnlyCell(sheet, value=_("Total (sum)"))
        else:
            cell = WriteOnlyCell(sheet, value=None)
        if not isinstance(cell, Cell):
            cell = WriteOnlyCell(sheet, value=cell)
        cell.font = _BOLD
        cells.append(cell)
    return cells


def _sheet_title(title: str) -> str:
    # Excel refuses these in a sheet name and names longer than 31 characters.
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in str(title)).strip("'") or "Sheet1"
    return cleaned[:31]


def xlsx_bytes(columns: Sequence[Column | str], rows: Iterable[Sequence], **kw: Any) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(buffer, columns, rows, **kw)
    return buffer.getvalue()


def attachment_headers(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store, private"
    return response


def xlsx_response(
    filename: str,
    columns: Sequence[Column | str],
    rows: Iterable[Sequence],
    *,
    title: str = "Sheet1",
    total: bool = False,
) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(columns, rows, title=title, total=total), content_type=XLSX_MIME)
    return attachment_headers(response, filename)

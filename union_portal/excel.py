"""Excel (.xlsx) reading and writing with openpyxl, shared by every import and export.

``read_table`` turns an uploaded workbook into rows of strings keyed by column name, or raises
ExcelFileError with a clear message (not an .xlsx, corrupt, empty, wrong header row, formulas, merged header
cells, too many rows, a zip bomb). Row-level checks belong to each import; their errors use ``RowError`` so
every import reports ``row N, column NAME: message`` with N as Excel numbers the row.

Every reader of an uploaded workbook first calls ``check_zip_limits`` (an .xlsx is a zip archive: a few KB
can declare gigabytes of XML). Every writer goes through ``union_portal.sheets_out`` (typed columns; the
``workbook_bytes`` / ``xlsx_response`` here are its untyped entry points) or ``csv_response``, which write
text that a spreadsheet could take for a formula as plain text (``union_portal.validators``).
"""

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from . import sheets_out
from .validators import looks_like_formula

XLSX_MIME = sheets_out.XLSX_MIME
DEFAULT_MAX_ROWS = 100_000


class ExcelFileError(Exception):
    """The file as a whole cannot be read; nothing is imported."""


@dataclass(frozen=True)
class RowError:
    row: int  # as Excel numbers it (the header is row 1)
    column: str
    message: str

    def __str__(self) -> str:
        return _("row %(row)s, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (Excel row number, {column: text})


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def read_table(
    source,
    *,
    required: Sequence[str],
    optional: Sequence[str] = (),
    max_rows: int = DEFAULT_MAX_ROWS,
) -> Table:
    """Read the first sheet: row 1 is the header, which must contain every ``required`` column (any order;
    ``optional`` ones may be there). Blank rows are skipped. Raises ExcelFileError."""
    data = source.read() if hasattr(source, "read") else source
    if not data:
        raise ExcelFileError(_("The file is empty."))
    if not data.startswith(b"PK\x03\x04"):
        raise ExcelFileError(_("The file is not an Excel .xlsx workbook. Save it as .xlsx and try again."))
    check_zip_limits(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=False, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, SyntaxError, TypeError):
        # SyntaxError: malformed XML (ElementTree's ParseError and lxml's XMLSyntaxError derive from it)
        raise ExcelFileError(_("The workbook is damaged and cannot be read.")) from None
    sheet = workbook.worksheets[0]
    if sheet.max_row is None or sheet.max_row < 1 or sheet.max_column is None:
        raise ExcelFileError(_("The workbook is empty."))
    if sheet.max_row - 1 > max_rows:
        raise ExcelFileError(
            _("The file has %(rows)s rows; at most %(max)s rows can be imported at once. Split the file.")
            % {"rows": sheet.max_row - 1, "max": max_rows}
        )
    for merged in sheet.merged_cells.ranges:
        if merged.min_row == 1:
            raise ExcelFileError(_("The header row has merged cells. Use one plain header cell per column."))
    # Cells, not values: a formula is a cell of type "f"; a text cell that begins with "=" (as our own
    # exports write a name like "=HYPERLINK(...)") is text and reads back unchanged.
    rows_iter = (
        tuple(_Formula("=") if cell.data_type == "f" else cell.value for cell in row) for row in sheet.iter_rows()
    )
    try:
        header_values = next(rows_iter)
    except StopIteration:
        raise ExcelFileError(_("The workbook is empty.")) from None
    headers = header_columns(header_values, required=required, optional=optional)
    return table_from_rows(headers, enumerate(rows_iter, start=2), is_formula=_is_formula)


class _Formula(str):
    """The value read for a formula cell (refused: imports take values only)."""


def _is_formula(value) -> bool:
    return isinstance(value, _Formula)


def check_zip_limits(data: bytes) -> None:
    """Refuse an .xlsx (a zip archive) whose parts would expand beyond ``EXCEL_MAX_UNCOMPRESSED_BYTES`` in
    all, or any part of more than 1 MB compressed more than ``EXCEL_MAX_COMPRESSION_RATIO`` to one, before
    anything is decompressed. The sizes come from the archive's directory; Python's zipfile never returns
    more than a part's declared size, so a part that lies about it is cut short and fails its CRC check.
    Every reader of an uploaded workbook calls this first. Raises ExcelFileError."""
    max_total = settings.EXCEL_MAX_UNCOMPRESSED_BYTES
    max_ratio = settings.EXCEL_MAX_COMPRESSION_RATIO
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise ExcelFileError(_("The workbook is damaged and cannot be read.")) from None
    total = 0
    for info in infos:
        total += info.file_size
        if total > max_total:
            raise ExcelFileError(
                _("The workbook would take more than %(mb)s MB once unpacked; it cannot be read. Split the file.")
                % {"mb": max_total // (1024 * 1024)}
            )
        if info.file_size > RATIO_FLOOR_BYTES and info.file_size > max_ratio * max(info.compress_size, 1):
            raise ExcelFileError(
                _(
                    "The workbook is packed abnormally tightly (more than %(ratio)s to 1) and is refused as a "
                    "possible zip bomb. Open it in Excel, save it again as .xlsx and retry."
                )
                % {"ratio": max_ratio}
            )


# Small parts (styles, themes) may compress very well and can do no harm.
RATIO_FLOOR_BYTES = 1024 * 1024


def header_columns(header_values: Sequence, *, required: Sequence[str], optional: Sequence[str] = ()) -> list[str]:
    """The header row as column names, checked: every required column, no unknown or repeated one."""
    headers = [_text(v) for v in header_values]
    while headers and headers[-1] == "":
        headers.pop()
    if not any(headers):
        raise ExcelFileError(_("The workbook is empty."))
    missing = [c for c in required if c not in headers]
    if missing:
        raise ExcelFileError(
            _("The header row is wrong: missing column(s) %(missing)s. Download the template and use its header row.")
            % {"missing": "、".join(missing)}
        )
    known = set(required) | set(optional)
    unknown = [h for h in headers if h and h not in known]
    if unknown:
        raise ExcelFileError(
            _("The header row has unknown column(s) %(unknown)s. Download the template and use its header row.")
            % {"unknown": "、".join(unknown)}
        )
    duplicates = {h for h in headers if h and headers.count(h) > 1}
    if duplicates:
        raise ExcelFileError(_("The header row repeats column(s) %(cols)s.") % {"cols": "、".join(sorted(duplicates))})
    return headers


def table_from_rows(headers: list[str], numbered_rows, *, is_formula) -> Table:
    """Rows (Excel row number, cell values) as text keyed by column; blank rows skipped; a formula anywhere
    refuses the whole file; a file with no data row is refused."""
    rows: list[tuple[int, dict[str, str]]] = []
    width = len(headers)
    for number, values in numbered_rows:
        cells = list(values)[:width]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells):
            continue
        row: dict[str, str] = {}
        for column, value in zip(headers, cells, strict=False):
            if not column:
                continue
            if is_formula(value):
                raise ExcelFileError(
                    _("Row %(row)s, column %(column)s holds a formula. Paste values only (no formulas).")
                    % {"row": number, "column": column}
                )
            row[column] = _text(value)
        for column in headers:
            row.setdefault(column, "")
        rows.append((number, row))
    if not rows:
        raise ExcelFileError(_("The file has a header row but no data rows."))
    return Table(headers=headers, rows=rows)


# --- writing: the typed writer lives in union_portal.sheets_out; these are its untyped entry points ---------


def _cell(sheet, value):
    """An untyped value's cell (``sheets_out``'s rules for a text column: Decimal is money, a number with
    format #,##0.00; dates are dates; formula-like text is inert text)."""
    return sheets_out._cell(sheet, sheets_out.Column(""), value)


_text_cell = sheets_out.text_cell


def workbook_bytes(headers: Sequence, rows: Iterable[Sequence], *, title: str = "Sheet1") -> bytes:
    """An .xlsx with a bold, frozen header row (``sheets_out.xlsx_bytes``). ``headers`` may be plain
    strings or typed ``sheets_out.Column``s."""
    return sheets_out.xlsx_bytes(headers, rows, title=title)


def xlsx_response(
    filename: str, headers: Sequence, rows: Iterable[Sequence], *, title: str = "Sheet1", total: bool = False
) -> HttpResponse:
    return sheets_out.xlsx_response(filename, headers, rows, title=title, total=total)


def csv_cell(value) -> str:
    """A CSV field a spreadsheet will not evaluate: text that could be taken for a formula gets a leading
    apostrophe (OWASP's advice; Excel hides it and shows the text). Numbers, including negative amounts,
    stay as they are."""
    if isinstance(value, Decimal):
        return format(value, "f")  # a plain number (never 1E+2), as typed: money keeps its two places
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    text = "" if value is None else str(value)
    return "'" + text if looks_like_formula(text) else text


def csv_text(headers: Sequence[str], rows: Iterable[Sequence]) -> str:
    """CSV text (UTF-8 with a byte-order mark, as Excel expects), every field through ``csv_cell``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_cell(h) for h in headers])
    writer.writerows([[csv_cell(v) for v in row] for row in rows])
    return "\ufeff" + buffer.getvalue()


def csv_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    response = HttpResponse(csv_text(headers, rows), content_type="text/csv; charset=utf-8")
    return sheets_out.attachment_headers(response, filename)

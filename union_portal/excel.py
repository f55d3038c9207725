"""Excel (.xlsx) writing with openpyxl, shared by every export, and what every reader shares.

Reading uploads is ``union_portal.sheets`` (python-calamine): ``read_table`` here is its form for imports
whose columns are all text. Errors of a whole file are ExcelFileError (not a spreadsheet, corrupt, empty, no
header row, formulas, too many rows, a zip bomb); row-level ones use ``RowError`` so every import reports
``row N, column NAME: message`` with N as Excel numbers the row.

Every reader of an uploaded workbook first calls ``check_zip_limits`` (an .xlsx is a zip archive: a few KB
can declare gigabytes of XML). Every writer goes through ``union_portal.sheets_out`` (typed columns; the
``workbook_bytes`` / ``xlsx_response`` here are its untyped entry points) or ``csv_response``, which write
text that a spreadsheet could take for a formula as plain text (``union_portal.validators``).
"""

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.http import HttpResponse

from union_portal.stored_text import gettext_stored as _

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


def read_table(
    source,
    *,
    required: Sequence[str],
    optional: Sequence[str] = (),
    max_rows: int = DEFAULT_MAX_ROWS,
    accept_csv: bool = False,
) -> Table:
    """Rows of text keyed by column, for an import whose columns are all text: ``union_portal.sheets.read_sheet``
    (the one reader: any workbook kind, the header found among the first rows, the active visible sheet)
    with every column of kind text. Imports with identifiers, dates or amounts use a column spec instead.
    A cell refused (an error value, a lost character) refuses the file. Raises ExcelFileError."""
    from .sheets import Column, Spec, read_sheet

    spec = Spec(
        columns=tuple(Column(name, required=True) for name in required)
        + tuple(Column(name) for name in optional if name not in required)
    )
    data = source.read() if hasattr(source, "read") else source
    table = read_sheet(data, spec, accept_csv=accept_csv, max_rows=max_rows)
    if table.errors:
        raise ExcelFileError(str(table.errors[0]))
    headers = [name for name, _index in sorted(table.positions.items(), key=lambda item: item[1])]
    rows = [(number, {name: row[name] or "" for name in headers}) for number, row in table.rows]
    return Table(headers=headers, rows=rows)


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


def xlsx_bytes_response(filename: str, data: bytes) -> HttpResponse:
    """A workbook built elsewhere (a template, a sheet of refused rows) as a download."""
    return sheets_out.attachment_headers(HttpResponse(data, content_type=XLSX_MIME), filename)


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

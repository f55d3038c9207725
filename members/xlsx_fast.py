"""A streaming .xlsx reader for large member imports, returning exactly what union_portal.excel.read_table
returns (same checks, same messages, same cell text) several times faster: it parses the sheet XML with
the C ElementTree parser instead of building openpyxl cell objects.

Candidate for the foundation (union_portal.excel): any import of tens of thousands of rows needs it.
"""

import io
import posixpath
import re
import zipfile
from collections.abc import Sequence
from xml.etree.ElementTree import iterparse as _c_iterparse

from django.utils.translation import gettext as _
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import from_excel

from union_portal.excel import (
    DEFAULT_MAX_ROWS,
    ExcelFileError,
    Table,
    check_zip_limits,
    header_columns,
    table_from_rows,
)

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
MAX_SHEET_BYTES = 400 * 1024 * 1024
CELL_REF = re.compile(r"([A-Z]+)(\d+)")


def iterparse(source, events=None):
    """The C ElementTree parser (several times faster than defusedxml's Python-level handlers) on parts that
    hold no DTD: an .xlsx part never has one, so any DOCTYPE/ENTITY (entity-expansion attacks) is refused."""
    data = source.getvalue() if isinstance(source, io.BytesIO) else source.read()
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ValueError("DTD in an xlsx part")
    return _c_iterparse(io.BytesIO(data), events=events)  # noqa: S314 - no DTD, checked above


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _first_sheet_path(archive: zipfile.ZipFile) -> str:
    workbook = archive.read("xl/workbook.xml")
    rels = archive.read("xl/_rels/workbook.xml.rels")
    sheet_rid = None
    for _event, el in iterparse(io.BytesIO(workbook)):
        if el.tag == f"{NS}sheet":
            sheet_rid = el.get(f"{REL_NS}id")
            break
    for _event, el in iterparse(io.BytesIO(rels)):
        if el.tag.endswith("Relationship") and el.get("Id") == sheet_rid:
            target = el.get("Target")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    raise KeyError("sheet")


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    try:
        data = archive.read("xl/sharedStrings.xml")
    except KeyError:
        return []
    strings = []
    for _event, el in iterparse(io.BytesIO(data)):
        if el.tag == f"{NS}si":
            parts = [t.text or "" for t in el.iter(f"{NS}t") if t not in _phonetic_texts(el)]
            strings.append("".join(parts))
            el.clear()
    return strings


def _phonetic_texts(si) -> set:
    return {t for rph in si.iter(f"{NS}rPh") for t in rph.iter(f"{NS}t")}


def _date_styles(archive: zipfile.ZipFile) -> set[int]:
    """Indexes of cell formats that show a date (the cell's number is an Excel date serial)."""
    try:
        data = archive.read("xl/styles.xml")
    except KeyError:
        return set()
    custom: dict[int, str] = {}
    xfs: list[int] = []
    in_cell_xfs = False
    for event, el in iterparse(io.BytesIO(data), events=("start", "end")):
        if el.tag == f"{NS}numFmt" and event == "end":
            custom[int(el.get("numFmtId"))] = el.get("formatCode", "")
        elif el.tag == f"{NS}cellXfs":
            in_cell_xfs = event == "start"
        elif el.tag == f"{NS}xf" and event == "end" and in_cell_xfs:
            xfs.append(int(el.get("numFmtId", 0)))
    dates = set()
    for index, fmt_id in enumerate(xfs):
        code = custom.get(fmt_id) or BUILTIN_FORMATS.get(fmt_id, "")
        if code and is_date_format(code):
            dates.add(index)
    return dates


def _number(text: str):
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


def _merged_header(archive: zipfile.ZipFile, path: str) -> bool:
    # mergeCells come after sheetData; a cheap regex over the tail of the XML is enough.
    data = archive.read(path)
    tail = data[data.rfind(b"</sheetData>") :] if b"</sheetData>" in data else data
    for ref in re.findall(rb'<(?:\w+:)?mergeCell [^>]*ref="([A-Z]+)(\d+)', tail):
        if ref[1] == b"1":
            return True
    return False


def read_table_fast(
    source,
    *,
    required: Sequence[str],
    optional: Sequence[str] = (),
    max_rows: int = DEFAULT_MAX_ROWS,
) -> Table:
    """Same contract as union_portal.excel.read_table (first sheet, header in row 1, ExcelFileError)."""
    data = source.read() if hasattr(source, "read") else source
    if not data:
        raise ExcelFileError(_("The file is empty."))
    if not data.startswith(b"PK\x03\x04"):
        raise ExcelFileError(_("The file is not an Excel .xlsx workbook. Save it as .xlsx and try again."))
    check_zip_limits(data)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        sheet_path = _first_sheet_path(archive)
        if archive.getinfo(sheet_path).file_size > MAX_SHEET_BYTES:  # a zip bomb, or far too many rows
            raise ExcelFileError(
                _("The file has %(rows)s rows; at most %(max)s rows can be imported at once. Split the file.")
                % {"rows": _count_rows(archive, sheet_path), "max": max_rows}
            )
        strings = _shared_strings(archive)
        date_styles = _date_styles(archive)
        merged_header = _merged_header(archive, sheet_path)
        raw_rows = _sheet_rows(archive, sheet_path, strings, date_styles, max_rows)
    except ExcelFileError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, SyntaxError):
        raise ExcelFileError(_("The workbook is damaged and cannot be read.")) from None
    if not raw_rows:
        raise ExcelFileError(_("The workbook is empty."))
    if merged_header:
        raise ExcelFileError(_("The header row has merged cells. Use one plain header cell per column."))
    first_number, header_values = raw_rows[0]
    if first_number != 1:
        header_values = []
    headers = header_columns(header_values, required=required, optional=optional)
    numbered_rows = raw_rows[1:] if first_number == 1 else raw_rows
    return table_from_rows(headers, numbered_rows, is_formula=lambda value: isinstance(value, _Formula))


class _Formula(str):
    """A cell that holds a formula (refused, as read_table does)."""


def _sheet_rows(archive, path, strings, date_styles, max_rows) -> list[tuple[int, list]]:
    rows: list[tuple[int, list]] = []
    with archive.open(path) as fh:
        current: list = []
        row_number = 0
        for _event, el in iterparse(fh):
            tag = el.tag
            if tag == f"{NS}c":
                ref = el.get("r")
                if ref:
                    match = CELL_REF.match(ref)
                    col = _col_index(match.group(1))
                else:
                    col = len(current)
                kind = el.get("t", "n")
                value_el = el.find(f"{NS}v")
                text = value_el.text if value_el is not None else None
                if el.find(f"{NS}f") is not None:
                    value = _Formula("=")
                elif kind == "s":
                    value = strings[int(text)] if text is not None else None
                elif kind == "inlineStr":
                    value = "".join(t.text or "" for t in el.iter(f"{NS}t"))
                elif kind == "b":
                    value = (text == "1") if text is not None else None
                elif kind in ("str", "e"):
                    value = text
                elif text is None:
                    value = None
                else:
                    value = _number(text)
                    style = el.get("s")
                    if style is not None and int(style) in date_styles:
                        value = from_excel(value)  # a datetime; _text shows midnight as a plain date
                if col >= len(current):
                    current.extend([None] * (col - len(current) + 1))
                current[col] = value
                el.clear()
            elif tag == f"{NS}row":
                row_number = int(el.get("r") or row_number + 1)
                rows.append((row_number, current))
                if len(rows) - 1 > max_rows:
                    raise ExcelFileError(
                        _("The file has %(rows)s rows; at most %(max)s rows can be imported at once. Split the file.")
                        % {"rows": _count_rows(archive, path), "max": max_rows}
                    )
                current = []
                el.clear()
    return rows


def _count_rows(archive, path) -> int:
    with archive.open(path) as fh:
        return sum(chunk.count(b"</row>") for chunk in iter(lambda: fh.read(1 << 20), b"")) - 1

"""What an uploaded file is, and the workbook in it: kind by content (never only by name), limits, the sheet
to read, and the cells calamine cannot tell us about (formulas, error values, the 1904 date system, the
active sheet). python-calamine (Rust) reads the cells of .xlsx/.xlsm/.xlsb/.xls/.ods; olefile opens the
OLE2 container of an .xls for the few records calamine does not expose.

Everything here raises ExcelFileError with a message people can act on (which kind of file, what to save
it as); nothing here knows about columns."""

import io
import posixpath
import re
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

import olefile  # type: ignore[import-untyped]
import python_calamine

from union_portal.excel import ExcelFileError, check_zip_limits
from union_portal.stored_text import gettext_stored as _

OOXML_NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# Strict Open XML (an Excel "Save as" option) uses other namespace names for the same elements.
STRICT_NAMESPACES = {
    b"http://purl.oclc.org/ooxml/spreadsheetml/main": OOXML_NS,
    b"http://purl.oclc.org/ooxml/officeDocument/relationships": (
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    ),
    b"http://purl.oclc.org/ooxml/drawingml/main": b"http://schemas.openxmlformats.org/drawingml/2006/main",
    b"http://purl.oclc.org/ooxml/officeDocument/extendedProperties": (
        b"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
    ),
}
ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
# Which kinds of workbook an import can read (CSV only where the caller accepts it).
WORKBOOK_KINDS = ("xlsx", "xlsm", "xlsb", "xls", "ods")
_EMPTY_ZIP = b"PK\x05\x06" + b"\x00" * 18  # an empty archive: stands in where the kind is not zip-based


@dataclass
class Workbook:
    """A sheet picked from an uploaded workbook, with what the reader needs besides its cells."""

    kind: str  # xlsx, xlsm, xlsb, xls, ods, csv
    sheet_name: str
    rows: Iterator[list]  # cell values as calamine gives them ('' for an empty cell), from row 1
    height: int | None = None  # rows in the sheet (None: not known before reading, CSV)
    date1904: bool = False
    # (row index, column index), both from 0, of cells holding a formula or a spreadsheet error
    formulas: list[tuple[int, int]] = field(default_factory=list)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)


def _save_as() -> str:
    return _("Open it in Excel or WPS and save it as an Excel workbook (.xlsx), then upload that file.")


def _not_a_workbook(what: str) -> ExcelFileError:
    return ExcelFileError(
        _("This file is %(what)s, not a spreadsheet. %(advice)s") % {"what": what, "advice": _save_as()}
    )


def _zip_kind(data: bytes, name: str) -> str:
    check_zip_limits(data)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if "mimetype" in names:
            mime = archive.read("mimetype").strip()
            if mime == ODS_MIME:
                return "ods"
            if mime.startswith(b"application/vnd.oasis.opendocument.text"):
                raise _not_a_workbook(_("an OpenDocument text document (.odt)"))
            if mime.startswith(b"application/vnd.oasis.opendocument"):
                raise _not_a_workbook(_("an OpenDocument file of another kind"))
        if "xl/workbook.bin" in names:
            return "xlsb"
        if "xl/workbook.xml" in names or any(n.endswith("workbook.xml") and n.startswith("xl/") for n in names):
            types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
            return "xlsm" if b"macroEnabled" in types else "xlsx"
        if any(n.startswith("word/") for n in names):
            raise _not_a_workbook(_("a Word document (.docx)"))
        if any(n.startswith("ppt/") for n in names):
            raise _not_a_workbook(_("a PowerPoint presentation (.pptx)"))
    except (zipfile.BadZipFile, KeyError, OSError, EOFError):
        raise ExcelFileError(_("The workbook is damaged and cannot be read.")) from None
    raise _not_a_workbook(_("a zip archive"))


def _ole_kind(data: bytes, name: str) -> str:
    try:
        ole = olefile.OleFileIO(data)
    except (OSError, ValueError, struct.error):
        raise ExcelFileError(_("The workbook is damaged and cannot be read.")) from None
    streams = {"/".join(entry).lower() for entry in ole.listdir(streams=True, storages=False)}
    ole.close()
    if "encryptedpackage" in streams or "encryptioninfo" in streams:
        raise ExcelFileError(
            _("The workbook is protected by a password. Remove the password in Excel or WPS, save it and upload again.")
        )
    if name.lower().endswith(".et"):
        raise _wps_et()
    if "workbook" in streams or "book" in streams:
        return "xls"
    if "worddocument" in streams:
        raise _not_a_workbook(_("a Word document (.doc)"))
    if "powerpoint document" in streams:
        raise _not_a_workbook(_("a PowerPoint presentation (.ppt)"))
    if any(s.startswith("wps") or s.startswith("et") for s in streams):
        raise _wps_et()
    raise _not_a_workbook(_("an Office file of an unknown kind"))


def _wps_et() -> ExcelFileError:
    return ExcelFileError(
        _(
            "This is a WPS spreadsheet (.et), which cannot be read. In WPS choose 文件 → 另存为 → "
            "Excel 工作簿 (*.xlsx), then upload that file."
        )
    )


MAGICS: list[tuple[bytes, str]] = [
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "an image (PNG)"),
    (b"\xff\xd8\xff", "an image (JPEG)"),
    (b"GIF8", "an image (GIF)"),
    (b"BM", "an image (BMP)"),
    (b"II*\x00", "an image (TIFF)"),
    (b"MM\x00*", "an image (TIFF)"),
    (b"{\\rtf", "an RTF document"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
]


def _describe(what: str) -> str:
    # The msgids of the kinds above, marked for translation where they are used.
    return {
        "a PDF document": _("a PDF document"),
        "an image (PNG)": _("an image (PNG)"),
        "an image (JPEG)": _("an image (JPEG)"),
        "an image (GIF)": _("an image (GIF)"),
        "an image (BMP)": _("an image (BMP)"),
        "an image (TIFF)": _("an image (TIFF)"),
        "an RTF document": _("an RTF document"),
        "a RAR archive": _("a RAR archive"),
        "a 7-Zip archive": _("a 7-Zip archive"),
        "a gzip archive": _("a gzip archive"),
    }[what]


def sniff(data: bytes, *, name: str = "", accept_csv: bool = False) -> str:
    """The kind of an uploaded file judged by its content: one of WORKBOOK_KINDS, or "csv" when
    ``accept_csv``. Anything else raises ExcelFileError naming what the file is and what to save it as."""
    if not data:
        raise ExcelFileError(_("The file is empty."))
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data, name)
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _ole_kind(data, name)
    for magic, what in MAGICS:
        if data.startswith(magic):
            raise _not_a_workbook(_describe(what))
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<html", b"<!doctype html", b"<table", b"<?xml", b"<meta")):
        # What many systems "export to Excel": a web page with an .xls name.
        raise _not_a_workbook(_("a web page (HTML) with a spreadsheet's name"))
    if b"\x00" not in data[:4096] and _decodes_as_text(data[:65536]):
        if accept_csv:
            return "csv"
        raise ExcelFileError(
            _("This file is plain text (CSV), which this import does not take. %(advice)s") % {"advice": _save_as()}
        )
    if name.lower().endswith(".et"):
        raise _wps_et()
    raise _not_a_workbook(_("of an unknown kind"))


def _decodes_as_text(head: bytes) -> bool:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            if exc.start > len(head) - 4:  # a character cut at the end of the sample
                return True
    return False


def decode_csv(data: bytes) -> str:
    """CSV text in UTF-8 (with or without a byte-order mark) or GBK/GB18030, as Excel and WPS save it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise ExcelFileError(
            _("The CSV file is neither UTF-8 nor GBK text. Save it again as CSV (UTF-8) or as .xlsx.")
        ) from None


def _strict_to_transitional(data: bytes) -> bytes:
    """A Strict Open XML workbook rewritten with the transitional namespaces (the elements are the same), so
    that calamine reads it. Only the namespace names change; the parts are copied otherwise as they are."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.endswith((".xml", ".rels")):
                for strict, transitional in STRICT_NAMESPACES.items():
                    content = content.replace(strict, transitional)
            target.writestr(info.filename, content)
    return out.getvalue()


def open_workbook(data: bytes, *, name: str = "", accept_csv: bool = False) -> Workbook:
    """The sheet to read from an uploaded file: the active sheet if it is visible, else the first visible one
    (never a hidden sheet). Raises ExcelFileError."""
    kind = sniff(data, name=name, accept_csv=accept_csv)
    if kind == "csv":
        import csv

        text = decode_csv(data)
        if "\x00" in text:
            raise ExcelFileError(_("The workbook is damaged and cannot be read."))
        return Workbook(kind="csv", sheet_name="", rows=iter(csv.reader(io.StringIO(text))))
    archive = zipfile.ZipFile(io.BytesIO(data)) if kind in ("xlsx", "xlsm", "xlsb", "ods") else None
    try:
        if archive is not None and kind in ("xlsx", "xlsm") and _is_strict(archive):
            data = _strict_to_transitional(data)
            archive = zipfile.ZipFile(io.BytesIO(data))
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        metadata = book.sheets_metadata
        visible = [
            i
            for i, m in enumerate(metadata)
            if m.visible == python_calamine.SheetVisibleEnum.Visible
            and m.typ == python_calamine.SheetTypeEnum.WorkSheet
        ]
        if not visible:
            raise ExcelFileError(_("The workbook has no visible sheet."))
        extra = _Extra()
        zipped = archive if archive is not None else zipfile.ZipFile(io.BytesIO(_EMPTY_ZIP))
        if kind in ("xlsx", "xlsm"):
            extra = _xlsx_extra(zipped, len(metadata))
        elif kind == "xls":
            extra = _xls_extra(data)
        elif kind == "ods":
            extra = _ods_extra(zipped, [m.name for m in metadata])
        index = extra.active if extra.active in visible else visible[0]
        sheet = book.get_sheet_by_index(index)
        workbook = Workbook(
            kind=kind,
            sheet_name=metadata[index].name,
            rows=_padded_rows(sheet),
            height=(sheet.start[0] if sheet.start else 0) + sheet.height,
            date1904=extra.date1904,
            merged=list(sheet.merged_cell_ranges or []),
        )
        if kind in ("xlsx", "xlsm"):
            _xlsx_cells(zipped, extra.sheet_paths[index], workbook)
        elif kind == "xlsb":
            _xlsb_cells(zipped, index, workbook)
        elif kind == "xls":
            _xls_cells(data, index, workbook)
        elif kind == "ods":
            _ods_cells(zipped, index, workbook)
        return workbook
    except ExcelFileError:
        raise
    except python_calamine.PasswordError:
        raise ExcelFileError(
            _("The workbook is protected by a password. Remove the password in Excel or WPS, save it and upload again.")
        ) from None
    except (
        python_calamine.CalamineError,
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        IndexError,
        OSError,
        SyntaxError,
        struct.error,
    ):
        raise ExcelFileError(_("The workbook is damaged and cannot be read.")) from None


def _padded_rows(sheet) -> Iterator[list]:
    """Rows numbered from the sheet's row 1: calamine starts at the first used cell, so blank rows and
    columns before it are added back (Excel's row numbers in messages must be right)."""
    start = sheet.start or (0, 0)
    for _n in range(start[0]):
        yield []
    pad = [""] * start[1]
    for row in sheet.iter_rows():
        yield pad + list(row) if pad else list(row)


@dataclass
class _Extra:
    active: int = 0
    date1904: bool = False
    sheet_paths: list[str] = field(default_factory=list)


# --- .xlsx / .xlsm --------------------------------------------------------------------------------------


def _is_strict(archive: zipfile.ZipFile) -> bool:
    return b"purl.oclc.org/ooxml/spreadsheetml/main" in archive.read("xl/workbook.xml")[:4096]


def _xlsx_extra(archive: zipfile.ZipFile, count: int) -> _Extra:
    workbook = archive.read("xl/workbook.xml")
    rels = archive.read("xl/_rels/workbook.xml.rels")
    extra = _Extra()
    pr = re.search(rb"<(?:\w+:)?workbookPr\b[^>]*>", workbook)
    extra.date1904 = bool(pr and re.search(rb'date1904="(?:1|true)"', pr.group(0)))
    view = re.search(rb'<(?:\w+:)?workbookView\b[^>]*\bactiveTab="(\d+)"', workbook)
    extra.active = int(view.group(1)) if view else 0
    targets = {
        m.group(1): m.group(2)
        for m in re.finditer(rb'<(?:\w+:)?Relationship\b[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels)
    }
    targets.update(
        {
            m.group(2): m.group(1)
            for m in re.finditer(rb'<(?:\w+:)?Relationship\b[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)
        }
    )
    for sheet in re.finditer(rb"<(?:\w+:)?sheet\b[^>]*>", workbook):
        rid = re.search(rb'\br:id="([^"]+)"|\b\w+:id="([^"]+)"', sheet.group(0))
        target = targets.get((rid.group(1) or rid.group(2)) if rid else b"", b"").decode()
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        extra.sheet_paths.append(path)
    if len(extra.sheet_paths) < count:
        raise KeyError("sheet")
    return extra


_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
# LibreOffice saves a boolean cell as the formula TRUE() or FALSE(): a constant, read as its value.
_CONSTANT_FORMULA = re.compile(rb"^\s*<(?:\w+:)?f\b[^>]*>\s*(?:TRUE|FALSE)\(\)\s*</(?:\w+:)?f>", re.I)
_ERROR_TYPE = re.compile(rb'\bt="e"')


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def _xlsx_cells(archive: zipfile.ZipFile, path: str, workbook: Workbook) -> None:
    """Formula and error cells of the sheet. A cheap search of the XML first (a clean file, the usual case,
    costs one pass of bytes.find); only a file that has one is parsed cell by cell to say where."""
    with archive.open(path) as fh:
        xml = fh.read()
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
        raise ValueError("DTD in an xlsx part")
    # Each pattern needs a few fixed bytes: looking for them first (memchr speed) spares the regular
    # expressions a walk through every tag of a clean sheet.
    formula = (b"<f" in xml or b":f" in xml) and _FORMULA_TAG.search(xml)
    if not (formula or (b't="e"' in xml and _ERROR_TYPE.search(xml))):
        return
    for match in _CELL.finditer(xml):
        attrs, body = match.group(1), match.group(2) or b""
        ref = _REF.search(attrs)
        if not ref:
            continue
        where = (int(ref.group(2)) - 1, _col_index(ref.group(1)))
        if _FORMULA_TAG.search(body):
            if not _CONSTANT_FORMULA.match(body):
                workbook.formulas.append(where)
        elif _ERROR_TYPE.search(attrs):
            value = re.search(rb"<(?:\w+:)?v>([^<]*)<", body)
            workbook.errors[where] = value.group(1).decode() if value else "#N/A"


# --- .xlsb ---------------------------------------------------------------------------------------------

# BIFF12 record types (MS-XLSB 2.3.2): cells holding a formula, and a cell holding an error value.
XLSB_FORMULA_RECORDS = {0x0008, 0x0009, 0x000A, 0x000B}
XLSB_ROW_HDR, XLSB_CELL_ERROR = 0x0000, 0x0003


def _xlsb_records(data: bytes) -> Iterator[tuple[int, bytes]]:
    pos, end = 0, len(data)
    while pos < end:
        rtype = data[pos]
        pos += 1
        if rtype & 0x80:
            rtype = (rtype & 0x7F) | (data[pos] << 7)
            pos += 1
        size, shift = 0, 0
        for _i in range(4):
            byte = data[pos]
            pos += 1
            size |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        yield rtype, data[pos : pos + size]
        pos += size


def _xlsb_cells(archive: zipfile.ZipFile, index: int, workbook: Workbook) -> None:
    rels = archive.read("xl/_rels/workbook.bin.rels")
    targets = [m.group(1).decode() for m in re.finditer(rb'Target="(worksheets/[^"]+)"', rels)]
    names = sorted(targets, key=lambda t: int(re.sub(r"\D", "", t) or 0))
    path = posixpath.join("xl", names[index]) if index < len(names) else "xl/worksheets/sheet1.bin"
    data = archive.read(path)
    row = 0
    for rtype, body in _xlsb_records(data):
        if rtype == XLSB_ROW_HDR and len(body) >= 4:
            row = struct.unpack_from("<I", body)[0]
        elif rtype in XLSB_FORMULA_RECORDS and len(body) >= 4:
            workbook.formulas.append((row, struct.unpack_from("<I", body)[0]))
        elif rtype == XLSB_CELL_ERROR and len(body) >= 4:
            workbook.errors[(row, struct.unpack_from("<I", body)[0])] = "#N/A"


# --- .xls ------------------------------------------------------------------------------------------------

BIFF_FORMULA, BIFF_BOOLERR, BIFF_DATEMODE, BIFF_WINDOW1, BIFF_BOUNDSHEET, BIFF_BOF = (
    0x0006,
    0x0205,
    0x0022,
    0x003D,
    0x0085,
    0x0809,
)
BIFF_ERRORS = {
    0x00: "#NULL!",
    0x07: "#DIV/0!",
    0x0F: "#VALUE!",
    0x17: "#REF!",
    0x1D: "#NAME?",
    0x24: "#NUM!",
    0x2A: "#N/A",
}


def _biff_stream(data: bytes) -> bytes:
    ole = olefile.OleFileIO(data)
    try:
        name = "Workbook" if ole.exists("Workbook") else "Book"
        return ole.openstream(name).read()
    finally:
        ole.close()


def _biff_records(stream: bytes) -> Iterator[tuple[int, int, bytes]]:
    pos, end = 0, len(stream)
    while pos + 4 <= end:
        rtype, size = struct.unpack_from("<HH", stream, pos)
        yield pos, rtype, stream[pos + 4 : pos + 4 + size]
        pos += 4 + size


# Built-in function numbers of TRUE() and FALSE() (MS-XLS Ftab), called by a ptgFunc token of any class.
BIFF_TRUE_FALSE = {0x22, 0x23}


def _biff_constant_boolean(body: bytes) -> bool:
    """A FORMULA record whose whole formula is a boolean constant (ptgBool) or TRUE()/FALSE(), as LibreOffice
    saves a boolean cell."""
    if len(body) < 24:  # row, col, xf (6), value (8), flags (2), chn (4), cce (2), then the tokens
        return False
    cce = struct.unpack_from("<H", body, 20)[0]
    rgce = body[22 : 22 + cce]
    if cce == 2 and rgce[0] == 0x1D:  # ptgBool
        return True
    return cce == 3 and rgce[0] in (0x21, 0x41, 0x61) and struct.unpack_from("<H", rgce, 1)[0] in BIFF_TRUE_FALSE


def _xls_extra(data: bytes) -> _Extra:
    extra = _Extra()
    for _pos, rtype, body in _biff_records(_biff_stream(data)):
        if rtype == BIFF_DATEMODE and len(body) >= 2:
            extra.date1904 = struct.unpack_from("<H", body)[0] == 1
        elif rtype == BIFF_WINDOW1 and len(body) >= 12:
            extra.active = struct.unpack_from("<H", body, 10)[0]
        elif rtype == BIFF_BOUNDSHEET:
            break  # the globals end with the sheets' directory
    return extra


def _xls_cells(data: bytes, index: int, workbook: Workbook) -> None:
    stream = _biff_stream(data)
    meta_sheets = [
        (struct.unpack_from("<I", body)[0], body[5])
        for _pos, rtype, body in _biff_records(stream)
        if rtype == BIFF_BOUNDSHEET and len(body) >= 6
    ]
    if index >= len(meta_sheets):
        return
    start = meta_sheets[index][0]
    for _pos, rtype, body in _biff_records(stream[start:]):
        if rtype == 0x000A:  # EOF of this sheet
            break
        if rtype == BIFF_FORMULA and len(body) >= 4:
            if not _biff_constant_boolean(body):
                workbook.formulas.append(struct.unpack_from("<HH", body))
        elif rtype == BIFF_BOOLERR and len(body) >= 8 and body[7] == 1:
            row, col = struct.unpack_from("<HH", body)
            workbook.errors[(row, col)] = BIFF_ERRORS.get(body[6], "#N/A")


# --- .ods ------------------------------------------------------------------------------------------------


def _ods_extra(archive: zipfile.ZipFile, names: list[str]) -> _Extra:
    extra = _Extra()
    head = archive.read("content.xml")[:200_000]
    null_date = re.search(rb'<table:null-date\b[^>]*table:date-value="(\d{4}-\d{2}-\d{2})"', head)
    extra.date1904 = bool(null_date and null_date.group(1) == b"1904-01-01")
    try:
        settings = archive.read("settings.xml")
    except KeyError:
        return extra
    match = re.search(rb'config:name="ActiveTable"[^>]*>([^<]*)<', settings)
    if match:
        active = match.group(1).decode()
        if active in names:
            extra.active = names.index(active)
    return extra


_ODS_TABLE = re.compile(rb"<table:table[\s>]")


def _ods_cells(archive: zipfile.ZipFile, index: int, workbook: Workbook) -> None:
    """Formula cells of the chosen table of content.xml: a cheap search first, then a walk over its rows and
    cells (with their repeat counts) only when the table has a formula."""
    content = archive.read("content.xml")
    if b"<!DOCTYPE" in content or b"<!ENTITY" in content:
        raise ValueError("DTD in an ods part")
    if b"table:formula=" not in content:
        return
    tables = [m.start() for m in _ODS_TABLE.finditer(content)]
    if index >= len(tables):
        return
    end = tables[index + 1] if index + 1 < len(tables) else len(content)
    part = content[tables[index] : end]
    token = re.compile(rb"<table:table-row\b[^>]*?/?>|<table:(?:covered-)?table-cell\b[^>]*?/?>")
    row, col, pending = -1, 0, 1
    for m in token.finditer(part):
        text = m.group(0)
        repeat = re.search(rb'number-(?:rows|columns)-repeated="(\d+)"', text)
        count = int(repeat.group(1)) if repeat else 1
        if text.startswith(b"<table:table-row"):
            row, pending, col = row + pending, count, 0
        else:
            formula = re.search(rb'table:formula="([^"]*)"', text)
            if formula and not re.fullmatch(rb"(?:of:)?=(?:TRUE|FALSE)\(\)", formula.group(1), re.I):
                workbook.formulas.append((row, col))
            col += count

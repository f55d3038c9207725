"""Workbooks built from a column spec: the import template (identifier columns formatted as text, an
instruction sheet saying so) and the sheet of refused rows (the original columns and 错误说明, to fix and
upload again)."""

import io
from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from union_portal.validators import looks_like_formula

from .columns import IDENTIFIER_KINDS, Kind, Spec

TEXT_FORMAT = "@"
REQUIRED_FILL = PatternFill("solid", fgColor="F2DCDB")
OPTIONAL_FILL = PatternFill("solid", fgColor="DDEBF7")
ERROR_COLUMN = "错误说明"


def _kind_help(kind: Kind) -> str:
    return {
        Kind.TEXT: _("text"),
        Kind.NAME: _("the name as on the ID card (rare characters and the middle dot · are kept)"),
        Kind.ID_NUMBER: _(
            "18-character ID number (resident ID, HK/Macau/Taiwan residence permit or foreigner's permanent residence ID)"
        ),
        Kind.MOBILE: _("11-digit mobile number"),
        Kind.BANK_ACCOUNT: _("bank account number, digits only"),
        Kind.CREDIT_CODE: _("18-character unified social credit code"),
        Kind.TAX_VOUCHER: _("electronic tax voucher number"),
        Kind.DATE: _("a date, such as 2026-03-05"),
        Kind.YES_NO: _("是 or 否 (also √/×, Y/N, 1/0)"),
        Kind.MONEY: _("an amount in yuan, at most two decimals"),
        Kind.INTEGER: _("a whole number"),
    }[kind]


def template_workbook(spec: Spec, examples: Iterable[Sequence] = ()) -> bytes:
    """The import template: the header row of ``spec`` (required columns shaded red), example rows, every
    identifier column formatted as text (`@`) so that Excel, WPS and LibreOffice keep all its digits, and a
    说明 sheet listing each column and saying so."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = (spec.title or _("Import"))[:31]
    for index, column in enumerate(spec.columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.name)
        cell.font = Font(bold=True)
        cell.fill = REQUIRED_FILL if column.required else OPTIONAL_FILL
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, len(column.name) * 3)
        if column.kind in IDENTIFIER_KINDS:
            sheet.column_dimensions[letter].width = 24
            sheet.column_dimensions[letter].number_format = TEXT_FORMAT
    for row_index, row in enumerate(examples, start=2):
        for index, (column, value) in enumerate(zip(spec.columns, row, strict=False), start=1):
            cell = sheet.cell(row=row_index, column=index)
            if column.kind in IDENTIFIER_KINDS or column.kind in (Kind.TEXT, Kind.NAME):
                cell.value = "" if value is None else str(value)
                cell.data_type = "s"
                cell.number_format = TEXT_FORMAT
            else:
                cell.value = value
                if column.kind == Kind.DATE:
                    cell.number_format = "yyyy-mm-dd"
    # Format a block of empty rows too: a cell typed into later keeps its digits even where the program
    # ignores the column's default format.
    for index, column in enumerate(spec.columns, start=1):
        if column.kind in IDENTIFIER_KINDS:
            for row_index in range(2, 502):
                sheet.cell(row=row_index, column=index).number_format = TEXT_FORMAT
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet(_("Instructions"))
    notes.column_dimensions["A"].width = 18
    notes.column_dimensions["B"].width = 10
    notes.column_dimensions["C"].width = 80
    notes.append([_("How to fill in this template")])
    notes["A1"].font = Font(bold=True, size=13)
    for line in (
        _("Fill in the first sheet, one person or item per row, from row 2; keep its header row."),
        _(
            "Columns of ID numbers, mobiles, bank accounts and codes are formatted as text (文本). Keep them text: "
            "a number cell loses the last digits of a long number, and such a cell is refused."
        ),
        _("When pasting from another file, use Paste Special → Values, and check the column stays text."),
        _("Do not put formulas in the sheet; title rows above the header and a 序号 column are allowed."),
    ):
        notes.append([line])
    notes.append([])
    notes.append([_("Column"), _("Required"), _("What to enter")])
    for cell in notes[notes.max_row]:
        cell.font = Font(bold=True)
    for column in spec.columns:
        text = str(column.help) if column.help else _kind_help(column.kind)
        if column.kind in IDENTIFIER_KINDS:
            text += _("; the column is formatted as text")
        if column.synonyms:
            text += _("; also accepted as header: %(names)s") % {"names": "、".join(column.synonyms)}
        notes.append([column.name, _("yes") if column.required else _("no"), text])
    for row in notes.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    workbook.active = 0
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text(sheet, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    cell.number_format = TEXT_FORMAT
    if looks_like_formula(value):
        cell.quotePrefix = True
    return cell


def refused_rows_workbook(headers: Sequence[str], rows: Iterable[tuple[int, Sequence[str], str]]) -> bytes:
    """The refused rows of an upload: the original columns as text (nothing re-typed, identifiers keep every
    digit), the row's number in the uploaded file, and 错误说明 saying what is wrong. Fix and upload again."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Refused rows")[:31])
    for index in range(1, len(headers) + 3):
        sheet.column_dimensions[get_column_letter(index)].number_format = TEXT_FORMAT
    header_cells = []
    for text in [*headers, ERROR_COLUMN, _("Row in the uploaded file")]:
        cell = _text(sheet, text)
        cell.font = Font(bold=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    for number, cells, message in rows:
        sheet.append([*(_text(sheet, c) for c in cells), _text(sheet, message), number])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

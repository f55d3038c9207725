"""Reading the tables people upload (member rolls, the tax authority's funds file, enrolment lists, bank
return files) with one reader on python-calamine, and the templates and refused-rows sheets built from
each import's column spec. Writing exports stays in ``union_portal.excel`` (openpyxl)."""

from .columns import (
    IDENTIFIER_KINDS,
    CellError,
    Column,
    Kind,
    Spec,
    cell_text,
    excel_serial_date,
    normalize_header,
    parse_cell,
    parse_date_cell,
    parse_yes_no,
)
from .files import WORKBOOK_KINDS, open_workbook, sniff
from .reader import SheetTable, raw_rows, read_sheet
from .templates import refused_rows_workbook, template_workbook

__all__ = [
    "IDENTIFIER_KINDS",
    "WORKBOOK_KINDS",
    "CellError",
    "Column",
    "Kind",
    "SheetTable",
    "Spec",
    "cell_text",
    "excel_serial_date",
    "normalize_header",
    "open_workbook",
    "parse_cell",
    "parse_date_cell",
    "parse_yes_no",
    "raw_rows",
    "read_sheet",
    "refused_rows_workbook",
    "sniff",
    "template_workbook",
]

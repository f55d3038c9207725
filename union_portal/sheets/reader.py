"""The one reader of uploaded tables: a workbook (or CSV where the import takes it) read against an import's
column spec into checked values by row, with every problem as a RowError naming row and column."""

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from union_portal.excel import DEFAULT_MAX_ROWS, ExcelFileError, RowError
from union_portal.stored_text import gettext_stored as _

from .columns import CellError, Column, HeaderError, Spec, cell_parser, column_letter, find_header
from .files import Workbook, open_workbook

HEADER_SCAN_ROWS = 10


@dataclass
class SheetTable:
    """What was read: which sheet, where its header was, the values by row (None where a cell is empty or
    refused), and the problems found in the cells."""

    kind: str
    sheet_name: str
    header_row: int  # as Excel numbers it
    headers: list[str]  # the header row as written
    positions: dict[str, int]  # canonical column name -> index in the row
    ignored: list[str]  # headers not read
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def bad_rows(self) -> set[int]:
        return {e.row for e in self.errors}

    def notes(self) -> list[str]:
        """What people are told besides the problems: the sheet read, the columns left out."""
        notes = []
        if self.sheet_name:
            notes.append(
                _("Read sheet %(sheet)s; its header is row %(row)s.")
                % {"sheet": self.sheet_name, "row": self.header_row}
            )
        if self.ignored:
            notes.append(_("Columns not read: %(columns)s.") % {"columns": "、".join(self.ignored)})
        return notes


def refuse_formulas(workbook: Workbook, header_row: int, positions: dict[str, int]) -> None:
    if not workbook.formulas:
        return
    row, col = min(workbook.formulas)
    names = {index: name for name, index in positions.items()}
    column = names.get(col, column_letter(col))
    raise ExcelFileError(
        _("Row %(row)s, column %(column)s holds a formula. Paste values only (no formulas).")
        % {"row": row + 1, "column": column}
    )


def _merged_header_refusal(workbook: Workbook, header_index: int) -> None:
    for (r0, c0), (r1, c1) in workbook.merged:
        if r0 <= header_index <= r1 and c1 > c0:
            raise ExcelFileError(_("The header row has merged cells. Use one plain header cell per column."))


def _blank(values: list) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def read_sheet(
    data: bytes,
    spec: Spec,
    *,
    name: str = "",
    accept_csv: bool = False,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> SheetTable:
    """Read an uploaded file against ``spec``: the active visible sheet (never a hidden one), the header found
    among the first rows, every cell parsed by its column's kind. Raises ExcelFileError when the file as a
    whole cannot be read (kind, damage, limits, a formula, no header, no data rows); problems of single
    cells are in ``errors``, and their rows' values are None where refused."""
    if hasattr(data, "read"):
        data = data.read()
    workbook = open_workbook(data, name=name, accept_csv=accept_csv)
    head = list(itertools.islice(workbook.rows, HEADER_SCAN_ROWS))
    if _blank(list(itertools.chain.from_iterable(head))):
        raise ExcelFileError(_("The workbook is empty."))
    try:
        match = find_header(head, spec, sheet_name=workbook.sheet_name)
    except HeaderError as exc:
        if exc.row is not None:
            _merged_header_refusal(workbook, exc.row)  # the likelier cause of a column gone missing
        raise ExcelFileError(str(exc)) from None
    except ValueError as exc:
        raise ExcelFileError(str(exc)) from None
    if workbook.height is not None and workbook.height - match.row - 1 > max_rows:
        raise ExcelFileError(
            _("The file has %(rows)s rows; at most %(max)s rows can be imported at once. Split the file.")
            % {"rows": workbook.height - match.row - 1, "max": max_rows}
        )
    _merged_header_refusal(workbook, match.row)
    refuse_formulas(workbook, match.row, match.positions)
    table = SheetTable(
        kind=workbook.kind,
        sheet_name=workbook.sheet_name,
        header_row=match.row + 1,
        headers=match.headers,
        positions=match.positions,
        ignored=match.ignored,
    )
    date1904 = workbook.date1904
    columns: list[tuple[Column, int, Callable[[Any], Any]]] = [
        (column, i, cell_parser(column, date1904=date1904))
        for column, i in ((spec.by_name(n), i) for n, i in match.positions.items())
    ]
    absent = [c.name for c in spec.columns if c.name not in match.positions]
    errors_at = workbook.errors
    rest = itertools.chain(head[match.row + 1 :], workbook.rows)
    count = 0
    for index, values in enumerate(rest, start=match.row + 1):
        if _blank(values):
            continue
        count += 1
        if count > max_rows:
            raise ExcelFileError(
                _("The file has more than %(max)s rows; at most %(max)s rows can be imported at once. Split the file.")
                % {"max": max_rows}
            )
        number = index + 1
        row: dict[str, Any] = {}
        width = len(values)
        for column, col, parse in columns:
            raw = values[col] if col < width else ""
            if errors_at and (index, col) in errors_at:
                table.errors.append(
                    RowError(
                        number,
                        column.name,
                        _("The cell holds a spreadsheet error value (%(value)s); type the value again.")
                        % {"value": errors_at[(index, col)]},
                    )
                )
                row[column.name] = None
                continue
            try:
                value = parse(raw)
            except CellError as exc:
                table.errors.append(RowError(number, column.name, exc.message))
                row[column.name] = None
                continue
            if value is None and column.required:
                table.errors.append(RowError(number, column.name, _("This value is required.")))
            row[column.name] = value
        for name in absent:
            row[name] = None
        table.rows.append((number, row))
    if not table.rows:
        raise ExcelFileError(_("The file has a header row but no data rows."))
    return table


def raw_rows(data: bytes, spec: Spec, *, name: str = "", accept_csv: bool = False) -> tuple[list[str], list]:
    """The header row as written and every later row's cells as text, by Excel row number: what the sheet of
    refused rows copies. Raises ExcelFileError as read_sheet does."""
    from .columns import cell_text

    workbook = open_workbook(data, name=name, accept_csv=accept_csv)
    head = list(itertools.islice(workbook.rows, HEADER_SCAN_ROWS))
    try:
        match = find_header(head, spec, sheet_name=workbook.sheet_name)
    except ValueError as exc:
        raise ExcelFileError(str(exc)) from None
    width = len(match.headers)
    while width and not match.headers[width - 1]:
        width -= 1
    rows = []
    rest = itertools.chain(head[match.row + 1 :], workbook.rows)
    for index, values in enumerate(rest, start=match.row + 2):
        cells = [cell_text(v) for v in list(values)[:width]]
        rows.append((index, cells + [""] * (width - len(cells))))
    return match.headers[:width], rows

"""Each import's columns (a canonical name, synonyms, required or not, and a kind) and the one place where a
cell becomes a value: a date, a yes/no, an amount, a normalised identifier, or a refusal naming row and
column. An identifier (ID number, mobile, bank account, credit code, tax voucher) stored as a number has
already lost digits in the spreadsheet, so it is refused, never guessed."""

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from union_portal import identity
from union_portal.money import FEN, is_whole_fen
from union_portal.stored_text import gettext_stored as _
from union_portal.stored_text import validation_message


class Kind(StrEnum):
    TEXT = "text"
    NAME = "name"
    ID_NUMBER = "id_number"
    MOBILE = "mobile"
    BANK_ACCOUNT = "bank_account"
    CREDIT_CODE = "credit_code"
    TAX_VOUCHER = "tax_voucher"
    DATE = "date"
    YES_NO = "yes_no"
    MONEY = "money"
    INTEGER = "integer"


IDENTIFIER_KINDS = frozenset({Kind.ID_NUMBER, Kind.MOBILE, Kind.BANK_ACCOUNT, Kind.CREDIT_CODE, Kind.TAX_VOUCHER})


@dataclass(frozen=True)
class Column:
    name: str  # canonical header (the template's)
    kind: Kind = Kind.TEXT
    required: bool = False
    synonyms: tuple[str, ...] = ()
    max_length: int | None = None
    example: Any = ""  # the template's example value
    help: Any = ""  # a line for the template's 说明 sheet (lazy text)

    def headers(self) -> set[str]:
        return {normalize_header(h) for h in (self.name, *self.synonyms)}


@dataclass(frozen=True)
class Spec:
    """The columns of one import. Cells are checked by kind; a 序号 column is ignored."""

    columns: tuple[Column, ...]
    title: str = ""  # the template's sheet name

    @property
    def required(self) -> list[Column]:
        return [c for c in self.columns if c.required]

    def by_name(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def match(self, header: str) -> Column | None:
        key = normalize_header(header)
        for column in self.columns:
            if key in column.headers():
                return column
        return None


IGNORED_HEADERS = frozenset({"序号", "编号序号", "NO", "NO.", "行号"})
_HEADER_NOISE = re.compile(r"[\(（\[【]?(?:必填|选填|可选|必须填写)[\)）\]】]?|[*＊※]+")


def normalize_header(text: Any) -> str:
    """A header as written, compared: NFKC (full-width brackets and letters folded), every space removed
    (`姓  名`), a marker of required columns (`*`, `（必填）`) dropped, letters upper-cased."""
    raw = unicodedata.normalize("NFKC", str(text if text is not None else ""))
    raw = re.sub(r"\s+", "", raw)
    raw = _HEADER_NOISE.sub("", raw)
    return raw.upper()


# --- cell parsing --------------------------------------------------------------------------------------


class HeaderError(ValueError):
    """No usable header row; ``row`` is the index of the likeliest one (None when no row matched at all)."""

    def __init__(self, message: str, row: int | None = None):
        super().__init__(message)
        self.row = row


class CellError(Exception):
    """A cell that cannot be read as its column's kind (its message names no row or column)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _text_format_error() -> CellError:
    return CellError(
        _(
            "This column must be formatted as text: the cell holds a number, and a long number loses its last "
            "digits in the spreadsheet. Set the column to Text (文本), type the value again and upload again."
        )
    )


def _damaged(value: str) -> CellError:
    return CellError(
        _("The cell holds a spreadsheet error value (%(value)s); type the value again.") % {"value": value}
    )


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def cell_text(value: Any) -> str:
    """A cell shown as text (text columns; the refused-rows sheet): a whole float without its ".0", a date
    as YYYY-MM-DD."""
    if type(value) is str:  # the usual cell first: 50,000 rows are half a million calls
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _text(value: Any) -> str:
    text = cell_text(value)
    if "\x00" in text or "\ufffd" in text:
        raise CellError(_("The cell is damaged (it holds a lost character); type the value again."))
    if text[:1] == "#" and text.upper() in identity.SPREADSHEET_ERRORS:  # every error value starts with #
        raise _damaged(text)
    return text


def identifier_text(value: Any) -> str:
    """An identifier cell as text: a number (digits lost past the 15th) or a date is refused (CellError)."""
    if type(value) is not str and (_is_number(value) or isinstance(value, dt.date | dt.time | dt.timedelta)):
        raise _text_format_error()
    return _text(value)


def _validated(validate: Callable[[str], str]) -> Callable[[Any], str | None]:
    def parse(value: Any) -> str | None:
        text = identifier_text(value)
        if not text:
            return None
        try:
            return validate(text)
        except ValidationError as exc:
            raise CellError(validation_message(exc)) from None

    return parse


def _credit_code(value: Any) -> str | None:
    text = re.sub(r"\s", "", unicodedata.normalize("NFKC", identifier_text(value))).upper()
    return text or None


def _voucher(value: Any) -> str | None:
    text = re.sub(r"\s", "", unicodedata.normalize("NFKC", identifier_text(value)))
    return text or None


def _name(value: Any) -> str | None:
    if _is_number(value) or isinstance(value, dt.date | dt.time | dt.timedelta | bool):
        raise CellError(_("A name is text, not a number or a date."))
    text = cell_text(value)
    if not text:
        return None
    try:
        return identity.validate_name(text)
    except ValidationError as exc:
        raise CellError(validation_message(exc)) from None


_DATE_PATTERNS = [
    re.compile(
        r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
    ),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]


def excel_serial_date(serial: float, *, date1904: bool) -> dt.date:
    """An Excel date serial as a date: days since 1899-12-30 (the 1900 system, whose fictitious 29 February
    1900 is serial 60) or since 1904-01-01 (the 1904 system of Mac workbooks)."""
    if date1904:
        return dt.date(1904, 1, 1) + dt.timedelta(days=int(serial))
    if serial < 61:
        if serial < 1 or int(serial) == 60:
            raise ValueError("not a date")
        return dt.date(1899, 12, 31) + dt.timedelta(days=int(serial))
    return dt.date(1899, 12, 30) + dt.timedelta(days=int(serial))


def parse_date_cell(value: Any, *, date1904: bool = False) -> dt.date | None:
    """A date however offices write one: a date cell (calamine reads the built-in zh-CN formats 27-36 and
    50-58 as dates), an Excel serial in either date system, or text `1990/3/5`, `1990-03-05`, `1990.3.5`,
    `1990年3月5日`, `19900305`. Empty is None (the caller decides whether that is allowed)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if _is_number(value):
        if not 1 <= value < 2_958_466:
            raise CellError(_("Not a date: write it as 1990-03-05."))
        try:
            return excel_serial_date(float(value), date1904=date1904)
        except (ValueError, OverflowError):
            raise CellError(_("Not a date: write it as 1990-03-05.")) from None
    text = unicodedata.normalize("NFKC", _text(value)).strip()
    if not text:
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                raise CellError(_("Not a real date: %(value)s.") % {"value": text}) from None
    raise CellError(_("Not a date: write it as 1990-03-05."))


YES_WORDS = frozenset({"是", "√", "✓", "✔", "Y", "YES", "1", "TRUE", "真", "有"})
NO_WORDS = frozenset({"否", "×", "✗", "✘", "X", "N", "NO", "0", "FALSE", "假", "无"})


def parse_yes_no(value: Any) -> bool | None:
    """是/否, √/×, Y/N, yes/no, 1/0, TRUE/FALSE and the booleans of Excel and LibreOffice; empty is None."""
    if isinstance(value, bool):
        return value
    if _is_number(value):
        if value in (0, 1):
            return bool(value)
        raise CellError(_("Enter 是 or 否."))
    if type(value) is str:  # the words as written need no folding (each is its own NFKC and upper case)
        if value in YES_WORDS:
            return True
        if value in NO_WORDS:
            return False
    text = unicodedata.normalize("NFKC", _text(value)).strip().upper()
    if not text:
        return None
    if text in YES_WORDS:
        return True
    if text in NO_WORDS:
        return False
    raise CellError(_("Enter 是 or 否."))


def parse_money_cell(value: Any) -> Decimal | None:
    """An amount in yuan to the fen: a number cell or text (`12,345.60`); empty is None."""
    if isinstance(value, bool):
        raise CellError(_("Not a number."))
    if isinstance(value, float):
        amount = Decimal(repr(value))
    elif _is_number(value):
        amount = Decimal(value)
    else:
        text = unicodedata.normalize("NFKC", _text(value)).replace(",", "").replace("¥", "").strip()
        if not text:
            return None
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise CellError(_("Not a number.")) from None
    if not amount.is_finite():
        raise CellError(_("Not a number."))
    if not is_whole_fen(amount):
        raise CellError(_("At most two decimal places (fen)."))
    return amount.quantize(FEN)


def parse_integer(value: Any) -> int | None:
    if isinstance(value, bool):
        raise CellError(_("Not a whole number."))
    if _is_number(value):
        if float(value).is_integer():
            return int(value)
        raise CellError(_("Not a whole number."))
    text = unicodedata.normalize("NFKC", _text(value)).replace(",", "").strip()
    if not text:
        return None
    if not re.fullmatch(r"-?[0-9]+", text):
        raise CellError(_("Not a whole number."))
    return int(text)


def parse_text(value: Any) -> str | None:
    return _text(value) or None


PARSERS: dict[Kind, Callable[[Any], Any]] = {
    Kind.TEXT: parse_text,
    Kind.NAME: _name,
    Kind.ID_NUMBER: _validated(identity.validate_id_number),
    Kind.MOBILE: _validated(identity.validate_mobile),
    Kind.BANK_ACCOUNT: _validated(identity.validate_bank_account),
    Kind.CREDIT_CODE: _credit_code,
    Kind.TAX_VOUCHER: _voucher,
    Kind.YES_NO: parse_yes_no,
    Kind.MONEY: parse_money_cell,
    Kind.INTEGER: parse_integer,
}


def cell_parser(column: Column, *, date1904: bool = False) -> Callable[[Any], Any]:
    """``parse_cell`` for one column, its kind and limit looked up once (a reader calls it for every cell)."""
    parse: Callable[[Any], Any] = (
        functools.partial(parse_date_cell, date1904=date1904) if column.kind == Kind.DATE else PARSERS[column.kind]
    )
    max_length = column.max_length
    if not max_length:
        return parse

    def parse_limited(value: Any) -> Any:
        result = parse(value)
        if isinstance(result, str) and len(result) > max_length:
            raise CellError(_("At most %(n)s characters.") % {"n": max_length})
        return result

    return parse_limited


def parse_cell(column: Column, value: Any, *, date1904: bool = False) -> Any:
    """The value of one cell for ``column`` (None when empty), or CellError. Required columns are checked by
    the caller, which knows the row."""
    return cell_parser(column, date1904=date1904)(value)


@dataclass
class HeaderMatch:
    row: int  # index from 0
    positions: dict[str, int]  # canonical name -> column index
    ignored: list[str] = field(default_factory=list)  # headers not read (as written)
    headers: list[str] = field(default_factory=list)  # the header row as written


def find_header(rows: Sequence[Sequence[Any]], spec: Spec, *, sheet_name: str = "") -> HeaderMatch:
    """The header row among the first rows (title rows and merged title cells above it are skipped): the first
    row holding every required column, by name or synonym. Raises HeaderError (a ValueError) with the message."""
    best: tuple[int, int] | None = None
    for index, row in enumerate(rows):
        found = {spec.match(cell_text(v)) for v in row} - {None}
        if all(c in found for c in spec.required) and found:
            return _header(index, row, spec)
        if found and (best is None or len(found) > best[1]):
            best = (index, len(found))
    if best is None:
        raise HeaderError(
            _(
                "No header row found in the first %(n)s rows of sheet %(sheet)s: it needs the columns %(columns)s. "
                "Download the template and use its header row."
            )
            % {"n": len(rows), "sheet": sheet_name, "columns": "、".join(c.name for c in spec.required)}
        )
    match = _header(best[0], rows[best[0]], spec)
    missing = [c.name for c in spec.required if c.name not in match.positions]
    message = _("The header row (row %(row)s of sheet %(sheet)s) lacks column(s) %(missing)s.") % {
        "row": best[0] + 1,
        "sheet": sheet_name,
        "missing": "、".join(missing),
    }
    if match.ignored:
        message += " " + _("Columns not recognised: %(unknown)s.") % {"unknown": "、".join(match.ignored)}
    raise HeaderError(message + " " + _("Download the template and use its header row."), best[0])


def _header(index: int, row: Sequence[Any], spec: Spec) -> HeaderMatch:
    positions: dict[str, int] = {}
    ignored: list[str] = []
    headers = [cell_text(v) for v in row]
    for col, text in enumerate(headers):
        if not text:
            continue
        column = spec.match(text)
        if column is None:
            if normalize_header(text) not in IGNORED_HEADERS:
                ignored.append(text)
            continue
        if column.name in positions:
            raise ValueError(
                _("The header row repeats column %(column)s (as %(first)s and %(second)s).")
                % {"column": column.name, "first": headers[positions[column.name]], "second": text}
            )
        positions[column.name] = col
    return HeaderMatch(row=index, positions=positions, ignored=ignored, headers=headers)


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


YES_NO_HELP = gettext_lazy("是 or 否 (also √/×, Y/N, 1/0)")
DATE_HELP = gettext_lazy("a date, such as 2026-03-05")

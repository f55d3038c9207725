"""Bank transfer files built from a layout given as data (``LayoutSpec``): which columns in which order, with
which header texts, how amounts are written, which text encoding a CSV file uses and whether a summary line
(count and control total) is written. Pure functions of the layout and the payments: no database.

Before a file is written every field is checked: a field the layout's encoding cannot carry (𠮷 in GBK), a
payee name longer than the bank takes, or an account that is not digits only is refused with its row and
column named; nothing is replaced, cut or guessed. Amounts are exact (Decimal yuan, or whole fen), account
numbers are text; text a spreadsheet could take for a formula is escaped (``union_portal.excel.csv_cell``)."""

import csv
import io
import re
import string
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from union_portal.excel import RowError, csv_cell
from union_portal.validators import looks_like_formula

# What a column carries (its "source").
SEQ = "seq"
PAYEE_NAME = "payee_name"
ACCOUNT = "account"
BANK_NAME = "bank_name"
BRANCH_CODE = "branch_code"
AMOUNT = "amount"
PURPOSE = "purpose"
REFERENCE = "reference"
FIXED = "fixed"
PAYER_ACCOUNT = "payer_account"
PAYER_NAME = "payer_name"
BLANK = "blank"

SOURCE_CHOICES = [
    (SEQ, gettext_lazy("Row number (序号)")),
    (PAYEE_NAME, gettext_lazy("Payee name")),
    (ACCOUNT, gettext_lazy("Payee account")),
    (BANK_NAME, gettext_lazy("Payee's bank")),
    (BRANCH_CODE, gettext_lazy("Branch code (联行号)")),
    (AMOUNT, gettext_lazy("Amount")),
    (PURPOSE, gettext_lazy("Purpose")),
    (REFERENCE, gettext_lazy("Our reference")),
    (FIXED, gettext_lazy("Fixed text")),
    (PAYER_ACCOUNT, gettext_lazy("Our account (payer)")),
    (PAYER_NAME, gettext_lazy("Our account name (payer)")),
    (BLANK, gettext_lazy("Empty column")),
]
SOURCES = frozenset(value for value, _label in SOURCE_CHOICES)

# How an amount is written.
YUAN = "yuan"  # 1234.50
YUAN_THOUSANDS = "yuan_thousands"  # 1,234.50
FEN = "fen"  # 123450
AMOUNT_RULE_CHOICES = [
    (YUAN, gettext_lazy("Yuan with 2 decimals (1234.50)")),
    (YUAN_THOUSANDS, gettext_lazy("Yuan with thousands separators (1,234.50)")),
    (FEN, gettext_lazy("Fen as a whole number (123450)")),
]
AMOUNT_RULES = frozenset(value for value, _label in AMOUNT_RULE_CHOICES)

CSV, XLSX = "csv", "xlsx"
UTF8_BOM, GBK, GB18030 = "utf-8-sig", "gbk", "gb18030"
ENCODING_NAMES = {UTF8_BOM: "UTF-8", GBK: "GBK", GB18030: "GB18030"}

SUMMARY_NONE, SUMMARY_FIRST, SUMMARY_LAST = "none", "first", "last"
SUMMARY_LABEL = "合计"  # the first cell of a summary line; a return file's summary line is skipped by it

PURPOSE_FIELDS = frozenset({"purpose", "reference", "batch"})
MAX_NAME_LENGTH = 50  # Payment.account_name; banks take at most 30 to 60 characters
ACCOUNT_RE = re.compile(r"^[0-9]{6,40}$")


@dataclass(frozen=True)
class Column:
    source: str
    header: str = ""
    text: str = ""  # the fixed text of a FIXED column
    amount_rule: str = YUAN

    def as_dict(self) -> dict[str, str]:
        data = {"source": self.source, "header": self.header}
        if self.source == FIXED:
            data["text"] = self.text
        if self.source == AMOUNT:
            data["amount_rule"] = self.amount_rule
        return data


@dataclass(frozen=True)
class LayoutSpec:
    """A bank file layout as plain data (``BankLayout.spec()``; ``GENERIC`` is the portal's own)."""

    name: str
    columns: tuple[Column, ...]
    file_format: str = XLSX
    encoding: str = UTF8_BOM
    header_row: bool = True
    summary: str = SUMMARY_NONE
    purpose_template: str = "{purpose}"
    return_status_header: str = ""
    return_reference_header: str = ""
    return_reason_header: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def column_of(self, source: str) -> Column | None:
        return next((c for c in self.columns if c.source == source), None)

    @property
    def amount_rule(self) -> str:
        column = self.column_of(AMOUNT)
        return column.amount_rule if column else YUAN


GENERIC = LayoutSpec(
    name="通用格式",
    columns=(
        Column(SEQ, "序号"),
        Column(PAYEE_NAME, "收款人"),
        Column(ACCOUNT, "收款账号"),
        Column(BANK_NAME, "开户行"),
        Column(AMOUNT, "金额", amount_rule=YUAN),
        Column(PURPOSE, "用途"),
        Column(REFERENCE, ""),  # the paying app names it (理赔编号, ...)
    ),
)


class PaymentLike(Protocol):
    """A payment, a payment item not yet saved, or a sample: what a line of the file is written from."""

    @property
    def amount(self) -> Decimal: ...
    @property
    def account_name(self) -> str: ...
    @property
    def bank_account(self) -> str: ...
    @property
    def bank_name(self) -> str: ...
    @property
    def purpose(self) -> str: ...
    @property
    def reference(self) -> str: ...


@dataclass(frozen=True)
class Payer:
    """The paying union's own account, for the layouts that name it on every line."""

    account: str = ""
    name: str = ""


def columns_from_data(data: Any) -> tuple[list[Column], list[str]]:
    """The columns stored as JSON (a list of objects), and the problems found in them (in Chinese)."""
    problems: list[str] = []
    if not isinstance(data, list) or not data:
        return [], [_("A layout needs at least one column.")]
    columns: list[Column] = []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict) or item.get("source") not in SOURCES:
            problems.append(_("Column %(n)s: choose what the column carries.") % {"n": number})
            continue
        rule = item.get("amount_rule") or YUAN
        if rule not in AMOUNT_RULES:
            problems.append(_("Column %(n)s: choose how the amount is written.") % {"n": number})
            continue
        columns.append(
            Column(
                source=item["source"],
                header=str(item.get("header") or "").strip(),
                text=str(item.get("text") or ""),
                amount_rule=rule,
            )
        )
    return columns, problems


def layout_problems(spec: LayoutSpec) -> list[str]:
    """What is wrong with a layout (in Chinese), or nothing: every layout is checked before it is saved."""
    problems: list[str] = []
    sources = [c.source for c in spec.columns]
    for source, label in ((AMOUNT, _("Amount")), (ACCOUNT, _("Payee account")), (PAYEE_NAME, _("Payee name"))):
        if sources.count(source) != 1:
            problems.append(_("The layout needs exactly one column “%(column)s”.") % {"column": label})
    if spec.header_row:
        headers = [c.header for c in spec.columns if c.source != REFERENCE or c.header]
        for number, column in enumerate(spec.columns, start=1):
            if not column.header and column.source != REFERENCE:
                problems.append(_("Column %(n)s needs a header text.") % {"n": number})
        repeated = sorted({h for h in headers if h and headers.count(h) > 1})
        if repeated:
            problems.append(_("Header texts repeat: %(headers)s.") % {"headers": "、".join(repeated)})
    for number, column in enumerate(spec.columns, start=1):
        if column.source == FIXED and not column.text.strip():
            problems.append(_("Column %(n)s: give the fixed text.") % {"n": number})
        for text in (column.header, column.text):
            if looks_like_formula(text):
                problems.append(_("Column %(n)s: a text may not begin with = + - or @.") % {"n": number})
            if not encodable(text, spec.encoding):
                problems.append(
                    _("Column %(n)s: “%(text)s” cannot be written in %(encoding)s.")
                    % {"n": number, "text": text, "encoding": ENCODING_NAMES.get(spec.encoding, spec.encoding)}
                )
    if spec.summary == SUMMARY_FIRST and spec.file_format != CSV:
        problems.append(_("A summary line before the header is possible in a CSV file only."))
    try:
        fields = {name for _text, name, _spec, _conv in string.Formatter().parse(spec.purpose_template) if name}
    except ValueError:
        fields = {"?"}
    if fields - PURPOSE_FIELDS:
        problems.append(_("The purpose text may use {purpose}, {reference} and {batch} only."))
    return problems


def encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def format_amount(amount: Decimal, rule: str) -> str:
    """The amount as the bank file writes it, exactly: "1234.50", "1,234.50" or fen "123450"."""
    if rule == FEN:
        return str(int(amount * 100))
    if rule == YUAN_THOUSANDS:
        return f"{amount:,.2f}"
    return f"{amount:.2f}"


def parse_amount(text: str, rule: str) -> Decimal | None:
    """An amount read back from a file written with ``rule`` (Excel may have dropped trailing zeros)."""
    from decimal import InvalidOperation

    text = text.strip().replace(",", "").replace("，", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    return value / 100 if rule == FEN else value


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def header_of(column: Column, reference_header: str) -> str:
    return column.header or (reference_header if column.source == REFERENCE else "")


def headers(spec: LayoutSpec, *, reference_header: str = "业务编号") -> list[str]:
    return [header_of(c, reference_header) for c in spec.columns]


def purpose_text(spec: LayoutSpec, payment: PaymentLike, *, batch: str = "") -> str:
    return spec.purpose_template.format(purpose=payment.purpose, reference=payment.reference, batch=batch)


def row_values(spec: LayoutSpec, seq: int, payment: PaymentLike, *, payer: Payer, batch: str = "") -> list:
    """One line of the file: text for every column, the amount as Decimal (or int fen)."""
    values: list = []
    for column in spec.columns:
        source = column.source
        if source == SEQ:
            values.append(seq)
        elif source == PAYEE_NAME:
            values.append(nfc(payment.account_name))
        elif source == ACCOUNT:
            values.append(payment.bank_account)
        elif source == BANK_NAME:
            values.append(payment.bank_name)
        elif source == BRANCH_CODE:
            values.append(getattr(payment, "branch_code", "") or "")
        elif source == AMOUNT:
            values.append(int(payment.amount * 100) if column.amount_rule == FEN else payment.amount)
        elif source == PURPOSE:
            values.append(purpose_text(spec, payment, batch=batch))
        elif source == REFERENCE:
            values.append(payment.reference)
        elif source == FIXED:
            values.append(column.text)
        elif source == PAYER_ACCOUNT:
            values.append(payer.account)
        elif source == PAYER_NAME:
            values.append(payer.name)
        else:
            values.append("")
    return values


def check_payments(
    spec: LayoutSpec,
    payments: Sequence[PaymentLike],
    *,
    payer: Payer = Payer(),
    reference_header: str = "业务编号",
    batch: str = "",
) -> list[RowError]:
    """Every problem that stops the file being written, by row (the line's 序号) and column: a field the
    layout's encoding cannot carry, a payee name that is empty or too long, an account that is not digits."""
    errors: list[RowError] = []
    names = headers(spec, reference_header=reference_header)
    encoding_name = ENCODING_NAMES.get(spec.encoding, spec.encoding)
    for seq, payment in enumerate(payments, start=1):
        for column, header, value in zip(
            spec.columns, names, row_values(spec, seq, payment, payer=payer, batch=batch), strict=True
        ):
            label = header or str(dict(SOURCE_CHOICES)[column.source])
            if column.source == PAYEE_NAME:
                if not value.strip():
                    errors.append(RowError(seq, label, _("The payee name is empty.")))
                    continue
                if len(value) > MAX_NAME_LENGTH:
                    errors.append(
                        RowError(
                            seq,
                            label,
                            _("The payee name “%(name)s” is longer than %(max)s characters.")
                            % {"name": value, "max": MAX_NAME_LENGTH},
                        )
                    )
                    continue
            if column.source == ACCOUNT and not ACCOUNT_RE.match(value):
                errors.append(RowError(seq, label, _("The account must be digits only (0-9).")))
                continue
            if isinstance(value, str) and not encodable(value, spec.encoding):
                bad = "".join(dict.fromkeys(ch for ch in value if not encodable(ch, spec.encoding)))
                errors.append(
                    RowError(
                        seq,
                        label,
                        _(
                            "“%(value)s” has the character(s) “%(chars)s”, which the bank's file encoding "
                            "%(encoding)s cannot carry; the bank would receive a wrong name. Ask the bank how "
                            "to pay this payee, or choose a layout in GB18030 or UTF-8."
                        )
                        % {"value": value, "chars": bad, "encoding": encoding_name},
                    )
                )
    return errors


def control_total(payments: Sequence[PaymentLike]) -> Decimal:
    return sum((p.amount for p in payments), Decimal("0.00"))


def _summary_row(spec: LayoutSpec, payments: Sequence[PaymentLike], *, as_text: bool) -> list:
    total = control_total(payments)
    amount: Any = int(total * 100) if spec.amount_rule == FEN else total
    if as_text:
        amount = format_amount(total, spec.amount_rule)
    return [SUMMARY_LABEL, "总笔数", len(payments), "总金额", amount]


def csv_bytes(
    spec: LayoutSpec,
    payments: Sequence[PaymentLike],
    *,
    payer: Payer = Payer(),
    reference_header: str = "业务编号",
    batch: str = "",
) -> bytes:
    """The CSV file in the layout's encoding (precondition: ``check_payments`` found nothing)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if spec.summary == SUMMARY_FIRST:
        writer.writerow([csv_cell(v) for v in _summary_row(spec, payments, as_text=True)])
    if spec.header_row:
        writer.writerow([csv_cell(h) for h in headers(spec, reference_header=reference_header)])
    for seq, payment in enumerate(payments, start=1):
        values = row_values(spec, seq, payment, payer=payer, batch=batch)
        writer.writerow(
            [
                format_amount(payment.amount, c.amount_rule) if c.source == AMOUNT else csv_cell(v)
                for c, v in zip(spec.columns, values, strict=True)
            ]
        )
    if spec.summary == SUMMARY_LAST:
        writer.writerow([csv_cell(v) for v in _summary_row(spec, payments, as_text=True)])
    return buffer.getvalue().encode(spec.encoding)


AMOUNT_FORMATS = {YUAN: "0.00", YUAN_THOUSANDS: "#,##0.00", FEN: "0"}


def _text_cell(sheet, value: str) -> WriteOnlyCell:
    """A text cell (format "@"): never a number, never a formula (quotePrefix keeps it text when edited)."""
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    cell.number_format = "@"
    if looks_like_formula(value):
        cell.quotePrefix = True
    return cell


def xlsx_bytes(
    spec: LayoutSpec,
    payments: Sequence[PaymentLike],
    *,
    payer: Payer = Payer(),
    reference_header: str = "业务编号",
    batch: str = "",
    title: str = "Sheet1",
) -> bytes:
    """The .xlsx file: accounts and names as text cells, amounts as exact numbers with the layout's format
    (openpyxl writes a Decimal's own digits; no float is involved), the sequence number as a number."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    if spec.header_row:
        row = []
        for header in headers(spec, reference_header=reference_header):
            cell = _text_cell(sheet, header)
            cell.font = Font(bold=True)
            row.append(cell)
        sheet.append(row)
    amount_format = AMOUNT_FORMATS[spec.amount_rule]
    for seq, payment in enumerate(payments, start=1):
        cells = []
        for column, value in zip(spec.columns, row_values(spec, seq, payment, payer=payer, batch=batch), strict=True):
            if column.source == AMOUNT or column.source == SEQ:
                cell = WriteOnlyCell(sheet, value=value)
                if column.source == AMOUNT:
                    cell.number_format = AMOUNT_FORMATS[column.amount_rule]
                cells.append(cell)
            else:
                cells.append(_text_cell(sheet, str(value)))
        sheet.append(cells)
    if spec.summary != SUMMARY_NONE:  # after the data in a workbook (a sheet has no line before its header)
        summary = []
        for value in _summary_row(spec, payments, as_text=False):
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, Decimal):
                cell.number_format = amount_format
            summary.append(cell)
        sheet.append(summary)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class SamplePayment:
    """A made-up payment for a layout's preview when no batch is at hand."""

    amount: Decimal
    account_name: str
    bank_account: str
    bank_name: str
    branch_code: str = ""
    purpose: str = "职工医疗互助金"
    reference: str = ""


SAMPLE_PAYMENTS = (
    SamplePayment(
        Decimal("5700.00"),
        "张三",
        "6222020000000000001",
        "中国工商银行绍兴柯桥支行",
        "102337000012",
        reference="MA01-0000001",
    ),
    SamplePayment(
        Decimal("1234.50"),
        "阿依古丽·买买提",
        "6228480000000000002",
        "中国农业银行绍兴柯桥支行",
        reference="MA01-0000002",
    ),
    SamplePayment(Decimal("0.10"), "李四", "6230910000000000003", "浙江绍兴瑞丰农村商业银行", reference="MA01-0000003"),
)


@dataclass(frozen=True)
class Preview:
    headers: list[str]
    rows: list[list[str]]
    summary: list[str] | None
    errors: list[RowError]
    count: int
    total: Decimal


def preview(
    spec: LayoutSpec,
    payments: Sequence[PaymentLike],
    *,
    payer: Payer = Payer(),
    reference_header: str = "业务编号",
    mask: Any = None,
) -> Preview:
    """The first lines of the file as text, as the bank will read them (account numbers through ``mask``:
    a preview is not an export), with the problems that would stop the file."""
    rows = []
    for seq, payment in enumerate(payments, start=1):
        values = row_values(spec, seq, payment, payer=payer)
        line = []
        for column, value in zip(spec.columns, values, strict=True):
            if column.source == AMOUNT:
                line.append(format_amount(payment.amount, column.amount_rule))
            elif column.source == ACCOUNT and mask:
                line.append(mask(str(value)))
            else:
                line.append(str(value))
        rows.append(line)
    summary = None
    if spec.summary != SUMMARY_NONE:
        summary = [str(v) for v in _summary_row(spec, payments, as_text=True)]
    return Preview(
        headers=headers(spec, reference_header=reference_header) if spec.header_row else [],
        rows=rows,
        summary=summary,
        errors=check_payments(spec, payments, payer=payer, reference_header=reference_header),
        count=len(payments),
        total=control_total(payments),
    )

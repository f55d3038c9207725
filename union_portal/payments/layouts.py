"""The bank's file layouts: the transfer file sent to the bank (.xlsx or CSV, full account numbers) in the
batch's layout (``bankfile``), and the return file (回盘文件) the bank sends back with each transfer's outcome.

The transfer file numbers its rows (序号) in the batch's payment order; the return file quotes that number
(or, for a layout without one, the account) with the amount, so a line is matched to exactly one payment and
checked against it. A return file is the bank's own (its status, reference and reason columns as the layout
names them) or the transfer file itself with 状态, 银行流水号 and 失败原因 filled in."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.http import HttpResponse
from django.utils.translation import gettext as _

from union_portal.audit import audit_record
from union_portal.excel import XLSX_MIME, ExcelFileError, RowError, Table
from union_portal.sheets import CellError, Column, Spec, cell_text, open_workbook
from union_portal.sheets.columns import identifier_text, parse_text
from union_portal.sheets.reader import refuse_formulas

from . import bankfile
from .models import Payment, PaymentBatch

if TYPE_CHECKING:
    from union_portal.models import User

SEQ, NAME, ACCOUNT, BANK, AMOUNT, PURPOSE = "序号", "收款人", "收款账号", "开户行", "金额", "用途"
STATUS, BANK_REFERENCE, REASON = "状态", "银行流水号", "失败原因"
PAID_WORDS = {"成功", "已支付", "支付成功", "交易成功", "处理成功", "success", "paid", "s"}
FAILED_WORDS = {"失败", "支付失败", "交易失败", "处理失败", "退票", "failed", "fail", "f"}
# Header texts a return file may use for each part of a line, besides the layout's own.
STATUS_HEADERS = (STATUS, "处理结果", "交易状态", "处理状态")
REFERENCE_HEADERS = (BANK_REFERENCE, "流水号", "交易流水号", "银行交易流水号")
REASON_HEADERS = (REASON, "错误信息", "失败说明")
GENERIC_HEADERS = {
    bankfile.SEQ: (SEQ,),
    bankfile.ACCOUNT: (ACCOUNT,),
    bankfile.AMOUNT: (AMOUNT,),
    bankfile.PAYEE_NAME: (NAME,),
}
APP_REFERENCE_HEADERS = ("理赔编号", "业务编号")


def bank_headers(reference_header: str) -> list[str]:
    """The columns of the generic transfer file; the last one names the paying app's own number."""
    return bankfile.headers(bankfile.GENERIC, reference_header=reference_header)


def bank_rows(payments: Sequence[Payment]) -> list[list]:
    return [bankfile.row_values(bankfile.GENERIC, i, p, payer=bankfile.Payer()) for i, p in enumerate(payments, 1)]


def batch_spec(batch: PaymentBatch) -> bankfile.LayoutSpec:
    """The layout the batch's files are written and read in (the generic one for a batch without)."""
    return batch.layout.spec() if batch.layout_id and batch.layout else bankfile.GENERIC


def batch_payer(batch: PaymentBatch) -> bankfile.Payer:
    from .selectors import setting_for

    setting = setting_for(org=batch.org)
    return bankfile.Payer(account=setting.payer_account, name=setting.payer_name) if setting else bankfile.Payer()


def bank_file_errors(*, batch: PaymentBatch, payments: Sequence[Payment], reference_header: str) -> list[RowError]:
    """What stops the batch's bank file being written in its layout, by row and column."""
    return bankfile.check_payments(
        batch_spec(batch), payments, payer=batch_payer(batch), reference_header=reference_header, batch=str(batch)
    )


def bank_file_response(
    *,
    by: "User",
    batch: PaymentBatch,
    payments: Sequence[Payment],
    fmt: str,
    reference_header: str,
    errors: Sequence[RowError] = (),
) -> HttpResponse:
    """The transfer file with full account numbers (the bank needs them) in the batch's layout, as .xlsx or
    as CSV in the layout's encoding. ``errors`` are the paying app's own findings (a payee name that is not
    the member's): with any of them, or with any field the layout cannot carry, nothing is written
    (ValidationError listing rows and columns). Precondition: the caller checked ``by`` may export. Audited
    as a reveal in the paying app's vocabulary, with the count and the control total."""
    from django.core.exceptions import ValidationError

    spec, payer = batch_spec(batch), batch_payer(batch)
    found = [
        *errors,
        *bankfile.check_payments(spec, payments, payer=payer, reference_header=reference_header, batch=str(batch)),
    ]
    if found:
        raise ValidationError([str(error) for error in sorted(found, key=lambda e: e.row)], code="bank_file")
    total = bankfile.control_total(payments)
    audit_record(
        actor=by,
        action=f"{batch.app_label}.reveal",
        obj=batch,
        detail={"export": fmt, "layout": spec.name, "rows": len(payments), "total": str(total)},
    )
    if fmt == bankfile.XLSX:
        content = bankfile.xlsx_bytes(
            spec, payments, payer=payer, reference_header=reference_header, batch=str(batch), title=str(batch)
        )
        content_type = XLSX_MIME
    else:
        content = bankfile.csv_bytes(spec, payments, payer=payer, reference_header=reference_header, batch=str(batch))
        charset = "utf-8" if spec.encoding == bankfile.UTF8_BOM else spec.encoding
        content_type = f"text/csv; charset={charset}"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{batch}.{fmt}"
    response["Cache-Control"] = "no-store, private"
    return response


@dataclass(frozen=True)
class ReturnLine:
    """One line of a return file, matched to its payment."""

    row: int
    payment: Payment
    paid: bool
    bank_reference: str
    reason: str


@dataclass(frozen=True)
class _Roles:
    """Which header of the file carries each part of a line ("" when the file has none)."""

    seq: str
    account: str
    amount: str
    name: str
    status: str
    reference: str
    reason: str


def _names(spec: bankfile.LayoutSpec, source: str) -> tuple[str, ...]:
    column = spec.column_of(source)
    own = (column.header,) if column and column.header else ()
    return own + tuple(h for h in GENERIC_HEADERS.get(source, ()) if h not in own)


def _role_names(spec: bankfile.LayoutSpec) -> dict[str, tuple[str, ...]]:
    def with_own(own: str, generic: tuple[str, ...]) -> tuple[str, ...]:
        return ((own,) if own else ()) + tuple(h for h in generic if h != own)

    return {
        "seq": _names(spec, bankfile.SEQ),
        "account": _names(spec, bankfile.ACCOUNT),
        "amount": _names(spec, bankfile.AMOUNT),
        "name": _names(spec, bankfile.PAYEE_NAME),
        "status": with_own(spec.return_status_header, STATUS_HEADERS),
        "reference": with_own(spec.return_reference_header, REFERENCE_HEADERS),
        "reason": with_own(spec.return_reason_header, REASON_HEADERS),
    }


def _known_headers(spec: bankfile.LayoutSpec, reference_header: str) -> list[str]:
    known = [h for h in bankfile.headers(spec, reference_header=reference_header) if h]
    for names in _role_names(spec).values():
        known.extend(names)
    known.extend([BANK, PURPOSE, *APP_REFERENCE_HEADERS, *bank_headers(reference_header)])
    return list(dict.fromkeys(known))


def _cells_text(
    values: list, number: int, headers: Sequence[str], account_at: set[int], damaged: dict[tuple[int, int], str]
) -> dict[str, str]:
    """One line's cells as text by header, read as the one reader reads text and identifier cells: an account
    cell holding a number (Excel has dropped the digits past the 15th) or a damaged cell refuses the file,
    with the row and the column."""
    row: dict[str, str] = {}
    for index, header in enumerate(headers):
        if not header:
            continue
        value = values[index] if index < len(values) else ""
        try:
            if (number - 1, index) in damaged:
                raise CellError(
                    _("The cell holds a spreadsheet error value (%(value)s); type the value again.")
                    % {"value": damaged[(number - 1, index)]}
                )
            row[header] = identifier_text(value) if index in account_at else parse_text(value) or ""
        except CellError as exc:
            raise ExcelFileError(str(RowError(number, header, exc.message))) from None
    return row


def _read_return_table(data: bytes, spec: bankfile.LayoutSpec, reference_header: str) -> Table:
    """The return file through the one reader (any workbook kind, or CSV in UTF-8 or GBK/GB18030): the header
    is the first of the first rows naming the status, account and amount (a summary line or a title may come
    before it); a layout without a header row is read by position. Cells come back as text; an account
    written as a number is refused, never guessed. Raises ExcelFileError."""
    workbook = open_workbook(data, accept_csv=True)
    # Blank lines and the summary line (合计, wherever the layout or a copy of the export puts it) are no lines.
    lines = [
        (n, values)
        for n, values in enumerate(workbook.rows, start=1)
        if any(cell_text(v) for v in values) and cell_text(values[0]) != bankfile.SUMMARY_LABEL
    ]
    if not lines:
        raise ExcelFileError(_("The file is empty."))
    refuse_formulas(workbook, 0, {})
    roles = _role_names(spec)
    finder = Spec(
        columns=tuple(
            Column(names[0], required=True, synonyms=names[1:])
            for role, names in roles.items()
            if role in ("account", "amount", "status")
        )
    )
    start = next(
        (
            i
            for i, (_n, values) in enumerate(lines[:10])
            if all(any(finder.match(cell_text(v)) is c for v in values) for c in finder.columns)
        ),
        None,
    )
    if start is None and not spec.header_row and workbook.kind == "csv":
        # A layout without a header row: its own columns in order, then status, reference and reason.
        labels = [
            h or c.source
            for h, c in zip(bankfile.headers(spec, reference_header=reference_header), spec.columns, strict=True)
        ]
        headers = [*labels, STATUS, BANK_REFERENCE, REASON]
        body = lines
    elif start is None:
        raise ExcelFileError(
            _("The header row is wrong: missing column(s) %(missing)s. Download the template and use its header row.")
            % {"missing": "、".join(c.name for c in finder.columns)}
        )
    else:
        headers = [cell_text(v) for v in lines[start][1]]
        repeated = {h for h in headers if h and headers.count(h) > 1}
        if repeated:
            raise ExcelFileError(
                _("The header row repeats column(s) %(cols)s.") % {"cols": "、".join(sorted(repeated))}
            )
        body = lines[start + 1 :]
    account_at = {i for i, h in enumerate(headers) if h in roles["account"]}
    rows = [(n, _cells_text(list(values), n, headers, account_at, workbook.errors)) for n, values in body]
    if not rows:
        raise ExcelFileError(_("The file has a header row but no data rows."))
    return Table(headers=[h for h in headers if h], rows=rows)


def _roles(table: Table, spec: bankfile.LayoutSpec) -> _Roles:
    present = set(table.headers)
    found = {role: next((h for h in names if h in present), "") for role, names in _role_names(spec).items()}
    missing = [
        names[0]
        for role, names in _role_names(spec).items()
        if role in ("account", "amount", "status") and not found[role]
    ]
    if missing:
        raise ExcelFileError(
            _("The header row is wrong: missing column(s) %(missing)s. Download the template and use its header row.")
            % {"missing": "、".join(missing)}
        )
    return _Roles(**found)


def read_return_file(
    data: bytes,
    *,
    payments: Sequence[Payment],
    layout: bankfile.LayoutSpec = bankfile.GENERIC,
    reference_header: str = "业务编号",
) -> tuple[list[ReturnLine], list[RowError]]:
    """The outcome of each transfer in a bank's return file, matched to ``payments`` (the batch's payments
    in the order of the transfer file) by its 序号 (or by account and amount where the layout has no 序号),
    and checked against it: account, amount (written as ``layout`` writes amounts) and payee name. A line
    that does not match, appears twice or has an unknown status is an error; the caller refuses the whole
    file when there is one. Summary lines are skipped. Raises ExcelFileError when the file as a whole cannot
    be read."""
    table = _read_return_table(data, layout, reference_header)
    roles = _roles(table, layout)
    rule = layout.amount_rule
    lines: list[ReturnLine] = []
    errors: list[RowError] = []
    seen: set[int] = set()
    for number, row in table.rows:
        account = row[roles.account].replace(" ", "")
        amount = bankfile.parse_amount(row[roles.amount], rule)
        if roles.seq:
            try:
                seq = int(row[roles.seq])
            except ValueError:
                seq = 0
            if not 1 <= seq <= len(payments):
                errors.append(RowError(number, roles.seq, _("No payment of this batch has this number.")))
                continue
            if seq in seen:
                errors.append(RowError(number, roles.seq, _("This payment appears twice in the file.")))
                continue
        else:
            candidates = [
                i
                for i, p in enumerate(payments, start=1)
                if i not in seen and p.bank_account == account and p.amount == amount
            ]
            if not candidates:
                errors.append(
                    RowError(
                        number, roles.account, _("No payment of this batch goes to this account with this amount.")
                    )
                )
                continue
            seq = candidates[0]
        payment = payments[seq - 1]
        seen.add(seq)
        if account != payment.bank_account:
            errors.append(RowError(number, roles.account, _("The account does not match the transfer file.")))
            continue
        if amount != payment.amount:
            errors.append(RowError(number, roles.amount, _("The amount does not match the transfer file.")))
            continue
        name = row.get(roles.name, "").strip() if roles.name else ""
        if name and bankfile.nfc(name) != bankfile.nfc(payment.account_name):
            errors.append(RowError(number, roles.name, _("The payee name does not match the transfer file.")))
            continue
        status = row[roles.status].strip().lower()
        if status in PAID_WORDS:
            reference = row.get(roles.reference, "").strip() if roles.reference else ""
            if not reference:
                errors.append(RowError(number, roles.reference or BANK_REFERENCE, _("Give the bank reference.")))
                continue
            lines.append(ReturnLine(number, payment, True, reference, ""))
        elif status in FAILED_WORDS:
            reason = (row.get(roles.reason, "").strip() if roles.reason else "") or _("Failed")
            lines.append(ReturnLine(number, payment, False, "", reason))
        else:
            errors.append(RowError(number, roles.status, _("Write 成功 (paid) or 失败 (failed).")))
    return lines, errors

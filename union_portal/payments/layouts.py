"""The bank's file layouts: the transfer file sent to the bank (.xlsx or CSV, full account numbers) and the
return file (回盘文件) the bank sends back with each transfer's outcome.

The transfer file numbers its rows (序号) in the batch's payment order; the return file quotes that number
with the account and the amount, so a line is matched to exactly one payment and checked against it."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from types import SimpleNamespace
from typing import TYPE_CHECKING

from django.http import HttpResponse
from django.utils.translation import gettext as _

from union_portal.audit import audit_record
from union_portal.excel import ExcelFileError, RowError, csv_response, xlsx_response
from union_portal.sheets import cell_text

from .models import Payment, PaymentBatch

if TYPE_CHECKING:
    from union_portal.models import User

SEQ, NAME, ACCOUNT, BANK, AMOUNT, PURPOSE = "序号", "收款人", "收款账号", "开户行", "金额", "用途"
STATUS, BANK_REFERENCE, REASON = "状态", "银行流水号", "失败原因"
PAID_WORDS = {"成功", "已支付", "支付成功", "success", "paid", "s"}
FAILED_WORDS = {"失败", "支付失败", "退票", "failed", "fail", "f"}


def bank_headers(reference_header: str) -> list[str]:
    """The columns of the transfer file; the last one names the paying app's own number (理赔编号, ...)."""
    return [SEQ, NAME, ACCOUNT, BANK, AMOUNT, PURPOSE, reference_header]


def bank_rows(payments: Sequence[Payment]) -> list[list]:
    return [
        [i, p.account_name, p.bank_account, p.bank_name, p.amount, p.purpose, p.reference]
        for i, p in enumerate(payments, start=1)
    ]


def bank_file_response(
    *, by: "User", batch: PaymentBatch, payments: Sequence[Payment], fmt: str, reference_header: str
) -> HttpResponse:
    """The transfer file with full account numbers (the bank needs them), as .xlsx or CSV (UTF-8 with a
    byte-order mark, as Excel expects). Precondition: the caller checked ``by`` may export. Audited as a
    reveal in the paying app's vocabulary."""
    headers, rows = bank_headers(reference_header), bank_rows(payments)
    audit_record(actor=by, action=f"{batch.app_label}.reveal", obj=batch, detail={"export": fmt, "rows": len(rows)})
    if fmt == "xlsx":
        return xlsx_response(f"{batch}.xlsx", headers, rows, title=str(batch))
    return csv_response(f"{batch}.csv", headers, rows)


@dataclass(frozen=True)
class ReturnLine:
    """One line of a return file, matched to its payment."""

    row: int
    payment: Payment
    paid: bool
    bank_reference: str
    reason: str


def _read_return_table(data: bytes):
    """The return file through the one reader (any workbook kind, or CSV in UTF-8 or GBK/GB18030); the
    account column is an identifier: a number cell is refused, never guessed."""
    from union_portal.sheets import Column, Kind, Spec, read_sheet

    spec = Spec(
        columns=(
            Column(SEQ, required=True),
            Column(ACCOUNT, Kind.BANK_ACCOUNT, required=True, synonyms=("账号", "收款人账号")),
            Column(AMOUNT, required=True),
            Column(STATUS, required=True),
            *(Column(name) for name in (NAME, BANK, PURPOSE, BANK_REFERENCE, REASON, "理赔编号", "业务编号")),
        )
    )
    table = read_sheet(data, spec, accept_csv=True)
    if table.errors:
        raise ExcelFileError(str(table.errors[0]))
    return SimpleNamespace(rows=[(n, {k: cell_text(v) for k, v in row.items()}) for n, row in table.rows])


def read_return_file(data: bytes, *, payments: Sequence[Payment]) -> tuple[list[ReturnLine], list[RowError]]:
    """The outcome of each transfer in a bank's return file, matched to ``payments`` (the batch's payments
    in the order of the transfer file). A line whose number, account or amount does not match its payment,
    or whose status is unknown, is an error; the caller refuses the whole file when there is one. Raises
    ExcelFileError when the file as a whole cannot be read."""
    table = _read_return_table(data)
    lines: list[ReturnLine] = []
    errors: list[RowError] = []
    seen: set[int] = set()
    for number, row in table.rows:
        try:
            seq = int(row[SEQ])
        except ValueError:
            seq = 0
        if not 1 <= seq <= len(payments):
            errors.append(RowError(number, SEQ, _("No payment of this batch has this number.")))
            continue
        payment = payments[seq - 1]
        if seq in seen:
            errors.append(RowError(number, SEQ, _("This payment appears twice in the file.")))
            continue
        seen.add(seq)
        if row[ACCOUNT].replace(" ", "") != payment.bank_account:
            errors.append(RowError(number, ACCOUNT, _("The account does not match the transfer file.")))
            continue
        try:
            amount = Decimal(row[AMOUNT].replace(",", ""))
        except InvalidOperation:
            amount = None
        if amount != payment.amount:
            errors.append(RowError(number, AMOUNT, _("The amount does not match the transfer file.")))
            continue
        status = row[STATUS].strip().lower()
        if status in PAID_WORDS:
            reference = row.get(BANK_REFERENCE, "").strip()
            if not reference:
                errors.append(RowError(number, BANK_REFERENCE, _("Give the bank reference.")))
                continue
            lines.append(ReturnLine(number, payment, True, reference, ""))
        elif status in FAILED_WORDS:
            reason = row.get(REASON, "").strip() or _("Failed")
            lines.append(ReturnLine(number, payment, False, "", reason))
        else:
            errors.append(RowError(number, STATUS, _("Write 成功 (paid) or 失败 (failed).")))
    return lines, errors

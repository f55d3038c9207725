"""The tax authority's export of collected funds: every row checked, previewed, then posted whole."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.locks import enterprises_for_update
from members.models import Enterprise
from union_portal import tree
from union_portal.audit import audit_record
from union_portal.excel import RowError
from union_portal.models import User
from union_portal.money import ZERO
from union_portal.scoping import scope_paths
from union_portal.sheets import Column, Kind, Spec, cell_text, read_sheet, template_workbook

from .. import locks
from ..models import FundsCollection, FundsImportBatch, JournalEntry, JournalLine, PayrollDeclaration
from ..permissions import FUNDS_RECORD_ROLES, can_record_for
from ._ledger import _collection_lines, _collection_memo, _Ledger
from .parsing import parse_date, parse_money, parse_period
from .rates import funds_due_for_payroll

COL_USCC = "统一社会信用代码"


COL_NAME = "纳税人名称"


COL_PERIOD = "所属期"


COL_PAYROLL = "工资总额"


COL_AMOUNT = "实缴金额"


COL_DATE = "入库日期"


COL_VOUCHER = "电子税票号码"


# The tax authority's export as offices hand it on: its own headers or the template's, title rows above.
IMPORT_SPEC = Spec(
    title="税务代征",
    columns=(
        Column(COL_USCC, Kind.CREDIT_CODE, required=True, synonyms=("纳税人识别号", "社会信用代码", "信用代码")),
        Column(COL_NAME, synonyms=("纳税人名称（单位名称）", "单位名称", "企业名称")),
        Column(COL_PERIOD, required=True, synonyms=("税款所属期", "所属期间", "所属月份", "费款所属期")),
        Column(COL_PAYROLL, Kind.MONEY, required=True, synonyms=("计费工资总额", "计税工资总额", "计征依据")),
        Column(
            COL_AMOUNT, Kind.MONEY, required=True, synonyms=("实缴（退）金额", "实缴税额", "入库金额", "实缴金额（元）")
        ),
        Column(COL_DATE, Kind.DATE, required=True, synonyms=("缴款日期", "入库时间")),
        Column(COL_VOUCHER, Kind.TAX_VOUCHER, synonyms=("税票号码", "电子缴税凭证号", "税票号")),
    ),
)
IMPORT_REQUIRED = [c.name for c in IMPORT_SPEC.columns if c.required]
IMPORT_OPTIONAL = [c.name for c in IMPORT_SPEC.columns if not c.required]


def funds_import_template() -> bytes:
    """The template of the tax file, from IMPORT_SPEC: identifier columns as text, an instruction sheet."""
    example = ["91330621MA2BXXXXXX", "某某有限公司", "2026-03", Decimal("1000000.00"), Decimal("20000.00")]
    return template_workbook(IMPORT_SPEC, [[*example, dt.date(2026, 4, 15), "3330602260400001"]])


@dataclass
class ImportCheck:
    rows: list[dict] = field(default_factory=list)  # clean rows, as JSON-able text
    errors: list[RowError] = field(default_factory=list)


def _check_import_rows(*, by: User, table_rows: list[tuple[int, dict[str, str]]]) -> ImportCheck:
    """Check every row; collect every problem. No write."""
    result = ImportCheck()
    usccs = {row.get(COL_USCC, "").strip().upper() for _n, row in table_rows}
    paths = scope_paths(by, FUNDS_RECORD_ROLES)
    enterprises = {
        e.uscc: e
        for e in Enterprise.objects.filter(uscc__in=usccs).select_related("township")
        if any(tree.is_within(e.township, p) for p in paths)
    }
    ids = [e.pk for e in enterprises.values()]
    collected = set(
        FundsCollection.objects.filter(enterprise_id__in=ids, status=FundsCollection.Status.POSTED).values_list(
            "enterprise_id", "period"
        )
    )
    declared = {
        (d.enterprise_id, d.period): d.total_payroll for d in PayrollDeclaration.objects.filter(enterprise_id__in=ids)
    }
    vouchers_in_file: set[str] = set()
    keys_in_file: set[tuple[int, dt.date]] = set()
    for number, row in table_rows:
        errors = []
        uscc = row.get(COL_USCC, "").strip().upper()
        enterprise = enterprises.get(uscc)
        if enterprise is None:
            errors.append(
                RowError(number, COL_USCC, _("Unknown enterprise: no enterprise with this credit code in your area."))
            )
        values: dict[str, Any] = {}  # parsed cells: a date or a Decimal by column
        for column, parser in (
            (COL_PERIOD, parse_period),
            (COL_PAYROLL, parse_money),
            (COL_AMOUNT, lambda text: parse_money(text, allow_zero=False)),
            (COL_DATE, parse_date),
        ):
            try:
                values[column] = parser(row.get(column, ""))
            except ValidationError as exc:
                errors.append(RowError(number, column, " ".join(exc.messages)))
        voucher = row.get(COL_VOUCHER, "").strip()
        if voucher:
            if voucher in vouchers_in_file:
                errors.append(RowError(number, COL_VOUCHER, _("This tax voucher number appears twice in the file.")))
            elif FundsCollection.objects.filter(tax_reference=voucher, status=FundsCollection.Status.POSTED).exists():
                errors.append(RowError(number, COL_VOUCHER, _("This tax voucher number has already been recorded.")))
            vouchers_in_file.add(voucher)
        if enterprise is not None and COL_PERIOD in values:
            key = (enterprise.pk, values[COL_PERIOD])
            if key in keys_in_file:
                errors.append(
                    RowError(number, COL_PERIOD, _("The same enterprise and month appear twice in the file."))
                )
            elif key in collected:
                errors.append(
                    RowError(number, COL_PERIOD, _("Funds for this enterprise and month have already been recorded."))
                )
            elif COL_PAYROLL in values and key in declared and declared[key] != values[COL_PAYROLL]:
                errors.append(
                    RowError(
                        number,
                        COL_PAYROLL,
                        _("A payroll of %(declared)s was already declared for this month.")
                        % {"declared": declared[key]},
                    )
                )
            keys_in_file.add(key)
        if errors:
            result.errors.extend(errors)
            continue
        assert enterprise is not None  # an error above otherwise
        result.rows.append(
            {
                "row": number,
                "enterprise": enterprise.pk,
                "enterprise_name": enterprise.name,
                "uscc": uscc,
                "period": values[COL_PERIOD].isoformat(),
                "payroll": str(values[COL_PAYROLL]),
                "amount": str(values[COL_AMOUNT]),
                "collected_on": values[COL_DATE].isoformat(),
                "voucher": voucher,
            }
        )
    return result


def _rows_as_table(rows: list[dict]) -> list[tuple[int, dict[str, str]]]:
    return [
        (
            row["row"],
            {
                COL_USCC: row["uscc"],
                COL_PERIOD: row["period"],
                COL_PAYROLL: row["payroll"],
                COL_AMOUNT: row["amount"],
                COL_DATE: row["collected_on"],
                COL_VOUCHER: row["voucher"],
            },
        )
        for row in rows
    ]


@transaction.atomic
def funds_import_preview(*, by: User, data: bytes, filename: str) -> tuple[FundsImportBatch | None, list[RowError]]:
    """Read the tax authority's export and check every row. With any problem: (None, every problem), nothing
    written. Clean: a previewed batch holding the checked rows, nothing posted yet. ExcelFileError for a
    file that cannot be read at all."""
    if not scope_paths(by, FUNDS_RECORD_ROLES):
        raise PermissionDenied
    table = read_sheet(data, IMPORT_SPEC, name=filename)
    text_rows = [(number, {k: cell_text(v) for k, v in row.items()}) for number, row in table.rows]
    check = _check_import_rows(by=by, table_rows=text_rows)
    refused = {(e.row, e.column) for e in table.errors}  # the reader's word on a cell stands alone
    errors = sorted(
        [*table.errors, *(e for e in check.errors if (e.row, e.column) not in refused)], key=lambda e: e.row
    )
    if errors:
        return None, errors
    batch = FundsImportBatch.objects.create(
        uploaded_by=by,
        filename=filename[:200],
        rows=check.rows,
        row_count=len(check.rows),
        total=sum((Decimal(r["amount"]) for r in check.rows), ZERO),
    )
    audit_record(actor=by, action="funds.import_preview", obj=batch, detail={"rows": batch.row_count})
    return batch, []


@transaction.atomic
def funds_import_post(*, by: User, batch: FundsImportBatch) -> int:
    """Post a previewed batch whole: the batch row and then the enterprises of its rows are locked (SELECT FOR
    UPDATE, in pk order), every row is checked again under those locks (the ledger may have moved since the
    preview), then the missing declarations, the journal entries and lines and the collections are written
    in bulk in this one transaction. Any problem and nothing is posted. A posted batch is not posted again."""
    batch = locks.import_batch_for_update(batch.pk)
    if batch.uploaded_by_id != by.pk:
        raise PermissionDenied
    if batch.status != FundsImportBatch.Status.PREVIEWED:
        raise ValidationError(_("This import has already been posted."))
    ids = sorted({row["enterprise"] for row in batch.rows})
    enterprises = {e.pk: e for e in enterprises_for_update(ids)}
    check = _check_import_rows(by=by, table_rows=_rows_as_table(batch.rows))
    if check.errors:
        raise ValidationError([str(error) for error in check.errors])
    ledger = _Ledger()
    declared = set(PayrollDeclaration.objects.filter(enterprise_id__in=ids).values_list("enterprise_id", "period"))
    declarations, plans = [], []
    for row in check.rows:
        enterprise = enterprises[row["enterprise"]]
        if not can_record_for(by, enterprise):
            raise PermissionDenied
        period = dt.date.fromisoformat(row["period"])
        amount = Decimal(row["amount"])
        if (enterprise.pk, period) not in declared:
            payroll = Decimal(row["payroll"])
            declarations.append(
                PayrollDeclaration(
                    enterprise=enterprise,
                    period=period,
                    total_payroll=payroll,
                    funds_due=funds_due_for_payroll(payroll),
                    source="import",
                    declared_by=by,
                )
            )
            declared.add((enterprise.pk, period))
        district, lines, ratios_json = _collection_lines(
            ledger=ledger, enterprise=enterprise, period=period, amount=amount
        )
        lines = [line for line in lines if line[1] != 0]
        if sum(line[1] for line in lines) != 0:
            raise ValueError("A journal entry needs lines that sum to zero.")
        plans.append((row, enterprise, period, amount, district, lines, ratios_json))
    PayrollDeclaration.objects.bulk_create(declarations, batch_size=1000)
    entries = JournalEntry.objects.bulk_create(
        [
            JournalEntry(
                kind=JournalEntry.Kind.COLLECTION,
                district=district,
                period=period,
                memo=_collection_memo(enterprise, period)[:200],
                ratios=ratios_json,
                posted_by=by,
            )
            for _row, enterprise, period, _amount, district, _lines, ratios_json in plans
        ],
        batch_size=1000,
    )
    JournalLine.objects.bulk_create(
        [
            JournalLine(entry=entry, account=account, amount=line_amount, enterprise=line_enterprise)
            for entry, plan in zip(entries, plans, strict=True)
            for account, line_amount, line_enterprise in plan[5]
        ],
        batch_size=2000,
    )
    FundsCollection.objects.bulk_create(
        [
            FundsCollection(
                enterprise=enterprise,
                period=period,
                amount=amount,
                collected_on=dt.date.fromisoformat(row["collected_on"]),
                tax_reference=row["voucher"],
                is_reserve=enterprise.union is None,
                union=enterprise.union,
                township=enterprise.township,
                source=FundsCollection.Source.IMPORT,
                entry=entry,
                batch=batch,
                recorded_by=by,
            )
            for entry, (row, enterprise, period, amount, _district, _lines, _ratios) in zip(entries, plans, strict=True)
        ],
        batch_size=1000,
    )
    batch.status = FundsImportBatch.Status.POSTED
    batch.posted_at = timezone.now()
    batch.save(update_fields=["status", "posted_at"])
    audit_record(
        actor=by,
        action="funds.import_post",
        obj=batch,
        detail={"rows": len(plans), "declarations": len(declarations), "total": str(batch.total)},
    )
    return len(plans)

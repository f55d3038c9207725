"""Payroll declarations and the union funds the tax authority collected on them: recorded and posted, or reversed."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from members.locks import enterprise_for_update
from members.models import Enterprise
from union_portal.audit import audit_record
from union_portal.models import User
from union_portal.money import is_whole_fen

from .. import locks
from ..models import FundsCollection, FundsImportBatch, JournalEntry, PayrollDeclaration
from ..permissions import can_administer, can_record_for
from ._ledger import _collection_lines, _collection_memo, _Ledger, _post, _reserve_balances, journal_entry_reverse
from .parsing import month_start
from .rates import funds_due_for_payroll


@transaction.atomic
def payroll_declare(
    *, by: User, enterprise: Enterprise, period: dt.date, total_payroll: Decimal, source: str = "manual"
) -> PayrollDeclaration:
    """Record an enterprise's payroll for a month (one per enterprise and month) and the 2% due on it."""
    if not can_record_for(by, enterprise):
        raise PermissionDenied
    period = month_start(period)
    if total_payroll is None or total_payroll < 0:
        raise ValidationError({"total_payroll": _("The payroll must not be negative.")})
    total_payroll = Decimal(total_payroll)
    if not is_whole_fen(total_payroll):
        raise ValidationError({"total_payroll": _("At most two decimal places (fen).")})
    duplicate = ValidationError({"period": _("A payroll for this enterprise and month has already been declared.")})
    if PayrollDeclaration.objects.filter(enterprise=enterprise, period=period).exists():
        raise duplicate
    try:
        with transaction.atomic():
            declaration = PayrollDeclaration.objects.create(
                enterprise=enterprise,
                period=period,
                total_payroll=total_payroll,
                funds_due=funds_due_for_payroll(total_payroll),
                source=source,
                declared_by=by,
            )
    except IntegrityError:
        raise duplicate from None
    audit_record(
        actor=by,
        action="funds.payroll_declare",
        obj=declaration,
        detail={"payroll": str(total_payroll), "due": str(declaration.funds_due)},
    )
    return declaration


@transaction.atomic
def collection_record(
    *,
    by: User,
    enterprise: Enterprise,
    period: dt.date,
    amount: Decimal,
    collected_on: dt.date,
    tax_reference: str = "",
    source: str = FundsCollection.Source.MANUAL,
    batch: FundsImportBatch | None = None,
) -> FundsCollection:
    """Record the funds the tax authority collected for an enterprise and month, and post them.

    Locks the enterprise row (SELECT FOR UPDATE): whether the amount is allocated (the enterprise has a
    union) or held as its founding reserve at the township is decided under the same lock the hand-over
    takes, so no reserve is posted after the hand-over has read the balance."""
    enterprise = enterprise_for_update(enterprise.pk)
    if not can_record_for(by, enterprise):
        raise PermissionDenied
    period = month_start(period)
    amount = Decimal(amount)
    if amount <= 0:
        raise ValidationError({"amount": _("The amount collected must be more than zero.")})
    if not is_whole_fen(amount):
        raise ValidationError({"amount": _("At most two decimal places (fen).")})
    if FundsCollection.objects.filter(
        enterprise=enterprise, period=period, status=FundsCollection.Status.POSTED
    ).exists():
        raise ValidationError(
            {
                "period": _(
                    "Funds for this enterprise and month have already been recorded. Reverse them first to correct them."
                )
            }
        )
    tax_reference = (tax_reference or "").strip()
    if (
        tax_reference
        and FundsCollection.objects.filter(tax_reference=tax_reference, status=FundsCollection.Status.POSTED).exists()
    ):
        raise ValidationError({"tax_reference": _("This tax voucher number has already been recorded.")})
    district, lines, ratios_json = _collection_lines(
        ledger=_Ledger(), enterprise=enterprise, period=period, amount=amount
    )
    entry = _post(
        kind=JournalEntry.Kind.COLLECTION,
        district=district,
        period=period,
        memo=_collection_memo(enterprise, period),
        lines=lines,
        by=by,
        ratios=ratios_json,
    )
    collection = FundsCollection.objects.create(
        enterprise=enterprise,
        period=period,
        amount=amount,
        collected_on=collected_on,
        tax_reference=tax_reference,
        is_reserve=enterprise.union is None,
        union=enterprise.union,
        township=enterprise.township,
        source=source,
        entry=entry,
        batch=batch,
        recorded_by=by,
    )
    audit_record(
        actor=by,
        action="funds.collection_record",
        obj=collection,
        detail={"amount": str(amount), "reserve": collection.is_reserve, "entry": entry.pk},
    )
    return collection


@transaction.atomic
def collection_reverse(*, by: User, collection: FundsCollection, reason: str) -> JournalEntry:
    """Reverse a posted collection: its journal entry gets a reversing entry and the collection is marked
    reversed, so the month can be recorded again. Locks the enterprise, then the collection. A founding
    reserve already handed over cannot be reversed here (the reserve no longer holds it)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the reversal.")})
    enterprise = enterprise_for_update(collection.enterprise_id)
    collection = locks.collection_for_update(collection.pk)
    if not can_administer(by, enterprise.township):
        raise PermissionDenied
    if collection.status != FundsCollection.Status.POSTED:
        raise ValidationError(_("This collection has already been reversed."))
    if collection.is_reserve and sum(_reserve_balances(enterprise).values(), Decimal(0)) < collection.amount:
        raise ValidationError(
            _("The founding reserve of this enterprise has already been handed over; it cannot be reversed here.")
        )
    reversal = journal_entry_reverse(by=by, entry=collection.entry, memo=reason)
    collection.status = FundsCollection.Status.REVERSED
    collection.reversed_reason = reason[:200]
    collection.save(update_fields=["status", "reversed_reason", "updated_at"])
    audit_record(actor=by, action="funds.collection_reverse", obj=collection, detail={"reason": reason})
    return reversal

"""Every write of the payment-batch capability. The paying app checks who may act, locks its own paying
objects first (in primary-key order) and keeps their state in step; these functions keep the batch and the
payments, and write the audit rows in the paying app's vocabulary (``<app_label>.batch_create``)."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from union_portal.audit import audit_record
from union_portal.validators import looks_like_formula

from .models import Payment, PaymentBatch

if TYPE_CHECKING:
    from union_portal.models import User


@dataclass(frozen=True)
class PaymentItem:
    """What to pay for one paying object."""

    payer: models.Model
    amount: Decimal
    account_name: str
    bank_account: str
    bank_name: str
    purpose: str = ""
    reference: str = ""


def _refuse_formula_text(items: Sequence[PaymentItem]) -> None:
    """The bank file must carry the payee's name as the bank holds it, so it cannot be escaped the way the
    other exports escape text a spreadsheet could take for a formula; such a value is refused before the
    batch is built, naming the payment to correct."""
    for item in items:
        for value in (item.account_name, item.bank_name, item.purpose, item.reference):
            if looks_like_formula(value):
                raise ValidationError(
                    _(
                        "The payee name or bank of %(reference)s begins with “%(char)s”, which a spreadsheet "
                        "would take for a formula; correct it on the record before it goes into a bank file."
                    )
                    % {"reference": item.reference or item.account_name, "char": value[:1].strip() or _("a blank")},
                    code="formula",
                )


@transaction.atomic
def batch_create(
    *, by: "User", org, app_label: str, items: Sequence[PaymentItem], now: dt.datetime | None = None
) -> PaymentBatch:
    """A new open batch of one pending payment per item, made at ``now`` (default now). Precondition: the caller holds the locks of the
    paying objects (SELECT FOR UPDATE, pk order) and checked they are payable; the partial unique constraint
    refuses a paying object that already has a pending or paid payment."""
    if not items:
        raise ValidationError(_("There is nothing to pay."), code="empty")
    _refuse_formula_text(items)
    batch = PaymentBatch.objects.create(org=org, app_label=app_label, created_by=by)
    if now is not None:  # created_at is set on insert (auto_now_add)
        PaymentBatch.objects.filter(pk=batch.pk).update(created_at=now)
        batch.created_at = now
    types = {}
    payments = []
    for item in items:
        model = type(item.payer)
        if model not in types:
            types[model] = ContentType.objects.get_for_model(model)
        payments.append(
            Payment(
                batch=batch,
                payer_type=types[model],
                payer_id=item.payer.pk,
                amount=item.amount,
                account_name=item.account_name[:50],
                bank_account=item.bank_account,
                bank_name=item.bank_name[:50],
                purpose=item.purpose[:50],
                reference=item.reference[:40],
            )
        )
    Payment.objects.bulk_create(payments)
    # Amounts are already in fen: their sum is exact, nothing to round.
    batch.total = sum((item.amount for item in items), Decimal("0.00"))
    batch.save(update_fields=["total"])
    audit_record(
        actor=by,
        action=f"{app_label}.batch_create",
        obj=batch,
        detail={"payments": len(payments), "total": str(batch.total)},
    )
    return batch


def payment_record_paid(*, by: "User", payment: Payment, reference: str, now: dt.datetime | None = None) -> Payment:
    """The bank transferred the money. Precondition: ``payment`` comes from ``payment_for_update`` in the
    caller's transaction. The partial unique constraint keeps a paying object paid once, ever."""
    reference = (reference or "").strip()
    if not reference:
        raise ValidationError({"reference": _("Give the bank reference.")})
    payment.status = Payment.Status.PAID
    payment.bank_reference = reference[:60]
    payment.decided_by = by
    payment.decided_at = now or timezone.now()
    payment.save()
    batch_close_if_done(payment.batch)
    return payment


def payment_record_failed(*, by: "User", payment: Payment, reason: str, now: dt.datetime | None = None) -> Payment:
    """The transfer failed (e.g. wrong account). Precondition as for ``payment_record_paid``. The paying
    object may go into a later batch once its account is corrected."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason the payment failed.")})
    payment.status = Payment.Status.FAILED
    payment.failure_reason = reason[:200]
    payment.decided_by = by
    payment.decided_at = now or timezone.now()
    payment.save()
    batch_close_if_done(payment.batch)
    return payment


def batch_close_if_done(batch: PaymentBatch) -> None:
    if not batch.payments.filter(status=Payment.Status.PENDING).exists():
        PaymentBatch.objects.filter(pk=batch.pk).update(status=PaymentBatch.Status.CLOSED)

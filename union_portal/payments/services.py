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

from . import bankfile
from .models import BankLayout, Payment, PaymentBatch, PaymentSetting
from .selectors import default_layout_for

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
    branch_code: str = ""


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


def refuse_unwritable(
    layout: BankLayout | None, items: Sequence[bankfile.PaymentLike], *, reference_header: str = ""
) -> None:
    """Refuse, before anything is built, items the layout's bank file could not carry exactly (a name its
    encoding lacks, such as 𠮷 in GBK; a name too long; an account not digits only): ValidationError listing
    every row (its 序号 in the batch) and column."""
    spec = layout.spec() if layout else bankfile.GENERIC
    errors = bankfile.check_payments(spec, items, reference_header=reference_header or "业务编号")
    if errors:
        raise ValidationError([str(error) for error in errors], code="bank_file")


@transaction.atomic
def batch_create(
    *,
    by: "User",
    org,
    app_label: str,
    items: Sequence[PaymentItem],
    now: dt.datetime | None = None,
    reference_header: str = "",
) -> PaymentBatch:
    """A new open batch of one pending payment per item, made at ``now`` (default now), in the paying
    union's default bank file layout (``default_layout_for``): items that layout cannot carry are refused
    before anything is written (``refuse_unwritable``). Payee names are stored in NFC. Precondition: the
    caller holds the locks of the paying objects (SELECT FOR UPDATE, pk order) and checked they are payable;
    the partial unique constraint refuses a paying object that already has a pending or paid payment."""
    if not items:
        raise ValidationError(_("There is nothing to pay."), code="empty")
    _refuse_formula_text(items)
    layout = default_layout_for(org=org)
    refuse_unwritable(layout, items, reference_header=reference_header)
    batch = PaymentBatch.objects.create(org=org, app_label=app_label, created_by=by, layout=layout)
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
                account_name=bankfile.nfc(item.account_name),
                bank_account=item.bank_account,
                bank_name=item.bank_name[:50],
                branch_code=item.branch_code[:20],
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
        detail={"payments": len(payments), "total": str(batch.total), "layout": str(layout or bankfile.GENERIC.name)},
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


@transaction.atomic
def batch_set_layout(
    *, by: "User", batch: PaymentBatch, layout: BankLayout, payments: Sequence[Payment], reference_header: str = ""
) -> PaymentBatch:
    """Write the open batch's bank file in another layout. Refused when the batch is closed or when a
    payment cannot be written in that layout (rows named). Precondition: the caller checked ``by`` may pay.
    Audited in the paying app's vocabulary."""
    if batch.status != PaymentBatch.Status.OPEN:
        raise ValidationError(_("The batch is closed; its bank file no longer changes."), code="closed")
    if not layout.is_active:
        raise ValidationError(_("This layout is not in use."), code="inactive")
    refuse_unwritable(layout, payments, reference_header=reference_header)
    before = str(batch.layout or bankfile.GENERIC.name)
    batch.layout = layout
    batch.save(update_fields=["layout"])
    audit_record(
        actor=by, action=f"{batch.app_label}.batch_layout", obj=batch, detail={"from": before, "to": str(layout)}
    )
    return batch


LAYOUT_FIELDS = (
    "name",
    "bank",
    "file_format",
    "encoding",
    "header_row",
    "columns",
    "summary",
    "purpose_template",
    "return_status_header",
    "return_reference_header",
    "return_reason_header",
    "is_active",
    "source_note",
)


@transaction.atomic
def layout_save(*, by: "User", layout: BankLayout | None, data: dict) -> BankLayout:
    """Create a layout (``layout`` None) or change one from ``data`` (the keys of LAYOUT_FIELDS). The layout
    is checked whole before it is saved (``BankLayout.check_shape``: ValidationError in Chinese). A change to
    what the bank receives makes a verified layout unverified again. The generic layout stays in use.
    Precondition: the caller checked ``by`` may manage layouts. Audited with the fields changed (and the
    columns before and after)."""
    creating = layout is None
    if layout is None:
        layout = BankLayout()
    else:
        layout = BankLayout.objects.select_for_update().get(pk=layout.pk)
    before = {name: getattr(layout, name) for name in LAYOUT_FIELDS}
    for name in LAYOUT_FIELDS:
        if name in data:
            setattr(layout, name, data[name])
    if layout.is_generic:
        layout.is_active = True
    changed = [name for name in LAYOUT_FIELDS if getattr(layout, name) != before[name]]
    if not creating and not changed:
        return layout
    unverified = layout.is_verified and any(name in BankLayout.SHAPE_FIELDS for name in changed)
    if unverified:
        layout.verified_at = None
        layout.verified_by = None
        layout.verified_note = ""
    layout.updated_by = by
    layout.save()
    detail: dict = {"changed": changed, "unverified": unverified}
    if "columns" in changed and not creating:
        detail["columns_before"] = before["columns"]
        detail["columns_after"] = layout.columns
    audit_record(
        actor=by, action="payments.layout_create" if creating else "payments.layout_update", obj=layout, detail=detail
    )
    return layout


@transaction.atomic
def layout_mark_verified(*, by: "User", layout: BankLayout, note: str, now: dt.datetime | None = None) -> BankLayout:
    """A real file in this layout was accepted by the bank (``note`` says which and when): the layout is
    verified by ``by`` at ``now``. Precondition: the caller checked ``by`` may manage layouts. Audited."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say which file the bank accepted, and when.")})
    layout = BankLayout.objects.select_for_update().get(pk=layout.pk)
    layout.verified_by = by
    layout.verified_at = now or timezone.now()
    layout.verified_note = note[:200]
    layout.save(update_fields=["verified_by", "verified_at", "verified_note", "updated_at"])
    audit_record(actor=by, action="payments.layout_verify", obj=layout, detail={"note": layout.verified_note})
    return layout


@transaction.atomic
def setting_save(
    *, by: "User", org, default_layout: BankLayout, payer_account: str = "", payer_name: str = ""
) -> PaymentSetting:
    """The paying union's default layout and its own account. Precondition: the caller checked ``by`` pays
    for ``org``. Audited (the account masked by the audit log)."""
    payer_account = "".join((payer_account or "").split())
    if payer_account and not bankfile.ACCOUNT_RE.match(payer_account):
        raise ValidationError({"payer_account": _("The account must be digits only (0-9).")})
    if not default_layout.is_active:
        raise ValidationError({"default_layout": _("This layout is not in use.")})
    setting, _created = PaymentSetting.objects.select_for_update().get_or_create(
        org=org, defaults={"default_layout": default_layout, "updated_by": by}
    )
    setting.default_layout = default_layout
    setting.payer_account = payer_account
    setting.payer_name = (payer_name or "").strip()[:60]
    setting.updated_by = by
    setting.save()
    audit_record(
        actor=by,
        action="payments.setting_update",
        obj=setting,
        detail={"layout": str(default_layout), "payer_account": payer_account, "payer_name": setting.payer_name},
    )
    return setting

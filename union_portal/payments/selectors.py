"""Reads of the payment-batch capability."""

from django.db.models import QuerySet

from union_portal.tree import ancestor_paths

from .models import BankLayout, Payment, PaymentBatch, PaymentSetting


def batches_of(*, app_label: str) -> QuerySet[PaymentBatch]:
    return PaymentBatch.objects.filter(app_label=app_label)


def batch_payments(*, batch: PaymentBatch) -> QuerySet[Payment]:
    """The batch's payments in the order of its transfer file (its 序号)."""
    return batch.payments.order_by("id")


def layout_list(*, active_only: bool = False) -> QuerySet[BankLayout]:
    """The bank file layouts (district-wide data, shared by every paying union), the generic one first."""
    qs = BankLayout.objects.select_related("verified_by", "updated_by")
    return qs.filter(is_active=True) if active_only else qs


def generic_layout() -> BankLayout | None:
    return BankLayout.objects.filter(is_generic=True).first()


def setting_for(*, org) -> PaymentSetting | None:
    """The payment setting of ``org`` or of its nearest ancestor that has one."""
    return (
        PaymentSetting.objects.filter(org__path__in=ancestor_paths(org, include_self=True))
        .select_related("default_layout", "org")
        .order_by("-org__depth")
        .first()
    )


def default_layout_for(*, org) -> BankLayout | None:
    """The layout a new batch of ``org`` takes: its (or its nearest ancestor's) default, else the generic."""
    setting = setting_for(org=org)
    if setting and setting.default_layout.is_active:
        return setting.default_layout
    return generic_layout()


def preview_payments(*, user, limit: int = 5) -> list:
    """The first payments of the newest batch the user may see (finance, district admin), for a layout's
    preview; none when there is no batch (the preview then uses ``bankfile.SAMPLE_PAYMENTS``)."""
    from union_portal.roles import Role
    from union_portal.scoping import scope

    batch = (
        scope(PaymentBatch.objects.all(), user, roles=[Role.FINANCE, Role.DISTRICT_ADMIN])
        .order_by("-created_at")
        .first()
    )
    if batch is None:
        return []
    return list(batch_payments(batch=batch)[:limit])

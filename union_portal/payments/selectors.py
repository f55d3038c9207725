"""Reads of the payment-batch capability."""

from django.db.models import QuerySet

from .models import Payment, PaymentBatch


def batches_of(*, app_label: str) -> QuerySet[PaymentBatch]:
    return PaymentBatch.objects.filter(app_label=app_label)


def batch_payments(*, batch: PaymentBatch) -> QuerySet[Payment]:
    """The batch's payments in the order of its transfer file (its 序号)."""
    return batch.payments.order_by("id")

"""Tables of the payment-batch capability. Registered with the core app through ``union_portal.models``."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from union_portal.crypto import EncryptedTextField, mask_account
from union_portal.money import MONEY


class PaymentBatch(models.Model):
    """Payments of one app sent to the bank together. ``app_label`` names the paying app: its pages
    (``<app_label>:batch_detail``) and its audit actions (``<app_label>.batch_create``)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    org = models.ForeignKey("union_portal.OrgUnit", on_delete=models.PROTECT, related_name="+")  # the paying union
    app_label = models.CharField(_("paid by"), max_length=40)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    total = models.DecimalField(_("total"), default=0, **MONEY)

    SCOPE_ORG = "org"

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["app_label", "created_at"], name="paymentbatch_app_idx")]
        verbose_name = _("payment batch")
        verbose_name_plural = _("payment batches")

    def __str__(self) -> str:
        return f"PB{self.pk:05d}"

    def get_absolute_url(self) -> str:
        return reverse(f"{self.app_label}:batch_detail", args=[self.pk])


class PaymentStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("money paid out", "Pending")
    PAID = "paid", pgettext_lazy("money paid out", "Paid")
    FAILED = "failed", _("Failed")


class Payment(models.Model):
    """One transfer to one payee in one batch, for one paying object. The partial unique constraints mean a
    paying object has at most one pending-or-paid payment and at most one paid payment, ever; a failed one
    lets a later batch retry."""

    Status = PaymentStatus

    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="payments")
    payer_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    payer_id = models.PositiveBigIntegerField()
    payer = GenericForeignKey("payer_type", "payer_id")
    amount = models.DecimalField(_("amount"), **MONEY)
    account_name = models.CharField(_("account holder"), max_length=50)
    bank_account = EncryptedTextField(_("bank account"))
    bank_name = models.CharField(_("bank"), max_length=50)
    purpose = models.CharField(_("purpose"), max_length=50, blank=True)  # 用途 on the bank file
    reference = models.CharField(_("our reference"), max_length=40, blank=True)  # e.g. the claim number
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    bank_reference = models.CharField(_("bank reference"), max_length=60, blank=True)
    failure_reason = models.CharField(_("failure reason"), max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    SCOPE_ORG = "batch__org"

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["payer_type", "payer_id"], name="payment_payer_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["payer_type", "payer_id"],
                condition=Q(status__in=[PaymentStatus.PENDING, PaymentStatus.PAID]),
                name="one_live_payment_per_payer",
            ),
            models.UniqueConstraint(
                fields=["payer_type", "payer_id"], condition=Q(status=PaymentStatus.PAID), name="payer_paid_once"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self) -> str:
        return f"{self.batch} · {self.reference or self.payer_id}"

    @property
    def bank_account_masked(self) -> str:
        return mask_account(self.bank_account)

"""Tables of the payment-batch capability. Registered with the core app through ``union_portal.models``."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from union_portal.crypto import EncryptedTextField, mask_account
from union_portal.money import MONEY

from . import bankfile


class BankLayout(models.Model):
    """A bank's transfer-file layout, kept as data and edited by finance: the columns in order (JSON, checked
    by ``bankfile.layout_problems`` on every save), the file format and text encoding, the header row, the
    summary line, the purpose text, and the header texts of the bank's own return file. "Unverified" until a
    real file from that bank was tested (``verified_by``/``verified_at``); changing what the file looks like
    makes it unverified again."""

    class FileFormat(models.TextChoices):
        CSV = bankfile.CSV, "CSV"
        XLSX = bankfile.XLSX, _("Excel (.xlsx)")

    class Encoding(models.TextChoices):
        UTF8 = bankfile.UTF8_BOM, _("UTF-8 (with BOM)")
        GBK = bankfile.GBK, "GBK"
        GB18030 = bankfile.GB18030, "GB18030"

    class Summary(models.TextChoices):
        NONE = bankfile.SUMMARY_NONE, _("No summary line")
        FIRST = bankfile.SUMMARY_FIRST, _("Summary line before the header (CSV)")
        LAST = bankfile.SUMMARY_LAST, _("Summary line after the last payment")

    name = models.CharField(_("name"), max_length=60, unique=True)
    bank = models.CharField(_("bank"), max_length=60)
    file_format = models.CharField(_("file format"), max_length=4, choices=FileFormat.choices)
    encoding = models.CharField(_("text encoding"), max_length=10, choices=Encoding.choices, default=Encoding.GBK)
    header_row = models.BooleanField(_("header row"), default=True)
    columns = models.JSONField(_("columns"), default=list)
    summary = models.CharField(_("summary line"), max_length=5, choices=Summary.choices, default=Summary.NONE)
    purpose_template = models.CharField(
        _("purpose text"), max_length=60, default="{purpose}", help_text=_("May use {purpose}, {reference}, {batch}.")
    )
    return_status_header = models.CharField(_("return file: status column"), max_length=30, blank=True)
    return_reference_header = models.CharField(_("return file: bank reference column"), max_length=30, blank=True)
    return_reason_header = models.CharField(_("return file: failure reason column"), max_length=30, blank=True)
    is_generic = models.BooleanField(_("the portal's generic layout"), default=False, editable=False)
    is_active = models.BooleanField(_("in use"), default=True)
    source_note = models.TextField(_("where the layout comes from"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_note = models.CharField(_("how it was verified"), max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # What the bank receives: a change to any of these makes a verified layout unverified again.
    SHAPE_FIELDS = ("file_format", "encoding", "header_row", "columns", "summary", "purpose_template")

    class Meta:
        ordering = ["-is_generic", "bank", "name"]
        constraints = [
            models.UniqueConstraint(fields=["is_generic"], condition=Q(is_generic=True), name="one_generic_layout")
        ]
        verbose_name = _("bank file layout")
        verbose_name_plural = _("bank file layouts")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.check_shape()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("payments:layout_edit", args=[self.pk])

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    def check_shape(self) -> None:
        """Refuse a layout the file builder could not use (ValidationError, in Chinese, per problem)."""
        columns, problems = bankfile.columns_from_data(self.columns)
        if not problems:
            problems = bankfile.layout_problems(self.spec(columns))
        if problems:
            raise ValidationError({"columns": problems})

    def spec(self, columns: list[bankfile.Column] | None = None) -> bankfile.LayoutSpec:
        if columns is None:
            columns, _problems = bankfile.columns_from_data(self.columns)
        return bankfile.LayoutSpec(
            name=self.name,
            columns=tuple(columns),
            file_format=self.file_format,
            encoding=self.encoding,
            header_row=self.header_row,
            summary=self.summary,
            purpose_template=self.purpose_template,
            return_status_header=self.return_status_header,
            return_reference_header=self.return_reference_header,
            return_reason_header=self.return_reason_header,
        )


class PaymentSetting(models.Model):
    """A paying union's bank settings: its default layout (a new batch takes the nearest one up the tree,
    else the generic layout) and its own account, which some layouts name on every line."""

    org = models.OneToOneField("union_portal.OrgUnit", on_delete=models.CASCADE, related_name="+")
    default_layout = models.ForeignKey(
        BankLayout, on_delete=models.PROTECT, related_name="+", verbose_name=_("default bank file layout")
    )
    payer_account = models.CharField(_("our account number"), max_length=40, blank=True)
    payer_name = models.CharField(_("our account name"), max_length=60, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["org_id"]
        verbose_name = _("payment setting")
        verbose_name_plural = _("payment settings")

    def __str__(self) -> str:
        return f"{self.org} · {self.default_layout}"


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
    # The layout its bank file is written in (the paying union's default when it was built; finance may
    # choose another while the batch is open). Null for batches older than the layouts: the generic one.
    layout = models.ForeignKey(
        BankLayout,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bank file layout"),
    )

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
    branch_code = models.CharField(_("branch code (联行号)"), max_length=20, blank=True)
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

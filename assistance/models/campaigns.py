"""Help campaigns (元旦春节送温暖, 金秋助学, 医疗救助, 生活救助), their recipients and sign-off sheets.

A campaign belongs to the union whose funds pay it (the district by default); its budget is posted to the funds
ledger as spending when the campaign is created. Its eligibility rules and amounts by category are data
(``rules``, checked by ``assistance.rules_campaigns.rules_problems``). Recipients are proposed from the open
files of the union's subtree, adjusted by staff with reasons, approved by a second person, then paid by bank
batch (the core's payment batches, the recipient row is the paying object) or handed over as goods against a
signed sign-off sheet (签收表) per grassroots union."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from union_portal.money import MONEY
from union_portal.uploads import RandomUploadTo

from .choices import Category

__all__ = ["CampaignKind", "CampaignStatus", "Stage", "Campaign", "RecipientStatus", "Recipient", "SignOffSheet"]


class CampaignKind(models.TextChoices):
    SPRING_FESTIVAL = "spring_festival", _("New Year and Spring Festival warmth")
    EDUCATION = "education", _("Golden autumn education grant")
    MEDICAL = "medical", _("Medical assistance")
    LIVING = "living", _("Living assistance")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("List being prepared")
    SUBMITTED = "submitted", _("Waiting for approval")
    RETURNED = "returned", _("Returned with comments")
    APPROVED = "approved", _("Approved, being paid or handed over")
    CLOSED = "closed", _("Closed")


class Stage(models.TextChoices):
    """The stage of education a 金秋助学 grant is for (once per child per stage)."""

    UNIVERSITY = "university", _("University")
    VOCATIONAL = "vocational", _("Vocational school")


class Campaign(models.Model):
    Kind = CampaignKind
    Status = CampaignStatus

    class Delivery(models.TextChoices):
        CASH = "cash", _("Cash by bank transfer")
        GOODS = "goods", _("Goods against signature")

    name = models.CharField(_("campaign name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    org = models.ForeignKey(
        "union_portal.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("paying union")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    delivery = models.CharField(_("given as"), max_length=10, choices=Delivery.choices, default=Delivery.CASH)
    goods = models.CharField(_("goods"), max_length=200, blank=True)
    budget = models.DecimalField(_("budget"), **MONEY)
    # Eligible categories, amounts by category, and the kind's own rules (rules_campaigns.default_rules).
    rules = models.JSONField(_("rules"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Who built the list and who changed it last: neither may approve it.
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    return_comment = models.TextField(_("comments on return"), max_length=2000, blank=True)
    funds_entry_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    SCOPE_ORG = "org"

    class Meta:
        ordering = ["-year", "-created_at", "-id"]
        indexes = [models.Index(fields=["org", "year"], name="assist_campaign_org_year_idx")]
        constraints = [models.CheckConstraint(condition=Q(budget__gte=0), name="assistance_campaign_budget_ge_0")]
        verbose_name = _("help campaign")
        verbose_name_plural = _("help campaigns")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("assistance:campaign_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in (CampaignStatus.DRAFT, CampaignStatus.RETURNED)


class RecipientStatus(models.TextChoices):
    PROPOSED = "proposed", _("On the list")
    REMOVED = "removed", _("Removed from the list")
    IN_BATCH = "in_batch", _("In a payment batch")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Payment failed")
    HANDED_OVER = "handed_over", _("Handed over")


class Recipient(models.Model):
    """One household (file) on a campaign's list; for 金秋助学 one child of it (``child_id_hash``, ``stage``).
    A removed row stays, with its reason, and no longer counts for the constraints."""

    Status = RecipientStatus

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="recipients")
    file = models.ForeignKey("assistance.HardshipFile", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("worker"))
    # The worker's grassroots union (the file's): staff of its subtree see the row.
    org = models.ForeignKey(
        "union_portal.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("grassroots union")
    )
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    child = models.ForeignKey(
        "assistance.FilePerson", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    child_name = models.CharField(_("child"), max_length=50, blank=True)
    child_id_hash = models.CharField(max_length=64, blank=True, editable=False, default="")
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, blank=True)
    amount = models.DecimalField(_("amount"), **MONEY)
    proposed_amount = models.DecimalField(_("amount by the rules"), **MONEY)
    working = models.JSONField(_("working"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED)
    note = models.CharField(_("reason for a change"), max_length=500, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sheet = models.ForeignKey(
        "assistance.SignOffSheet", on_delete=models.SET_NULL, null=True, blank=True, related_name="recipients"
    )
    paid_at = models.DateTimeField(_("paid or handed over at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    SCOPE_ORG = "org"
    SCOPE_OWNER = "member__user"

    class Meta:
        ordering = ["campaign", "org__path", "member__name", "id"]
        indexes = [models.Index(fields=["campaign", "status"], name="assist_recipient_status_idx")]
        constraints = [
            # Nobody paid twice for one campaign: one live row per file (per child for 金秋助学).
            models.UniqueConstraint(
                fields=["campaign", "file", "child_id_hash"],
                condition=~Q(status="removed"),
                name="assistance_recipient_once_per_campaign",
            ),
            # No child gets the 金秋助学 grant twice for the same stage, in any year.
            models.UniqueConstraint(
                fields=["child_id_hash", "stage"],
                condition=~Q(status="removed") & ~Q(stage=""),
                name="assistance_education_once_per_child_stage",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="assistance_recipient_amount_ge_0"),
            models.CheckConstraint(
                condition=Q(stage="") | ~Q(child_id_hash=""), name="assistance_recipient_stage_has_child"
            ),
        ]
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")

    def __str__(self) -> str:
        return f"{self.campaign} · {self.member}"


class SignOffSheet(models.Model):
    """The sign-off sheet (签收表) of one grassroots union's recipients of a goods campaign: printed, signed by
    each recipient, uploaded; the upload marks its recipients handed over."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="sheets")
    org = models.ForeignKey(
        "union_portal.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("grassroots union")
    )
    file = models.FileField(
        _("signed sheet"), upload_to=RandomUploadTo("assistance/signoff"), max_length=200, blank=True
    )
    handed_over_on = models.DateField(_("handed over on"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_ORG = "org"

    class Meta:
        ordering = ["campaign", "org__path"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "org"], name="assistance_one_sheet_per_unit"),
        ]
        verbose_name = _("sign-off sheet")
        verbose_name_plural = _("sign-off sheets")

    def __str__(self) -> str:
        return f"{self.campaign} · {self.org}"

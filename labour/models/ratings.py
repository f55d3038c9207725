"""Harmonious labour-relations enterprise rating batches (和谐劳动关系企业创建).

A batch (第五批市级) is run by the district with its indicators (weight and threshold each, data the district
admin edits). An enterprise's grassroots handler files a self-assessment (``RatingApplication``) with figures and
evidence; the portal adds the facts it knows (collective contract, workers' congress, serious disputes) when it is
submitted. Township review, district review (the core's ``ReviewStep``), public notice (the core's
``PublicNotice``), naming for a term. The named application *is* the title: ``named_on`` to ``term_ends_on``,
ended early by a withdrawal (``withdrawn_on``) or by a re-rating that names the enterprise again."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from union_portal.uploads import RandomUploadTo

__all__ = [
    "RatingLevel",
    "IndicatorKey",
    "RatingBatch",
    "RatingIndicator",
    "RatingStatus",
    "RatingApplication",
    "RatingEvidence",
]


class RatingLevel(models.TextChoices):
    DISTRICT = "district", _("District level")
    CITY = "city", _("City level")
    PROVINCE = "province", _("Province level")


class IndicatorKey(models.TextChoices):
    CONTRACT_RATE = "contract_rate", _("Labour-contract signing rate")
    INSURANCE_RATE = "insurance_rate", _("Social insurance coverage")
    WAGES_ON_TIME = "wages_on_time", _("Wages paid on time")
    COLLECTIVE_CONTRACT = "collective_contract", _("A collective contract in force")
    CONGRESS = "congress", _("A workers' congress held in the period")
    SAFETY = "safety", _("No serious safety accident")
    NO_DISPUTE = "no_dispute", _("No serious dispute or group case in the period")


class RatingBatch(models.Model):
    """One rating campaign of the district (or a district round of a city/province batch)."""

    org = models.ForeignKey(
        "union_portal.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("run by")
    )
    title = models.CharField(_("title"), max_length=200)
    level = models.CharField(_("level"), max_length=10, choices=RatingLevel.choices, default=RatingLevel.DISTRICT)
    period_start = models.DateField(_("assessment period from"))
    period_end = models.DateField(_("assessment period until"))
    apply_by = models.DateField(_("self-assessments due by"))
    pass_score = models.DecimalField(_("pass score"), max_digits=5, decimal_places=2, default=80)
    term_years = models.PositiveSmallIntegerField(_("term of the title (years)"), default=3)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    SCOPE_ORG = "org"

    class Meta:
        ordering = ["-period_end", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="labour_rating_period_order"),
            models.CheckConstraint(condition=Q(term_years__gte=1), name="labour_rating_term_positive"),
        ]
        verbose_name = _("rating batch")
        verbose_name_plural = _("rating batches")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("labour:rating_batch_detail", args=[self.pk])


class RatingIndicator(models.Model):
    """An indicator of a batch: ``weight`` points when met; a rate is met at ``threshold`` percent or more; a
    ``required`` indicator must be met for the enterprise to pass at all."""

    batch = models.ForeignKey(RatingBatch, on_delete=models.CASCADE, related_name="indicators")
    key = models.CharField(_("indicator"), max_length=30, choices=IndicatorKey.choices)
    weight = models.PositiveSmallIntegerField(_("weight (points)"))
    threshold = models.DecimalField(
        _("threshold (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )  # rates only
    required = models.BooleanField(_("must be met"), default=True)

    SCOPE_ORG = "batch__org"

    class Meta:
        ordering = ["batch", "id"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "key"], name="labour_rating_indicator_once"),
            models.CheckConstraint(
                condition=Q(threshold__isnull=True) | Q(threshold__gte=0) & Q(threshold__lte=100),
                name="labour_rating_threshold_percent",
            ),
        ]
        verbose_name = _("rating indicator")
        verbose_name_plural = _("rating indicators")

    def __str__(self) -> str:
        return self.get_key_display()


class RatingStatus(models.TextChoices):
    DRAFT = "draft", _("Self-assessment being prepared")
    TOWNSHIP_REVIEW = "township_review", _("Township review")
    DISTRICT_REVIEW = "district_review", _("District review")
    RETURNED = "returned", _("Returned for changes")
    PASSED = "passed", _("Passed review, awaiting public notice")
    NOTICE = "notice", _("On public notice")
    NAMED = "named", _("Named")
    NOT_NAMED = "not_named", _("Not named")
    EXPIRED = "expired", _("Term ended")
    WITHDRAWN = "withdrawn", _("Title withdrawn")


class RatingApplication(models.Model):
    """An enterprise's self-assessment in a batch and, once named, its title."""

    Status = RatingStatus

    batch = models.ForeignKey(RatingBatch, on_delete=models.PROTECT, related_name="applications")
    enterprise = models.ForeignKey(
        "members.Enterprise", on_delete=models.PROTECT, related_name="+", verbose_name=_("enterprise")
    )
    # The enterprise's grassroots union: its handler files the self-assessment; scoping runs through it.
    org = models.ForeignKey(
        "union_portal.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("grassroots union")
    )
    status = models.CharField(_("status"), max_length=20, choices=RatingStatus.choices, default=RatingStatus.DRAFT)
    # The enterprise's own figures (percent), checked against the evidence by the reviewers.
    contract_rate = models.DecimalField(
        _("labour-contract signing rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    insurance_rate = models.DecimalField(
        _("social insurance coverage (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    wages_on_time = models.BooleanField(_("wages paid on time throughout the period"), default=False)
    safety_ok = models.BooleanField(_("no serious safety accident in the period"), default=False)
    statement = models.TextField(_("self-assessment"), max_length=4000, blank=True)
    # Facts the portal computed from this app's records when the self-assessment was submitted.
    has_collective_contract = models.BooleanField(_("collective contract in force"), null=True)
    congress_held = models.BooleanField(_("workers' congress held"), null=True)
    serious_dispute = models.BooleanField(_("serious dispute or group case"), null=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    notice = models.ForeignKey(
        "union_portal.PublicNotice", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    named_on = models.DateField(_("named on"), null=True, blank=True)
    term_ends_on = models.DateField(_("title valid until"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), max_length=2000, blank=True)
    # A group wage case that withdrew the title (the automatic withdrawal is idempotent by it).
    withdrawal_case_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    SCOPE_ORG = "org"

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["enterprise", "status"], name="labour_rating_ent_status_idx"),
            models.Index(fields=["org", "status"], name="labour_rating_org_status_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["batch", "enterprise"], name="labour_rating_once_per_batch"),
            models.CheckConstraint(
                condition=Q(term_ends_on__isnull=True) | Q(named_on__isnull=False) & Q(term_ends_on__gt=F("named_on")),
                name="labour_rating_term_after_naming",
            ),
            models.CheckConstraint(
                condition=Q(contract_rate__isnull=True) | Q(contract_rate__gte=0) & Q(contract_rate__lte=100),
                name="labour_rating_contract_rate_percent",
            ),
            models.CheckConstraint(
                condition=Q(insurance_rate__isnull=True) | Q(insurance_rate__gte=0) & Q(insurance_rate__lte=100),
                name="labour_rating_insurance_rate_percent",
            ),
        ]
        verbose_name = _("rating self-assessment")
        verbose_name_plural = _("rating self-assessments")

    def __str__(self) -> str:
        return f"{self.batch}: {self.enterprise}"

    def get_absolute_url(self) -> str:
        return reverse("labour:rating_detail", args=[self.pk])


class RatingEvidence(models.Model):
    application = models.ForeignKey(RatingApplication, on_delete=models.CASCADE, related_name="evidence")
    description = models.CharField(_("what it shows"), max_length=200)
    file = models.FileField(_("file"), upload_to=RandomUploadTo("labour/ratings"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_ORG = "application__org"

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.description

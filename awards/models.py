"""Annual commendations: rounds, award types, quotas, composition rules, nominations, reviews, public
notice with objections, the honour roll. DOMAIN.md, "Annual awards"."""

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _

from members.models import Enterprise, Member
from union_portal.models import OrgUnit
from union_portal.uploads import RandomUploadTo

__all__ = [
    "AwardType",
    "CompositionRule",
    "HonourLevel",
    "Nomination",
    "Quota",
    "Round",
]


class HonourLevel(models.IntegerChoices):
    """Ordered: a higher number is a higher level (the five-year rule compares them)."""

    DISTRICT = 1, _("District level")
    CITY = 2, _("City level")
    PROVINCE = 3, _("Provincial level")
    NATIONAL = 4, _("National level")


class Round(models.Model):
    """One year's commendation round run by a district federation."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        NOMINATING = "nominating", _("Nominations and review")
        NOTICE = "notice", _("Public notice")
        APPROVAL = "approval", _("Awaiting approval")
        PUBLISHED = "published", _("Published")

    org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="award_rounds", verbose_name=_("run by"))
    year = models.PositiveIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    nominations_open = models.DateField(_("nominations open"))
    nominations_close = models.DateField(_("nominations close"))
    township_review_by = models.DateField(_("township review by"))
    district_review_by = models.DateField(_("district review by"))
    notice_planned = models.DateField(_("public notice planned from"))
    notice_working_days = models.PositiveSmallIntegerField(_("public notice (working days)"), default=5)
    recent_honour_years = models.PositiveSmallIntegerField(
        _("no same or higher honour in the previous (years)"), default=5
    )
    # The slate's public notice (the core's notices capability), set when the round goes to notice.
    notice = models.OneToOneField(
        "union_portal.PublicNotice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("public notice"),
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    issuer = models.CharField(_("issued by (on certificates)"), max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    SCOPE_ORG = "org"

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("award round")
        verbose_name_plural = _("award rounds")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("awards:round_detail", args=[self.pk])

    @property
    def notice_starts(self):
        return self.notice.starts_on if self.notice_id else None

    @property
    def notice_ends(self):
        """Derived from the notice's start, length and the working-day calendar as it is now (cached)."""
        return self.notice.last_day if self.notice_id else None

    @property
    def notice_warnings(self) -> list:
        return self.notice.calendar_warnings if self.notice_id else []


class AwardType(models.Model):
    class Kind(models.TextChoices):
        ADVANCED_COLLECTIVE = "advanced_collective", _("Advanced collective")
        ADVANCED_INDIVIDUAL = "advanced_individual", _("Advanced individual")
        MODEL_WORKER = "model_worker", _("Model worker")
        WORKER_PIONEER = "worker_pioneer", _("Worker pioneer")
        MAY_DAY_MEDAL = "may_day_medal", _("May Day labour medal")
        OTHER_INDIVIDUAL = "other_individual", _("Other (individual)")
        OTHER_COLLECTIVE = "other_collective", _("Other (collective)")

    COLLECTIVE_KINDS = (Kind.ADVANCED_COLLECTIVE, Kind.WORKER_PIONEER, Kind.OTHER_COLLECTIVE)

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="award_types")
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    level = models.PositiveSmallIntegerField(
        _("honour level"), choices=HonourLevel.choices, default=HonourLevel.DISTRICT
    )

    SCOPE_ORG = "round__org"

    class Meta:
        ordering = ["round", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "name"], name="award_type_unique_name")]
        verbose_name = _("award type")
        verbose_name_plural = _("award types")

    def __str__(self) -> str:
        return self.name

    @property
    def is_collective(self) -> bool:
        return self.kind in self.COLLECTIVE_KINDS


class Quota(models.Model):
    """Places of one award type for the nominations of one union's subtree (a township, an industry union
    or a grassroots union). A nomination uses the quota of its nearest ancestor-or-self union. Submitting
    locks this row (SELECT ... FOR UPDATE) so the last place goes to exactly one nomination."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="quotas")
    award_type = models.ForeignKey(AwardType, on_delete=models.CASCADE, related_name="quotas")
    union = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("nominating union"))
    places = models.PositiveSmallIntegerField(_("places"))

    SCOPE_ORG = "union"

    class Meta:
        ordering = ["round", "award_type", "union__path"]
        constraints = [
            models.UniqueConstraint(fields=["award_type", "union"], name="quota_one_per_union_and_type"),
        ]
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")

    def __str__(self) -> str:
        return f"{self.union} · {self.award_type}: {self.places}"


class CompositionRule(models.Model):
    """A share of individual nominees the slate must meet (DOMAIN.md defaults; editable per round)."""

    class Metric(models.TextChoices):
        FRONTLINE_OR_TECHNICAL = "frontline_technical", _("Frontline workers and technical staff")
        ENTERPRISE_HEAD = "enterprise_head", _("Enterprise heads")
        FEMALE = "female", _("Women")
        MIGRANT = "migrant", _("Migrant workers")

    class Comparison(models.TextChoices):
        AT_LEAST = "at_least", _("at least")
        AT_MOST = "at_most", _("at most")

    DEFAULTS = [
        (Metric.FRONTLINE_OR_TECHNICAL, Comparison.AT_LEAST, Decimal("60")),
        (Metric.ENTERPRISE_HEAD, Comparison.AT_MOST, Decimal("10")),
        (Metric.FEMALE, Comparison.AT_LEAST, Decimal("20")),
        (Metric.MIGRANT, Comparison.AT_LEAST, Decimal("20")),
    ]

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="rules")
    metric = models.CharField(_("who"), max_length=24, choices=Metric.choices)
    comparison = models.CharField(_("comparison"), max_length=8, choices=Comparison.choices)
    percent = models.DecimalField(_("percent"), max_digits=5, decimal_places=2)
    blocks_notice = models.BooleanField(_("must hold before public notice"), default=True)

    SCOPE_ORG = "round__org"

    class Meta:
        ordering = ["round", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "metric"], name="rule_one_per_metric")]
        verbose_name = _("composition rule")
        verbose_name_plural = _("composition rules")

    def __str__(self) -> str:
        return f"{self.get_metric_display()} {self.get_comparison_display()} {self.percent}%"


class Nomination(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        TOWNSHIP_REVIEW = "township_review", _("Township review")
        DISTRICT_REVIEW = "district_review", _("District committee review")
        RETURNED = "returned", _("Returned for changes")
        PASSED = "passed", _("Passed review")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        APPROVED = "approved", _("Honoured")

    # Statuses holding a quota place (a returned nomination keeps its place while it is corrected).
    COUNTED = (Status.TOWNSHIP_REVIEW, Status.DISTRICT_REVIEW, Status.RETURNED, Status.PASSED, Status.APPROVED)

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="nominations")
    award_type = models.ForeignKey(AwardType, on_delete=models.PROTECT, related_name="nominations")
    org = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="award_nominations", verbose_name=_("nominating union")
    )
    member = models.ForeignKey(Member, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    candidate_org = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("unit")
    )
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Snapshot taken from the roll when nominated: the public notice and the slate read these.
    candidate_name = models.CharField(_("candidate"), max_length=100)
    unit_name = models.CharField(_("unit"), max_length=200)
    person_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    is_frontline_or_technical = models.BooleanField(default=False)
    is_enterprise_head = models.BooleanField(default=False)
    is_female = models.BooleanField(default=False)
    is_migrant = models.BooleanField(default=False)
    deeds_summary = models.TextField(_("summary of deeds (public)"), max_length=600)
    deeds_file = models.FileField(_("deeds (事迹材料)"), upload_to=RandomUploadTo("awards/deeds"))
    congress_file = models.FileField(
        _("workers' congress approval"), upload_to=RandomUploadTo("awards/congress"), blank=True
    )
    past_honours = models.JSONField(default=list, blank=True)
    competition_record = models.JSONField(default=list, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    return_comment = models.TextField(_("comments"), blank=True)
    withdrawn_reason = models.CharField(_("reason for withdrawal"), max_length=200, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=32, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The staged review and the objections live in the core's notices capability.
    reviews = GenericRelation(
        "union_portal.ReviewStep",
        content_type_field="subject_type",
        object_id_field="subject_id",
        related_query_name="nomination",
    )
    objections = GenericRelation(
        "union_portal.Objection",
        content_type_field="item_type",
        object_id_field="item_id",
        related_query_name="nomination",
    )

    SCOPE_ORG = "org"

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["round", "status"], name="nomination_round_status_idx")]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")

    def __str__(self) -> str:
        return f"{self.candidate_name} · {self.award_type}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("awards:nomination_detail", args=[self.pk])

    @property
    def is_individual(self) -> bool:
        return self.member_id is not None

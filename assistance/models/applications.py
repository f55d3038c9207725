"""A worker's application for a hardship file, filed by the worker from a phone or by the grassroots handler for
them: the household, its incomes and rigid spending over the last 12 months, housing and assets, the causes,
documents, separate consent (PIPL art. 29) with the written authorisation, and the home visit."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from union_portal.crypto import EncryptedTextField
from union_portal.money import MONEY
from union_portal.uploads import RandomUploadTo

from .choices import Category, Health, Relation, WorkStatus

__all__ = [
    "ApplicationStatus",
    "Application",
    "HouseholdMember",
    "IncomeItem",
    "SpendingItem",
    "ApplicationDocument",
    "HomeVisit",
    "VisitPhoto",
]


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, waiting for the home visit")
    VISITED = "visited", _("Visited, category to decide")
    ON_NOTICE = "on_notice", _("On notice at the unit")
    TOWNSHIP_REVIEW = "township_review", _("Township review")
    DISTRICT_REVIEW = "district_review", _("District approval")
    RETURNED = "returned", _("Returned with comments")
    APPROVED = "approved", _("Approved, file opened")
    REJECTED = "rejected", _("Not approved")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Application(models.Model):
    Status = ApplicationStatus

    class Channel(models.TextChoices):
        SELF = "self", _("By the worker")
        HANDLER = "handler", _("By the grassroots union")

    class Housing(models.TextChoices):
        OWN = "own", _("Own home")
        RENTED = "rented", _("Rented")
        DORMITORY = "dormitory", _("Employer's dormitory")
        PUBLIC_RENTAL = "public_rental", _("Public rental housing")
        RELATIVES = "relatives", _("Living with relatives")
        OTHER = "other", _("Other")

    number = models.CharField(_("application number"), max_length=20, unique=True)
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("worker"))
    # The member's grassroots union when the application was filed: its handlers and the staff above see it.
    org = models.ForeignKey(
        "union_portal.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("grassroots union")
    )
    channel = models.CharField(_("filed"), max_length=10, choices=Channel.choices, default=Channel.SELF)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    causes = models.JSONField(_("causes of hardship"), default=list)  # Cause values
    cause_note = models.TextField(_("what happened"), max_length=2000, blank=True)
    housing = models.CharField(_("housing"), max_length=20, choices=Housing.choices, blank=True)
    housing_area = models.DecimalField(_("floor area (m²)"), max_digits=7, decimal_places=1, null=True, blank=True)
    assets_note = models.TextField(_("vehicles, savings and other assets"), max_length=1000, blank=True)
    # Separate consents (PIPL art. 29): sensitive data (health, income, family), and the union checking them
    # with other agencies (income, housing, vehicles); the signed authorisation is an ApplicationDocument.
    consent_version = models.CharField(_("consent wording"), max_length=20, blank=True)
    consent_sensitive_at = models.DateTimeField(_("consent to sensitive data given at"), null=True, blank=True)
    consent_check_at = models.DateTimeField(_("authorisation to check given at"), null=True, blank=True)
    # Working, filled when the figures are confirmed (after the visit); the rules version used.
    rule_set = models.ForeignKey(
        "assistance.RuleSet", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    household_size = models.PositiveSmallIntegerField(_("household members"), null=True, blank=True)
    income_12m = models.DecimalField(_("household income, last 12 months"), null=True, blank=True, **MONEY)
    spending_12m = models.DecimalField(_("rigid spending, last 12 months"), null=True, blank=True, **MONEY)
    per_capita_income = models.DecimalField(_("per-capita monthly income"), null=True, blank=True, **MONEY)
    proposed_category = models.CharField(_("proposed category"), max_length=10, choices=Category.choices, blank=True)
    proposal_working = models.JSONField(_("working"), default=dict, blank=True)
    category = models.CharField(_("category decided"), max_length=10, choices=Category.choices, blank=True)
    category_reason = models.TextField(_("reason for a different category"), max_length=1000, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The last return's comments or the reason for not approving it (the review record keeps every step).
    outcome_note = models.TextField(_("comments or reason"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    SCOPE_ORG = "org"
    SCOPE_OWNER = "member__user"
    # An applicant or handler may change it while it is in one of these states.
    EDITABLE = (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["org", "status"], name="assist_app_org_status_idx")]
        constraints = [
            # One application in progress per worker (a returned one is still in progress).
            models.UniqueConstraint(
                fields=["member"],
                condition=~Q(status__in=["approved", "rejected", "withdrawn"]),
                name="assistance_one_live_application_per_member",
            ),
        ]
        verbose_name = _("hardship application")
        verbose_name_plural = _("hardship applications")

    def __str__(self) -> str:
        return self.number


class HouseholdMember(models.Model):
    """A person of the household (the worker is one, relation ``self``). ID numbers are stored encrypted with a
    blind index: nobody may be in two open files, and a child gets the 金秋助学 grant once per stage."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="household")
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    name = models.CharField(_("name"), max_length=50)
    id_number = EncryptedTextField(_("ID number"))
    id_number_hash = models.CharField(max_length=64, db_index=True, editable=False)
    age = models.PositiveSmallIntegerField(_("age"))
    health = models.CharField(_("health"), max_length=10, choices=Health.choices, default=Health.HEALTHY)
    health_note = models.CharField(_("illness or disability"), max_length=200, blank=True)
    work = models.CharField(_("work"), max_length=20, choices=WorkStatus.choices)
    school = models.CharField(_("school and year"), max_length=100, blank=True)

    class Meta:
        ordering = ["application", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "id_number_hash"], name="assistance_person_once_per_app"),
        ]
        verbose_name = _("household member")
        verbose_name_plural = _("household members")

    def __str__(self) -> str:
        return f"{self.application} · {self.get_relation_display()}"


class IncomeItem(models.Model):
    """Household income by source over the last 12 months (yuan, whole period)."""

    class Source(models.TextChoices):
        WAGES = "wages", _("Wages")
        PENSION = "pension", _("Pension")
        BUSINESS = "business", _("Business or farming")
        BENEFITS = "benefits", _("Social benefits (minimum living allowance and others)")
        SUPPORT = "support", _("Support from relatives")
        OTHER = "other", _("Other")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="incomes")
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    amount = models.DecimalField(_("amount, last 12 months"), **MONEY)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["application", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="assistance_income_not_negative")]
        verbose_name = _("income")
        verbose_name_plural = _("incomes")

    def __str__(self) -> str:
        return f"{self.application} · {self.get_source_display()}"


class SpendingItem(models.Model):
    """Rigid spending (刚性支出) over the last 12 months: self-paid medical costs, education."""

    class Kind(models.TextChoices):
        MEDICAL = "medical", _("Medical costs (self-paid)")
        EDUCATION = "education", _("Education")
        OTHER = "other", _("Other rigid spending")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="spending")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount = models.DecimalField(_("amount, last 12 months"), **MONEY)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["application", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="assistance_spending_not_negative")]
        verbose_name = _("rigid spending")
        verbose_name_plural = _("rigid spending")

    def __str__(self) -> str:
        return f"{self.application} · {self.get_kind_display()}"


class ApplicationDocument(models.Model):
    class Kind(models.TextChoices):
        INCOME_PROOF = "income_proof", _("Proof of income")
        MEDICAL_RECORD = "medical_record", _("Medical records")
        DISABILITY_CERTIFICATE = "disability", _("Disability certificate")
        AUTHORISATION = "authorisation", _("Signed authorisation")
        HOUSEHOLD_REGISTER = "household_register", _("Household register")
        SCHOOL = "school", _("School admission or enrolment")
        OTHER = "other", _("Other")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=RandomUploadTo("assistance/documents"), max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_ORG = "application__org"
    SCOPE_OWNER = "application__member__user"

    class Meta:
        ordering = ["application", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return f"{self.application} · {self.get_kind_display()}"


class HomeVisit(models.Model):
    """The home visit (入户调查) by two staff of the grassroots union; they confirm or correct the figures."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="visit")
    visited_on = models.DateField(_("visited on"))
    staff_one = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("visitor")
    )
    staff_two = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("second visitor")
    )
    findings = models.TextField(_("findings"), max_length=4000)
    figures_confirmed = models.BooleanField(_("figures confirmed as declared"), default=True)
    corrections = models.JSONField(_("corrections"), default=dict, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(staff_one=models.F("staff_two")), name="assistance_visit_two_staff")
        ]
        verbose_name = _("home visit")
        verbose_name_plural = _("home visits")

    def __str__(self) -> str:
        return f"{self.application} · {self.visited_on}"


class VisitPhoto(models.Model):
    visit = models.ForeignKey(HomeVisit, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("photo"), upload_to=RandomUploadTo("assistance/visits"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_ORG = "visit__application__org"

    class Meta:
        ordering = ["visit", "id"]
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")

    def __str__(self) -> str:
        return f"{self.visit} · {self.pk}"

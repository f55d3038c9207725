"""Rights-protection cases (维权): a worker's request or a 12351 hotline call, routed to the township union of the
employer, accepted, handled step by step, closed with an outcome and the money recovered. Group cases link the
requests of several workers of one employer. ``confidential`` (the default) hides the case from everyone holding a
role at the employer's own grassroots union or below."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from union_portal.crypto import EncryptedTextField, mask_name, mask_phone
from union_portal.money import MONEY
from union_portal.uploads import RandomUploadTo

__all__ = [
    "CaseType",
    "CaseStatus",
    "CaseOutcome",
    "CaseSource",
    "ContactPreference",
    "RightsCase",
    "CaseStep",
    "CaseDocument",
    "Lawyer",
    "LawyerAssignment",
    "CaseSettings",
]


class CaseType(models.TextChoices):
    UNPAID_WAGES = "unpaid_wages", _("Unpaid wages")
    CONTRACT = "contract", _("Labour contract")
    WORK_INJURY = "work_injury", _("Work injury")
    SOCIAL_INSURANCE = "social_insurance", _("Social insurance")
    DISMISSAL = "dismissal", _("Dismissal and severance")
    OVERTIME = "overtime", _("Overtime and leave")
    WOMEN = "women", _("Women workers' rights")
    OTHER = "other", _("Other")


class CaseStatus(models.TextChoices):
    NEW = "new", _("Waiting to be accepted")
    ACCEPTED = "accepted", _("Accepted")
    IN_HAND = "in_hand", _("Being handled")
    CLOSED = "closed", _("Closed")


class CaseOutcome(models.TextChoices):
    RESOLVED = "resolved", _("Resolved")
    PARTLY = "partly", _("Partly resolved")
    NOT_RESOLVED = "not_resolved", _("Not resolved")
    REFERRED = "referred", _("Referred")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class CaseSource(models.TextChoices):
    ONLINE = "online", _("Online request")
    HOTLINE = "hotline", _("12351 hotline")
    VISIT = "visit", _("In person or on a visit")
    LIAISON = "liaison", _("A cadre's liaison visit")


class ContactPreference(models.TextChoices):
    PHONE = "phone", _("Phone call")
    SMS = "sms", _("Text message")
    VISIT = "visit", _("Meet in person")


class RightsCase(models.Model):
    Type = CaseType
    Status = CaseStatus
    Outcome = CaseOutcome
    Source = CaseSource
    Contact = ContactPreference

    number = models.CharField(_("case number"), max_length=20, unique=True)
    case_type = models.CharField(_("type"), max_length=20, choices=CaseType.choices)
    # The union that handles it (the employer's township, the township the worker names, or the district).
    org = models.ForeignKey(
        "union_portal.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("handled by")
    )
    enterprise = models.ForeignKey(
        "members.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("employer"),
    )
    employer_name = models.CharField(_("employer (as typed)"), max_length=200, blank=True)
    # The employer's grassroots union when known: holders of a role there or below never see a confidential case.
    employer_union = models.ForeignKey(
        "union_portal.OrgUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confidential = models.BooleanField(_("keep it from my employer"), default=True)
    is_group = models.BooleanField(_("group case"), default=False)
    worker_count = models.PositiveIntegerField(_("workers concerned"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.NEW)
    outcome = models.CharField(_("outcome"), max_length=20, choices=CaseOutcome.choices, blank=True)
    money_recovered = models.DecimalField(_("money recovered"), null=True, blank=True, **MONEY)
    received_on = models.DateField(_("received on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # --- lb-cases: who asks, what for, and the timers (additive to the skeleton) ---
    source = models.CharField(_("received by"), max_length=10, choices=CaseSource.choices, default=CaseSource.ONLINE)
    # The worker's own login when they filed it (or later linked it): they follow the case on their phone.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="rights_cases"
    )
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("member")
    )
    worker_name = models.CharField(_("worker's name"), max_length=50, default="")
    worker_mobile = EncryptedTextField(_("worker's mobile phone"), blank=True, default="")
    # Health details (a work injury): shown masked, a full view is audited.
    health_details = EncryptedTextField(_("health details"), blank=True, default="")
    facts = models.TextField(_("what happened"), default="")
    requests = models.TextField(_("what the worker asks for"), blank=True, default="")
    contact_preference = models.CharField(
        _("how to contact the worker"),
        max_length=10,
        choices=ContactPreference.choices,
        default=ContactPreference.PHONE,
    )
    # Group cases: the lead case of a group; the other workers' cases point at it.
    group_lead = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="group_members",
        verbose_name=_("group case"),
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rights officer"),
    )
    accept_due = models.DateField(_("accept by"), null=True, blank=True)
    answer_due = models.DateField(_("first answer by"), null=True, blank=True)
    close_due = models.DateField(_("close or report by"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    first_answer_on = models.DateField(_("first answer on"), null=True, blank=True)
    escalated_on = models.DateField(_("escalated to the district on"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction (1-5)"), null=True, blank=True)
    satisfaction_comment = models.TextField(_("worker's comment"), blank=True, default="")
    satisfaction_on = models.DateField(_("answered on"), null=True, blank=True)

    SCOPE_ORG = "org"
    SCOPE_OWNER = "user"

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["org", "status"], name="labour_case_org_status_idx"),
            models.Index(fields=["enterprise", "received_on"], name="labour_case_employer_idx"),
        ]
        verbose_name = _("rights case")
        verbose_name_plural = _("rights cases")

    def __str__(self) -> str:
        return self.number

    @property
    def worker_name_masked(self) -> str:
        return mask_name(self.worker_name)

    @property
    def worker_mobile_masked(self) -> str:
        return mask_phone(self.worker_mobile)

    @property
    def employer_display(self) -> str:
        return self.enterprise.name if self.enterprise_id and self.enterprise else self.employer_name

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED


class CaseStep(models.Model):
    class Kind(models.TextChoices):
        CONTACT = "contact", _("Contacted the worker")
        ADVICE = "advice", _("Legal advice")
        MEDIATION = "mediation", _("Mediation with the employer")
        DOCUMENT = "document", _("Document drafted")
        LEGAL_AID = "legal_aid", _("Legal aid by a lawyer")
        INSPECTION = "inspection", _("Referred to labour inspection")
        ARBITRATION = "arbitration", _("Referred to arbitration")
        PROGRESS = "progress", _("Progress report")

    case = models.ForeignKey(RightsCase, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("step"), max_length=20, choices=Kind.choices)
    on = models.DateField(_("date"))
    notes = models.TextField(_("notes"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_ORG = "case__org"

    class Meta:
        ordering = ["on", "id"]
        verbose_name = _("case step")
        verbose_name_plural = _("case steps")

    def __str__(self) -> str:
        return f"{self.case} {self.get_kind_display()}"


class CaseDocument(models.Model):
    case = models.ForeignKey(RightsCase, on_delete=models.CASCADE, related_name="documents")
    step = models.ForeignKey(CaseStep, on_delete=models.SET_NULL, null=True, blank=True, related_name="documents")
    title = models.CharField(_("document"), max_length=100)
    file = models.FileField(upload_to=RandomUploadTo("labour/cases"))
    content_kind = models.CharField(max_length=10)  # pdf / jpeg / png, judged by content
    original_name = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    SCOPE_ORG = "case__org"
    SCOPE_OWNER = "case__user"

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")

    def __str__(self) -> str:
        return self.title


class Lawyer(models.Model):
    """律师库: a lawyer of the legal-aid roster. ``user`` is their outside account (role LAWYER, 2FA)."""

    name = models.CharField(_("name"), max_length=50)
    firm = models.CharField(_("law firm"), max_length=100)
    specialities = models.CharField(_("specialities"), max_length=200, blank=True)
    mobile = EncryptedTextField(_("mobile phone"), blank=True, default="")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="lawyer"
    )
    active = models.BooleanField(_("on the roster"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("legal-aid lawyer")
        verbose_name_plural = _("legal-aid lawyers")

    def __str__(self) -> str:
        return f"{self.name} ({self.firm})"


class LawyerAssignment(models.Model):
    case = models.ForeignKey(RightsCase, on_delete=models.CASCADE, related_name="lawyer_assignments")
    lawyer = models.ForeignKey(Lawyer, on_delete=models.PROTECT, related_name="assignments")
    assigned_on = models.DateField(_("assigned on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_ORG = "case__org"

    class Meta:
        ordering = ["-assigned_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "lawyer"], condition=models.Q(ended_on__isnull=True), name="labour_one_open_assignment"
            )
        ]
        verbose_name = _("lawyer assignment")
        verbose_name_plural = _("lawyer assignments")

    def __str__(self) -> str:
        return f"{self.case} → {self.lawyer}"


class CaseSettings(models.Model):
    """The district admin's settings of rights cases (one row)."""

    group_warning_threshold = models.PositiveIntegerField(
        _("early warning from this many workers in a group case"), default=10
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rights case settings")
        verbose_name_plural = _("rights case settings")

    def __str__(self) -> str:
        return str(self.group_warning_threshold)

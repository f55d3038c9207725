"""Rights-protection cases (维权): a worker's request or a 12351 hotline call, routed to the township union of the
employer, accepted, handled step by step, closed with an outcome and the money recovered. Group cases link the
requests of several workers of one employer. ``confidential`` (the default) hides the case from everyone holding a
role at the employer's own grassroots union or below."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from union_portal.money import MONEY

__all__ = ["CaseType", "CaseStatus", "CaseOutcome", "RightsCase"]


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


class RightsCase(models.Model):
    Type = CaseType
    Status = CaseStatus
    Outcome = CaseOutcome

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

    SCOPE_ORG = "org"

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

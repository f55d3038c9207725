"""Collective contracts (集体合同) of an enterprise, a region (区域性) or an industry (行业性), their bargaining
rounds, and the team of bargaining officers and instructors (协商员/指导员)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

__all__ = ["ContractKind", "ContractLevel", "ContractStatus", "CollectiveContract"]


class ContractKind(models.TextChoices):
    COMPREHENSIVE = "comprehensive", _("Comprehensive collective contract")
    WAGE = "wage", _("Wage-specific collective contract")
    WOMEN = "women", _("Women workers' special contract")
    SAFETY = "safety", _("Labour safety special contract")


class ContractLevel(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    REGIONAL = "regional", _("Regional (区域性)")
    INDUSTRY = "industry", _("Industry (行业性)")


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed, to be filed")
    FILED = "filed", _("Filed, waiting for the authority")
    EFFECTIVE = "effective", _("In force")
    OBJECTED = "objected", _("Objected to by the authority")
    EXPIRED = "expired", _("Expired")


class CollectiveContract(models.Model):
    Kind = ContractKind
    Level = ContractLevel
    Status = ContractStatus

    kind = models.CharField(_("kind"), max_length=20, choices=ContractKind.choices)
    level = models.CharField(_("level"), max_length=12, choices=ContractLevel.choices)
    # The union that made it: the enterprise's grassroots union, or the township/industry union of a region.
    org = models.ForeignKey("union_portal.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("union"))
    enterprise = models.ForeignKey(
        "members.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enterprise"),
    )
    # Enterprises covered (one for an enterprise contract, many for a regional or industry one).
    covered = models.ManyToManyField("members.Enterprise", related_name="+", blank=True, verbose_name=_("covered"))
    workers_covered = models.PositiveIntegerField(_("workers covered"), default=0)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=12, choices=ContractStatus.choices, default=ContractStatus.DRAFT)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    starts_on = models.DateField(_("in force from"), null=True, blank=True)
    ends_on = models.DateField(_("in force until"), null=True, blank=True)
    filed_on = models.DateField(_("filed with the labour authority on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    SCOPE_ORG = "org"

    class Meta:
        ordering = ["-signed_on", "-id"]
        indexes = [models.Index(fields=["org", "status"], name="labour_contract_org_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gt=F("starts_on")),
                name="labour_contract_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(filed_on__isnull=True) | Q(signed_on__isnull=False) & Q(filed_on__gte=F("signed_on")),
                name="labour_contract_filed_after_signing",
            ),
        ]
        verbose_name = _("collective contract")
        verbose_name_plural = _("collective contracts")

    def __str__(self) -> str:
        return self.title

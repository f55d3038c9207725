"""Collective contracts (集体合同) of an enterprise, a region or an industry, their bargaining
rounds, and the team of bargaining officers and instructors (协商员/指导员)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from union_portal.uploads import RandomUploadTo

__all__ = [
    "ContractKind",
    "ContractLevel",
    "ContractStatus",
    "CollectiveContract",
    "BargainingRound",
    "BargainingSession",
    "BargainingOfficer",
]


class ContractKind(models.TextChoices):
    COMPREHENSIVE = "comprehensive", _("Comprehensive collective contract")
    WAGE = "wage", _("Wage-specific collective contract")
    WOMEN = "women", _("Women workers' special contract")
    SAFETY = "safety", _("Labour safety special contract")


class ContractLevel(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    REGIONAL = "regional", _("Regional")
    INDUSTRY = "industry", _("Industry")


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
    # lb-contracts (additive): parties, key terms, the workers' congress vote, the filing's deadlines and answer.
    union_party = models.CharField(_("union side"), max_length=200, blank=True)
    employer_party = models.CharField(_("employer side"), max_length=200, blank=True)
    wage_growth_pct = models.DecimalField(_("wage growth (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    minimum_wage = models.DecimalField(
        _("minimum wage in the firm (yuan a month)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    weekly_hours = models.DecimalField(_("weekly working hours"), max_digits=4, decimal_places=1, null=True, blank=True)
    other_terms = models.TextField(_("other key terms"), max_length=4000, blank=True)
    delegates = models.PositiveIntegerField(_("delegates of the workers' congress"), null=True, blank=True)
    present = models.PositiveIntegerField(_("delegates present"), null=True, blank=True)
    in_favour = models.PositiveIntegerField(_("delegates in favour"), null=True, blank=True)
    voted_on = models.DateField(_("voted on"), null=True, blank=True)
    filing_due = models.DateField(_("to be filed by"), null=True, blank=True)
    objection_ends = models.DateField(_("the authority may object until"), null=True, blank=True)
    answered_on = models.DateField(_("the authority answered on"), null=True, blank=True)
    authority_note = models.TextField(_("the authority's answer"), max_length=2000, blank=True)
    publish_due = models.DateField(_("to be published to staff by"), null=True, blank=True)
    published_on = models.DateField(_("published to staff on"), null=True, blank=True)
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
            models.CheckConstraint(
                condition=Q(present__isnull=True) | Q(delegates__isnull=False) & Q(present__lte=F("delegates")),
                name="labour_contract_present_le_delegates",
            ),
            models.CheckConstraint(
                condition=Q(in_favour__isnull=True) | Q(present__isnull=False) & Q(in_favour__lte=F("present")),
                name="labour_contract_favour_le_present",
            ),
        ]
        verbose_name = _("collective contract")
        verbose_name_plural = _("collective contracts")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("labour:contract_detail", args=[self.pk])

    @property
    def vote_passed(self) -> bool:
        """DOMAIN.md: 2/3 of the delegates present, more than half of ALL delegates in favour."""
        if not self.delegates or self.present is None or self.in_favour is None:
            return False
        return self.present * 3 >= self.delegates * 2 and self.in_favour * 2 > self.delegates


class RoundStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested, waiting for the reply")
    BARGAINING = "bargaining", _("Bargaining")
    DRAFTED = "drafted", _("Draft before the workers' congress")
    SIGNED = "signed", _("Signed")
    FAILED = "failed", _("Ended without a contract")


class RequestingSide(models.TextChoices):
    UNION = "union", _("The union (workers' side)")
    EMPLOYER = "employer", _("The employer")


class BargainingRound(models.Model):
    """A round of collective (wage) bargaining: a request by either side, the other side's reply within the
    deadline (10 working days by default), sessions with minutes, a draft (a CollectiveContract in draft), the
    workers' congress vote and the signing."""

    Status = RoundStatus
    Side = RequestingSide

    org = models.ForeignKey("union_portal.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("union"))
    enterprise = models.ForeignKey(
        "members.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enterprise"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ContractKind.choices, default=ContractKind.WAGE)
    requested_by = models.CharField(_("requested by"), max_length=10, choices=RequestingSide.choices)
    received_on = models.DateField(_("request received on"))
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    note = models.TextField(_("note"), max_length=4000, blank=True)
    reply_due = models.DateField(_("reply due by"))
    finish_due = models.DateField(_("bargaining to be finished by"), null=True, blank=True)
    replied_on = models.DateField(_("replied on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=RoundStatus.choices, default=RoundStatus.REQUESTED)
    contract = models.ForeignKey(
        CollectiveContract,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rounds",
        verbose_name=_("contract"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    SCOPE_ORG = "org"

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["org", "status"], name="labour_round_org_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(replied_on__isnull=True) | Q(replied_on__gte=F("received_on")),
                name="labour_round_reply_after_request",
            ),
        ]
        verbose_name = _("bargaining round")
        verbose_name_plural = _("bargaining rounds")

    def __str__(self) -> str:
        return self.subject or str(self.enterprise or self.org)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("labour:round_detail", args=[self.pk])


class BargainingSession(models.Model):
    """One bargaining meeting of a round, with its minutes (text, an uploaded scan, or both)."""

    round = models.ForeignKey(BargainingRound, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("held on"))
    minutes = models.TextField(_("minutes"), max_length=8000, blank=True)
    file = models.FileField(_("minutes (scan)"), upload_to=RandomUploadTo("labour/minutes"), blank=True, max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_ORG = "round__org"

    class Meta:
        ordering = ["held_on", "id"]
        verbose_name = _("bargaining session")
        verbose_name_plural = _("bargaining sessions")

    def __str__(self) -> str:
        return f"{self.round} {self.held_on}"


class OfficerKind(models.TextChoices):
    OFFICER = "officer", _("Bargaining officer")
    INSTRUCTOR = "instructor", _("Bargaining instructor")


class BargainingOfficer(models.Model):
    """The register of bargaining officers and instructors: who, where, training hours, the firms they serve.
    An account is optional (most have none)."""

    Kind = OfficerKind

    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=12, choices=OfficerKind.choices, default=OfficerKind.OFFICER)
    org = models.ForeignKey("union_portal.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("union"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account"),
    )
    training_hours = models.DecimalField(_("training hours"), max_digits=6, decimal_places=1, default=0)
    enterprises = models.ManyToManyField(
        "members.Enterprise", related_name="+", blank=True, verbose_name=_("firms served")
    )
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    SCOPE_ORG = "org"

    class Meta:
        ordering = ["org__path", "name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(training_hours__gte=0), name="labour_officer_hours_not_negative")
        ]
        verbose_name = _("bargaining officer")
        verbose_name_plural = _("bargaining officers")

    def __str__(self) -> str:
        return self.name

"""Cadres' liaison (百名干部联基层): assignments of enterprises to cadres (district and township staff), their
visits, and the issues raised on a visit, each of which may open a rights case or a bargaining follow-up."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

__all__ = ["LiaisonAssignment", "LiaisonVisit", "LiaisonIssue", "IssueKind", "IssueStatus"]


class LiaisonAssignment(models.Model):
    """A cadre is to visit an enterprise. ``org`` is the enterprise's township at assignment (scoping)."""

    cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("cadre")
    )
    enterprise = models.ForeignKey(
        "members.Enterprise", on_delete=models.PROTECT, related_name="+", verbose_name=_("enterprise")
    )
    org = models.ForeignKey("union_portal.OrgUnit", on_delete=models.PROTECT, related_name="+")
    assigned_on = models.DateField(_("assigned on"))
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_ORG = "org"

    class Meta:
        ordering = ["enterprise__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cadre", "enterprise"],
                condition=Q(ended_on__isnull=True),
                name="labour_liaison_one_active_assignment",
            )
        ]
        indexes = [models.Index(fields=["cadre", "ended_on"], name="labour_liaison_cadre_idx")]
        verbose_name = _("liaison assignment")
        verbose_name_plural = _("liaison assignments")

    def __str__(self) -> str:
        return str(self.enterprise)

    def get_absolute_url(self) -> str:
        return reverse("labour:liaison_assignment", args=[self.pk])


class LiaisonVisit(models.Model):
    assignment = models.ForeignKey(LiaisonAssignment, on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField(_("visited on"))
    met_whom = models.CharField(_("whom they met"), max_length=200)
    notes = models.TextField(_("what they found"), max_length=4000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_ORG = "assignment__org"

    class Meta:
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["assignment", "visited_on"], name="labour_liaison_visit_idx")]
        verbose_name = _("liaison visit")
        verbose_name_plural = _("liaison visits")

    def __str__(self) -> str:
        return f"{self.assignment} {self.visited_on}"


class IssueKind(models.TextChoices):
    RIGHTS = "rights", _("Workers' rights")
    BARGAINING = "bargaining", _("Wages and bargaining")
    OTHER = "other", _("Other")


class IssueStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FOLLOWED_UP = "followed_up", _("Followed up")
    CLOSED = "closed", _("Closed")


class LiaisonIssue(models.Model):
    """An issue raised on a visit. Following it up opens a rights case (``rights_case``) or a bargaining round
    (``followup_kind``/``followup_id``: the round's model lives in another part, so an id and its kind)."""

    Kind = IssueKind
    Status = IssueStatus
    FOLLOWUP_ROUND = "bargaining_round"

    visit = models.ForeignKey(LiaisonVisit, on_delete=models.PROTECT, related_name="issues")
    kind = models.CharField(_("kind"), max_length=12, choices=IssueKind.choices)
    description = models.TextField(_("issue raised"), max_length=2000)
    status = models.CharField(_("status"), max_length=12, choices=IssueStatus.choices, default=IssueStatus.OPEN)
    rights_case = models.ForeignKey(
        "labour.RightsCase",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rights case"),
    )
    followup_kind = models.CharField(max_length=20, blank=True)
    followup_id = models.PositiveIntegerField(null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_note = models.CharField(_("how it was settled"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    SCOPE_ORG = "visit__assignment__org"

    class Meta:
        ordering = ["-visit__visited_on", "-id"]
        indexes = [models.Index(fields=["status"], name="labour_liaison_issue_status")]
        verbose_name = _("liaison issue")
        verbose_name_plural = _("liaison issues")

    def __str__(self) -> str:
        return self.description[:40]

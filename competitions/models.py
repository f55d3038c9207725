"""Competitions: merit competitions on key projects (六比六赛), skills contests and the 安康杯.

A campaign belongs to the organising OrgUnit (usually the district) and everything under it is scoped
through ``campaign__org``. Judges see only their own assignments and scores (``SCOPE_OWNER``)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models import Enterprise, Member
from union_portal.models import OrgUnit
from union_portal.money import MONEY
from union_portal.uploads import RandomUploadTo


class Campaign(models.Model):
    class Kind(models.TextChoices):
        MERIT = "merit", _("Key-project merit competition")
        SKILLS = "skills", _("Skills contest")
        ANKANG = "ankang", _("Ankang Cup")

    class PeriodKind(models.TextChoices):
        QUARTERLY = "quarterly", _("Quarterly")
        MONTHLY = "monthly", _("Monthly")
        HALF_YEAR = "half_year", _("Half-yearly")
        SINGLE = "single", _("Single round")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    year = models.PositiveIntegerField(_("year"))
    org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("organiser"))
    period_kind = models.CharField(
        _("scoring periods"), max_length=16, choices=PeriodKind.choices, default=PeriodKind.QUARTERLY
    )
    # Cumulative rank bands of the honours, e.g. [["merit_1", 1], ["merit_2", 3], ["merit_3", 6]].
    honour_bands = models.JSONField(_("honour bands"), default=list, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    SCOPE_ORG = "org"

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("competitions:campaign_detail", args=[self.pk])

    @property
    def group_label(self) -> str:
        return {self.Kind.MERIT: _("Project group"), self.Kind.SKILLS: _("Trade"), self.Kind.ANKANG: _("Category")}[
            self.kind
        ]


class Criterion(models.Model):
    """One line of the score sheet. A judge scores 0..max_score; the total weighs mean/max_score by weight."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="criteria")
    code = models.SlugField(_("code"), max_length=32, help_text=_("safety and quality are used to break ties"))
    name = models.CharField(_("name"), max_length=100)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0)])
    max_score = models.DecimalField(
        _("maximum score"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    order = models.PositiveSmallIntegerField(default=0)

    SCOPE_ORG = "campaign__org"

    class Meta:
        ordering = ["campaign", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "code"], name="criterion_code_once")]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return self.name


class Group(models.Model):
    """A project group (merit competition), a trade (skills contest) or a category (安康杯)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("name"), max_length=100)
    # A trade's own weights (criterion code -> weight, summing to 100), e.g. theory 40 / practical 60;
    # empty: the campaign's weights.
    weights = models.JSONField(_("own weights"), default=dict, blank=True)

    SCOPE_ORG = "campaign__org"

    class Meta:
        ordering = ["campaign", "name"]
        constraints = [models.UniqueConstraint(fields=["campaign", "name"], name="group_name_once")]
        verbose_name = _("group")
        verbose_name_plural = _("groups")

    def __str__(self) -> str:
        return self.name


def _tie_breaker() -> int:
    import secrets

    return secrets.randbelow(2**31)


class Team(models.Model):
    """A competitor: a project department or contractor, a unit (安康杯) or one contestant (skills contest)."""

    class Kind(models.TextChoices):
        PROJECT_DEPARTMENT = "project_department", _("Project department")
        CONTRACTOR = "contractor", _("Contractor")
        CONTESTANT = "contestant", _("Contestant")
        UNIT = "unit", _("Unit")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="teams")
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="teams", verbose_name=_("group"))
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    org = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("union")
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("enterprise")
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("contestant")
    )
    # Stored once so that reruns of the ranking give the same order among perfect ties (MIT-Tab).
    tie_breaker = models.PositiveIntegerField(default=_tie_breaker, editable=False)
    serious_accident = models.BooleanField(_("serious safety accident"), default=False)
    accident_note = models.CharField(_("accident record"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_ORG = "campaign__org"

    class Meta:
        ordering = ["campaign", "group__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "member"], condition=models.Q(member__isnull=False), name="contestant_entered_once"
            ),
            models.UniqueConstraint(fields=["campaign", "name"], name="team_name_once"),
        ]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("competitions:team_page", args=[self.pk])


class Period(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open for scoring")
        CLOSED = "closed", _("Closed, results to check")
        RELEASED = "released", _("Released")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="periods")
    name = models.CharField(_("name"), max_length=50)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)

    SCOPE_ORG = "campaign__org"

    class Meta:
        ordering = ["campaign", "starts_on", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "name"], name="period_name_once")]
        verbose_name = _("period")
        verbose_name_plural = _("periods")

    def __str__(self) -> str:
        return f"{self.campaign.name} {self.name}"


class JudgeProfile(models.Model):
    """Where a judge works: the basis of the conflict-of-interest rule (a judge never scores a team of their
    own organisation or enterprise)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="judge_profile")
    org = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("works at union")
    )
    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("works at enterprise"),
    )
    title = models.CharField(_("title"), max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user__username"]
        verbose_name = _("judge affiliation")
        verbose_name_plural = _("judge affiliations")

    def __str__(self) -> str:
        return str(self.user)


class JudgeAssignment(models.Model):
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="assignments")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="assignments")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="judge_assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_ORG = "period__campaign__org"
    SCOPE_OWNER = "judge"

    class Meta:
        ordering = ["period", "team__name", "judge__username"]
        constraints = [models.UniqueConstraint(fields=["period", "team", "judge"], name="judge_once_per_team")]
        verbose_name = _("judge assignment")
        verbose_name_plural = _("judge assignments")

    def __str__(self) -> str:
        return f"{self.judge} → {self.team} ({self.period.name})"


class Score(models.Model):
    """One judge's score of one team on one criterion in one period. Every change is kept in history."""

    assignment = models.ForeignKey(JudgeAssignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    SCOPE_ORG = "assignment__period__campaign__org"
    SCOPE_OWNER = "assignment__judge"

    class Meta:
        ordering = ["assignment", "criterion__order"]
        constraints = [models.UniqueConstraint(fields=["assignment", "criterion"], name="score_once")]
        verbose_name = _("score")
        verbose_name_plural = _("scores")

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class Result(models.Model):
    """A team's computed standing in a closed period. Rewritten only by closing (again) a period."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="results")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="results")
    total = models.DecimalField(max_digits=7, decimal_places=2)
    bonus = models.DecimalField(max_digits=7, decimal_places=2, default=0)
    rank = models.PositiveIntegerField()
    group_rank = models.PositiveIntegerField()
    means = models.JSONField(default=dict)  # criterion id -> mean as text
    judge_count = models.PositiveSmallIntegerField(default=0)
    vetoed = models.BooleanField(default=False)
    tie_note = models.CharField(max_length=16, blank=True)

    SCOPE_ORG = "period__campaign__org"

    class Meta:
        ordering = ["period", "rank"]
        constraints = [models.UniqueConstraint(fields=["period", "team"], name="result_once")]
        verbose_name = _("result")
        verbose_name_plural = _("results")

    def __str__(self) -> str:
        return f"{self.team} #{self.rank}"


class Honour(models.Model):
    class Kind(models.TextChoices):
        RED_FLAG = "red_flag", _("Mobile red flag")
        MERIT_1 = "merit_1", _("First-class merit")
        MERIT_2 = "merit_2", _("Second-class merit")
        MERIT_3 = "merit_3", _("Third-class merit")
        PRIZE_1 = "prize_1", _("First prize")
        PRIZE_2 = "prize_2", _("Second prize")
        PRIZE_3 = "prize_3", _("Third prize")
        PRIZE_EXCELLENT = "prize_excellent", _("Excellence award")
        GOLDEN_SHUTTLE = "golden_shuttle", _("Golden Shuttle Award")
        SILVER_SHUTTLE = "silver_shuttle", _("Silver Shuttle Award")
        CRAFTSMAN = "craftsman", _("Craftsman register")
        ANKANG_WINNER = "ankang_winner", _("Ankang Cup winning unit")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="honours")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, null=True, blank=True, related_name="honours")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="honours")
    kind = models.CharField(_("honour"), max_length=20, choices=Kind.choices)
    year = models.PositiveIntegerField(_("year"))
    group_name = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_ORG = "campaign__org"

    class Meta:
        ordering = ["-year", "campaign", "kind", "team__name"]
        constraints = [models.UniqueConstraint(fields=["campaign", "period", "team", "kind"], name="honour_once")]
        verbose_name = _("honour")
        verbose_name_plural = _("honours")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return f"{self.campaign.name} {self.get_kind_display()}"


class SafetyReport(models.Model):
    """安康杯: a worker's hazard report (查身边事故隐患) or rationalisation proposal (合理化建议) for a unit."""

    class Kind(models.TextChoices):
        HAZARD = "hazard", _("Hazard report")
        PROPOSAL = "proposal", _("Rationalisation proposal")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ADOPTED = "adopted", _("Adopted")
        REJECTED = "rejected", _("Not adopted")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="safety_reports")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="safety_reports", verbose_name=_("unit"))
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="safety_reports")
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"))
    photo = models.FileField(_("photo"), upload_to=RandomUploadTo("competitions/reports"), blank=True)
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="safety_reports")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    points = models.DecimalField(_("points credited"), max_digits=5, decimal_places=2, default=0)
    estimated_benefit = models.DecimalField(_("estimated benefit (yuan)"), **MONEY, default=0)
    assessment = models.CharField(_("assessment"), max_length=200, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assessed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_ORG = "campaign__org"
    SCOPE_OWNER = "reporter"

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("safety report")
        verbose_name_plural = _("safety reports")

    def __str__(self) -> str:
        return self.title

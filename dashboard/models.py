"""The dashboard's tables: precomputed figures and assessment checklists. Satisfaction surveys are a core
capability (``union_portal.surveys``): an assessment item may score a unit by one of them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from union_portal.uploads import RandomUploadTo

# --- Figures ---------------------------------------------------------------------------------------------


class FigureRun(models.Model):
    """One refresh of the figure store (by Celery beat or by an admin on demand)."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    period = models.CharField(_("period"), max_length=16)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    metrics = models.PositiveIntegerField(_("metrics"), default=0)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("figure refresh")
        verbose_name_plural = _("figure refreshes")

    def __str__(self) -> str:
        return f"{self.period} {self.started_at:%Y-%m-%d %H:%M}"


class FigureSnapshot(models.Model):
    """One precomputed figure: ``metric`` (a key of the provider registry) at ``node`` (its whole subtree)
    for ``period`` (a year), optionally broken down by ``key`` (an industry, a size band, a claim state;
    "" is the total). ``value`` is ``numerator`` for counts and sums, ``numerator / denominator`` (× 100
    for percentages) for rates and averages: numerator and denominator are kept so the page can show
    "x of y" and so ancestors are rolled up exactly (sums of parts, never averages of averages)."""

    node = models.ForeignKey("union_portal.OrgUnit", on_delete=models.CASCADE, related_name="+")
    metric = models.CharField(_("figure"), max_length=64)
    period = models.CharField(_("period"), max_length=16)
    key = models.CharField(_("breakdown"), max_length=100, blank=True, default="")
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    numerator = models.DecimalField(max_digits=20, decimal_places=4)
    denominator = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"))

    SCOPE_ORG = "node"

    class Meta:
        ordering = ["metric", "node_id", "key"]
        constraints = [
            models.UniqueConstraint(fields=["metric", "period", "node", "key"], name="one_figure_per_node_key")
        ]
        indexes = [models.Index(fields=["node", "period", "metric"], name="figure_node_idx")]
        verbose_name = _("figure")
        verbose_name_plural = _("figures")

    def __str__(self) -> str:
        return f"{self.metric}@{self.node_id}[{self.key}] {self.period} = {self.value}"


# --- Assessment ------------------------------------------------------------------------------------------


class AssessmentScheme(models.Model):
    """A scored checklist the district builds for its township unions (the city one for its districts).
    ``owner`` is the assessing node; the assessed units are its children of ``target_kind``."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for entries")
        CLOSED = "closed", _("Closed")

    owner = models.ForeignKey("union_portal.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    title = models.CharField(_("title"), max_length=200)
    period = models.CharField(_("year"), max_length=16)
    target_kind = models.CharField(_("units assessed"), max_length=16)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    SCOPE_ORG = "owner"

    class Meta:
        ordering = ["-period", "-created_at"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return f"{self.title} ({self.period})"


class AssessmentItem(models.Model):
    """One line of the checklist, worth ``weight`` points.

    - portal figure: scored from a registry metric (``metric``) of the unit: ``target`` or better earns full
      points, below it points in proportion (``lower_is_better`` for e.g. days to payment);
    - staff entry: the assessed unit's staff enter a value with evidence; the assessor confirms a score;
    - satisfaction: the unit's mean rating in ``survey`` (1–5) scaled to the weight."""

    class Kind(models.TextChoices):
        FIGURE = "figure", _("Portal figure")
        ENTRY = "entry", _("Staff entry with evidence")
        SATISFACTION = "satisfaction", _("Worker satisfaction")

    scheme = models.ForeignKey(AssessmentScheme, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    title = models.CharField(_("item"), max_length=200)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    weight = models.DecimalField(_("points"), max_digits=6, decimal_places=2)
    metric = models.CharField(_("figure"), max_length=64, blank=True)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2, null=True, blank=True)
    lower_is_better = models.BooleanField(_("lower is better"), default=False)
    survey = models.ForeignKey(
        "union_portal.Survey",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("survey"),
    )
    guidance = models.CharField(_("guidance"), max_length=300, blank=True)

    class Meta:
        ordering = ["scheme_id", "position", "id"]
        verbose_name = _("assessment item")
        verbose_name_plural = _("assessment items")

    def __str__(self) -> str:
        return self.title


class AssessmentEntry(models.Model):
    """A staff-entered item for one assessed unit: what they report, the evidence, and the score the
    assessor gives (None until scored)."""

    item = models.ForeignKey(AssessmentItem, on_delete=models.CASCADE, related_name="entries")
    unit = models.ForeignKey("union_portal.OrgUnit", on_delete=models.PROTECT, related_name="+")
    statement = models.TextField(_("what was done"))
    evidence = models.FileField(_("evidence"), upload_to=RandomUploadTo("dashboard/evidence"), blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    score_note = models.CharField(_("note"), max_length=200, blank=True)

    SCOPE_ORG = "unit"

    class Meta:
        ordering = ["item_id", "unit_id"]
        constraints = [models.UniqueConstraint(fields=["item", "unit"], name="one_entry_per_item_unit")]
        verbose_name = _("assessment entry")
        verbose_name_plural = _("assessment entries")

    def __str__(self) -> str:
        return f"{self.item} · {self.unit}"

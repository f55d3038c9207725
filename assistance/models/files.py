"""The hardship file (困难职工档案): one open file per household, nobody in two open files (``FilePerson``,
a partial unique constraint on each person's ID blind index). Valid for one year and reviewed yearly (动态管理);
closed on recovery, retirement, transfer out of the district or death, with reason and date."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from union_portal.money import MONEY

from .choices import Category, Relation

__all__ = ["FileStatus", "CloseReason", "AttentionReason", "HardshipFile", "FilePerson", "FileReview"]


class FileStatus(models.TextChoices):
    # A context: "Open" and "Closed" have other meanings in the shared catalogues (a link, a round).
    OPEN = "open", pgettext_lazy("hardship file status", "Open")
    CLOSED = "closed", pgettext_lazy("hardship file status", "Closed")


class CloseReason(models.TextChoices):
    RECOVERED = "recovered", _("Out of hardship")
    RETIRED = "retired", _("Retired")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out of the district")
    DECEASED = "deceased", _("Deceased")
    LEFT = "left", _("Left the union")
    OTHER = "other", _("Other")


class AttentionReason(models.TextChoices):
    """Why the roll sweep put a file to staff (stored in ``HardshipFile.attention`` as the code)."""

    TRANSFERRED_OUT = "transferred_out", _("The worker transferred out on the roll")
    RETIRED = "retired", _("The worker retired on the roll")
    LEFT = "left", _("The worker left the union on the roll")
    DECEASED = "deceased", _("The worker is recorded as deceased on the roll")
    OUTSIDE_DISTRICT = "outside_district", _("The worker's union is now outside the district")


class HardshipFile(models.Model):
    Status = FileStatus

    number = models.CharField(_("file number"), max_length=20, unique=True)
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("worker"))
    org = models.ForeignKey(
        "union_portal.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("grassroots union")
    )
    application = models.OneToOneField(
        "assistance.Application", on_delete=models.PROTECT, related_name="file", verbose_name=_("application")
    )
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    household_size = models.PositiveSmallIntegerField(_("household members"))
    per_capita_income = models.DecimalField(_("per-capita monthly income"), **MONEY)
    poverty_line = models.DecimalField(_("Minimum living standard line when assessed"), **MONEY)
    opened_on = models.DateField(_("opened on"))
    valid_until = models.DateField(_("valid until"))
    last_reviewed_on = models.DateField(_("last reviewed on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_reason = models.CharField(_("reason for closing"), max_length=20, choices=CloseReason.choices, blank=True)
    close_note = models.TextField(_("note on closing"), max_length=1000, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Set by the sweep when the member's roll status changed (left, retired, deceased, transferred): staff decide.
    attention = models.CharField(_("needs attention"), max_length=200, blank=True)
    attention_since = models.DateField(_("needs attention since"), null=True, blank=True)
    # Follow-up after recovery: when and what the union checks again with the household.
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    follow_up_note = models.CharField(_("follow-up note"), max_length=500, blank=True)
    # valid_until of the last yearly reminder sent (the daily reminder task sends one per validity period).
    reminded_for = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    SCOPE_ORG = "org"
    SCOPE_OWNER = "member__user"

    class Meta:
        ordering = ["-opened_on", "-id"]
        indexes = [
            models.Index(fields=["org", "status"], name="assist_file_org_status_idx"),
            models.Index(fields=["status", "valid_until"], name="assist_file_due_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(status="open"), name="assistance_one_open_file_per_member"
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_on__isnull=True)
                | Q(status="closed", closed_on__isnull=False) & ~Q(close_reason=""),
                name="assistance_closed_file_has_reason_and_date",
            ),
        ]
        verbose_name = _("hardship file")
        verbose_name_plural = _("hardship files")

    def __str__(self) -> str:
        return self.number

    def get_attention_display(self) -> str:
        return str(dict(AttentionReason.choices).get(self.attention, self.attention))


class FilePerson(models.Model):
    """A person of a file's household. ``is_open`` mirrors the file's status (kept by the services that open and
    close files), so that a partial unique constraint holds: nobody is in two open files."""

    file = models.ForeignKey(HardshipFile, on_delete=models.CASCADE, related_name="people")
    household_member = models.ForeignKey(
        "assistance.HouseholdMember", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    name = models.CharField(_("name"), max_length=50)
    id_number_hash = models.CharField(max_length=64, editable=False)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    is_open = models.BooleanField(default=True)

    class Meta:
        ordering = ["file", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_hash"], condition=Q(is_open=True), name="assistance_person_in_one_open_file"
            ),
        ]
        verbose_name = _("person in a file")
        verbose_name_plural = _("people in files")

    def __str__(self) -> str:
        return f"{self.file} · {self.get_relation_display()}"


class FileReview(models.Model):
    """The yearly review (动态管理): income re-checked, the category kept, changed, or the file closed."""

    class Outcome(models.TextChoices):
        KEPT = "kept", _("Kept in the same category")
        CHANGED = "changed", _("Category changed")
        CLOSED = "closed", _("File closed")

    file = models.ForeignKey(HardshipFile, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("reviewed on"))
    income_12m = models.DecimalField(_("household income, last 12 months"), **MONEY)
    household_size = models.PositiveSmallIntegerField(_("household members"))
    per_capita_income = models.DecimalField(_("per-capita monthly income"), **MONEY)
    category_before = models.CharField(max_length=10, choices=Category.choices)
    category_after = models.CharField(max_length=10, choices=Category.choices)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    note = models.TextField(_("note"), max_length=1000, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["file", "-reviewed_on", "-id"]
        verbose_name = _("yearly review")
        verbose_name_plural = _("yearly reviews")

    def __str__(self) -> str:
        return f"{self.file} · {self.reviewed_on}"

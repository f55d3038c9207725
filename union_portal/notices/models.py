"""Tables of the public-notice capability. Registered with the core app through ``union_portal.models``."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from union_portal import workdays
from union_portal.crypto import EncryptedTextField, mask_phone


class NoticeStatus(models.TextChoices):
    OPEN = "open", _("On notice")
    CLOSED = "closed", _("Closed")


class PublicNotice(models.Model):
    """A notice about one object (an award round's slate, a hardship file, an enterprise rating), run by a
    union for ``working_days`` working days from ``starts_on`` (a notice counts its first day). Its last day
    (``last_day``) is derived from the start, the length and the working-day calendar when it is read (cached
    until the holiday table changes). ``ends_on`` and ``warnings`` are a denormalised copy for queries (which
    notices are due), recomputed when the holiday table changes (``notices_reevaluate``), never the truth."""

    class Audience(models.TextChoices):
        PUBLIC = "public", _("Everyone")
        UNIT_MEMBERS = "unit_members", _("Members of the unit")

    Status = NoticeStatus

    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    org = models.ForeignKey(
        "union_portal.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("run by")
    )
    title = models.CharField(_("title"), max_length=200)
    unit_name = models.CharField(_("unit"), max_length=200, blank=True)
    audience = models.CharField(_("audience"), max_length=16, choices=Audience.choices, default=Audience.PUBLIC)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    working_days = models.PositiveSmallIntegerField(_("working days"))
    starts_on = models.DateField(_("public notice from"))
    ends_on = models.DateField(_("public notice until"))
    warnings = models.JSONField(default=list, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_ORG = "org"

    class Meta:
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="notice_subject_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="notice_ends_after_start"),
            models.UniqueConstraint(
                fields=["subject_type", "subject_id"],
                condition=Q(status=NoticeStatus.OPEN),
                name="one_open_notice_per_subject",
            ),
        ]
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")

    def __str__(self) -> str:
        return self.title

    @property
    def app_label(self) -> str:
        """The app whose object is on notice: its audit actions are named after it."""
        return ContentType.objects.get_for_id(self.subject_type_id).app_label

    @property
    def last_day(self):
        """The notice's last day, derived from its start, its length and the calendar as it is now."""
        return workdays.end_date(self.starts_on, self.working_days)[0]

    @property
    def calendar_warnings(self) -> list[str]:
        """The years the notice runs through without holiday data, as warnings in the active language."""
        return workdays.end_date(self.starts_on, self.working_days)[1]

    def is_running(self, today) -> bool:
        return self.status == self.Status.OPEN and self.starts_on <= today <= self.last_day


class Objection(models.Model):
    """Filed by anyone during a public notice, with real name and mobile phone (stored encrypted, shown
    masked); staff investigate and answer. ``item`` is what in the notice it is about (a candidate of a
    slate), or nothing when the notice has one subject."""

    class Status(models.TextChoices):
        OPEN = "open", _("Being investigated")
        UPHELD = "upheld", _("Upheld")
        DISMISSED = "dismissed", _("Not upheld")

    notice = models.ForeignKey(PublicNotice, on_delete=models.PROTECT, related_name="objections")
    item_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    item_id = models.PositiveBigIntegerField(null=True, blank=True)
    item = GenericForeignKey("item_type", "item_id")
    name = models.CharField(_("your real name"), max_length=50)
    phone = EncryptedTextField(_("mobile phone"))
    content = models.TextField(_("objection"), max_length=2000)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_ORG = "notice__org"

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["item_type", "item_id"], name="objection_item_idx")]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self) -> str:
        return f"{self.notice}: {self.name}"

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


class ReviewStep(models.Model):
    """One decision of a staged review (township, then district) of any object: pass it on, or return it
    with comments. The object keeps its own state; this is the record of who decided what, when, why."""

    class Stage(models.TextChoices):
        TOWNSHIP = "township", _("Township review")
        DISTRICT = "district", _("District committee")

    class Decision(models.TextChoices):
        PASS = "pass", _("Pass")
        RETURN = "return", _("Return with comments")

    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    decision = models.CharField(_("decision"), max_length=8, choices=Decision.choices)
    comment = models.TextField(_("comments"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="reviewstep_subject_idx")]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"{self.subject_type_id}:{self.subject_id} {self.stage} {self.decision}"

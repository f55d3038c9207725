"""Workers' congress sessions (职代会, 企业民主管理), their resolutions, the rules they are checked against, and open
factory affairs (厂务公开)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

__all__ = ["CongressSession", "CongressResolution", "CongressRule", "OpenAffairsItem", "OpenAffairsChannel"]


class CongressSession(models.Model):
    """A session of an enterprise's workers' congress: quorum 2/3 of delegates present (checked by the service,
    from a rule); resolutions pass with more than half of all delegates."""

    enterprise = models.ForeignKey("members.Enterprise", on_delete=models.PROTECT, related_name="+")
    org = models.ForeignKey(
        "union_portal.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("grassroots union")
    )
    held_on = models.DateField(_("held on"))
    delegates = models.PositiveIntegerField(_("delegates elected"))
    present = models.PositiveIntegerField(_("delegates present"))
    agenda = models.TextField(_("agenda"), max_length=4000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The rule the session was checked against when recorded (a later change of the rule does not rewrite it).
    quorum_numerator = models.PositiveSmallIntegerField(_("quorum (numerator)"), default=2)
    quorum_denominator = models.PositiveSmallIntegerField(_("quorum (denominator)"), default=3)

    SCOPE_ORG = "org"

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["enterprise", "held_on"], name="labour_congress_ent_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(present__lte=F("delegates")), name="labour_congress_present_le_delegates"
            ),
            models.CheckConstraint(condition=Q(delegates__gt=0), name="labour_congress_has_delegates"),
        ]
        verbose_name = _("workers' congress session")
        verbose_name_plural = _("workers' congress sessions")

    def __str__(self) -> str:
        return f"{self.enterprise} {self.held_on}"

    def get_absolute_url(self) -> str:
        return reverse("labour:congress_detail", args=[self.pk])


class CongressResolution(models.Model):
    """A resolution put to the vote. ``passed``: more than the majority share of ALL delegates voted for it
    (the rule of the session's time, kept on the row)."""

    session = models.ForeignKey(CongressSession, on_delete=models.CASCADE, related_name="resolutions")
    title = models.CharField(_("resolution"), max_length=200)
    votes_for = models.PositiveIntegerField(_("for"))
    votes_against = models.PositiveIntegerField(_("against"), default=0)
    abstentions = models.PositiveIntegerField(_("abstentions"), default=0)
    passed = models.BooleanField(_("passed"))
    majority_numerator = models.PositiveSmallIntegerField(default=1)
    majority_denominator = models.PositiveSmallIntegerField(default=2)

    SCOPE_ORG = "session__org"

    class Meta:
        ordering = ["session", "id"]
        verbose_name = _("congress resolution")
        verbose_name_plural = _("congress resolutions")

    def __str__(self) -> str:
        return self.title


class CongressRule(models.Model):
    """The district's rule for congress sessions (one row; none: the shipped defaults 2/3 and 1/2). Quorum: at
    least quorum_numerator/quorum_denominator of the delegates present; a resolution passes with MORE than
    majority_numerator/majority_denominator of all delegates voting for it."""

    quorum_numerator = models.PositiveSmallIntegerField(_("quorum (numerator)"), default=2)
    quorum_denominator = models.PositiveSmallIntegerField(_("quorum (denominator)"), default=3)
    majority_numerator = models.PositiveSmallIntegerField(_("majority (numerator)"), default=1)
    majority_denominator = models.PositiveSmallIntegerField(_("majority (denominator)"), default=2)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(quorum_denominator__gt=0)
                & Q(majority_denominator__gt=0)
                & Q(quorum_numerator__lte=F("quorum_denominator"))
                & Q(majority_numerator__lt=F("majority_denominator")),
                name="labour_congress_rule_fractions",
            )
        ]
        verbose_name = _("congress rule")
        verbose_name_plural = _("congress rules")

    def __str__(self) -> str:
        return (
            f"{self.quorum_numerator}/{self.quorum_denominator}, {self.majority_numerator}/{self.majority_denominator}"
        )


class OpenAffairsChannel(models.TextChoices):
    NOTICE_BOARD = "notice_board", _("Notice board")
    MEETING = "meeting", _("Staff meeting")
    ONLINE = "online", _("Online (intranet, WeChat group)")
    OTHER = "other", _("Other")


class OpenAffairsItem(models.Model):
    """What an enterprise published to its staff (厂务公开), when and how."""

    Channel = OpenAffairsChannel

    enterprise = models.ForeignKey("members.Enterprise", on_delete=models.PROTECT, related_name="+")
    org = models.ForeignKey(
        "union_portal.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("grassroots union")
    )
    subject = models.CharField(_("what was published"), max_length=200)
    published_on = models.DateField(_("published on"))
    channel = models.CharField(_("how"), max_length=20, choices=OpenAffairsChannel.choices)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_ORG = "org"

    class Meta:
        ordering = ["-published_on", "-id"]
        indexes = [models.Index(fields=["org", "published_on"], name="labour_openaffairs_org_idx")]
        verbose_name = _("open factory affairs item")
        verbose_name_plural = _("open factory affairs items")

    def __str__(self) -> str:
        return self.subject

"""Every deadline of the labour app is data (DOMAIN.md "Working days"): its length, whether it counts working or
calendar days, and whether the first day counts (a public notice) or the count starts on the day after the event
(a legal deadline). The district admin edits them; ``labour.deadlines`` computes due dates with the core's
calendar. A rule missing from the table falls back to its shipped default (``labour.deadlines.DEFAULTS``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["DeadlineKey", "DeadlineRule"]


class DeadlineKey(models.TextChoices):
    CASE_ACCEPT = "case_accept", _("Accept a rights case")
    CASE_FIRST_ANSWER = "case_first_answer", _("First answer to a rights case")
    CASE_CLOSE = "case_close", _("Close or report progress on a rights case")
    BARGAINING_REPLY = "bargaining_reply", _("Reply to a bargaining request")
    BARGAINING_FINISH = "bargaining_finish", _("Finish wage bargaining")
    CONTRACT_RENEWAL = "contract_renewal", _("Renewal window before a contract expires")
    CONTRACT_FILING = "contract_filing", _("File a signed contract with the labour authority")
    CONTRACT_OBJECTION = "contract_objection", _("Labour authority's objection window")
    CONTRACT_PUBLISH = "contract_publish", _("Publish a contract to all staff")
    RATING_NOTICE = "rating_notice", _("Public notice of a rating")


class DeadlineRule(models.Model):
    class Unit(models.TextChoices):
        WORKING = "working", _("working days")
        CALENDAR = "calendar", _("calendar days")

    key = models.CharField(_("deadline"), max_length=30, choices=DeadlineKey.choices, unique=True)
    length = models.PositiveSmallIntegerField(_("length"))
    unit = models.CharField(_("counted in"), max_length=10, choices=Unit.choices)
    first_day_counts = models.BooleanField(_("the first day counts"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")

    def __str__(self) -> str:
        return f"{self.get_key_display()}: {self.length} {self.get_unit_display()}"

"""The assistance rules a district admin edits, versioned: an application is judged by the version in force on
the day it was submitted (``RuleSet.in_force``). ``rules`` holds the thresholds as data (validated by
``assistance.rules.validate_rules``): the minimum living standard line, the relative multiple, the aggravating causes, the notice
length, the file's validity and the review reminder."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["RuleSet"]


class RuleSet(models.Model):
    org = models.ForeignKey(
        "union_portal.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("federation")
    )
    effective_from = models.DateField(_("effective from"))
    rules = models.JSONField(_("rules"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_ORG = "org"

    class Meta:
        ordering = ["org", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["org", "effective_from"], name="assistance_one_ruleset_per_day"),
        ]
        verbose_name = _("assistance rules")
        verbose_name_plural = _("assistance rules")

    def __str__(self) -> str:
        return f"{self.org} {self.effective_from}"

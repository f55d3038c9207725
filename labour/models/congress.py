"""Workers' congress sessions (职代会, 企业民主管理) and open factory affairs (厂务公开)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

__all__ = ["CongressSession"]


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

"""The names of this app's audit actions, read by the audit log (union_portal.audit_words)."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "assessment.create": _("Assessment created"),
    "assessment.entry": _("Assessment entry submitted"),
    "assessment.item_add": _("Assessment item added"),
    "assessment.item_remove": _("Assessment item removed"),
    "assessment.score": _("Assessment scored"),
    "assessment.status": _("Assessment status changed"),
    "dashboard.refresh": _("Dashboard figures refreshed"),
}

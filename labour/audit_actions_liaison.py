"""Audit action names: liaison."""

from django.utils.translation import gettext_lazy as _

ACTIONS: dict = {
    "labour.liaison.assign": _("Assigned an enterprise to a liaison cadre"),
    "labour.liaison.end": _("Ended a liaison assignment"),
    "labour.liaison.visit": _("Logged a liaison visit"),
    "labour.liaison.open_case": _("Opened a rights case from a liaison issue"),
    "labour.liaison.open_round": _("Asked for bargaining from a liaison issue"),
    "labour.liaison.close_issue": _("Closed a liaison issue"),
}

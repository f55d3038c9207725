"""Audit action names: congress."""

from django.utils.translation import gettext_lazy as _

ACTIONS: dict = {
    "labour.congress.record": _("Recorded a workers' congress session"),
    "labour.congress.rule": _("Changed the congress quorum and majority"),
    "labour.open_affairs.record": _("Recorded an open factory affairs item"),
}

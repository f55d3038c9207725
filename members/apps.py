from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self) -> None:
        from union_portal import hooks

        from . import signals  # noqa: F401  (the per-user cache's membership answer)
        from .services import transfers_reevaluate_release_due

        # A change of the holiday table moves the day a releasing union must answer a transfer by.
        hooks.subscribe("workdays.calendar_changed", transfers_reevaluate_release_due)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("Awards")

    def ready(self) -> None:
        from union_portal import hooks

        from .services import rounds_reevaluate_notices

        # A change of the holiday table moves the last day of the rounds' open public notices.
        hooks.subscribe("workdays.calendar_changed", rounds_reevaluate_notices)

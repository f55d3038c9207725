from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabourConfig(AppConfig):
    name = "labour"
    verbose_name = _("Labour relations")

    def ready(self) -> None:
        from union_portal import hooks

        from .services.cases import cases_reevaluate_deadlines

        # A change of the holiday table moves the timers of open rights cases (part cases).
        hooks.subscribe("workdays.calendar_changed", cases_reevaluate_deadlines)

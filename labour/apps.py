from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabourConfig(AppConfig):
    name = "labour"
    verbose_name = _("Labour relations")

    def ready(self) -> None:
        from union_portal import hooks

        from .services.cases import cases_reevaluate_deadlines
        from .services.ratings import rating_notices_reevaluate, titles_withdraw_for_case

        # A group case of unpaid wages withdraws the employer's harmonious-enterprise title (cases fire it).
        hooks.subscribe("labour.group_wage_case", titles_withdraw_for_case)
        # A change of the holiday table moves the last day of the ratings' open public notices.
        hooks.subscribe("workdays.calendar_changed", rating_notices_reevaluate)
        # A change of the holiday table moves the timers of open rights cases (part cases).
        hooks.subscribe("workdays.calendar_changed", cases_reevaluate_deadlines)

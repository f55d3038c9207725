from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "funds"
    verbose_name = _("Union funds")

    def ready(self) -> None:
        from union_portal import hooks

        from .tasks import on_enterprise_unionised

        # The founding reserve goes to the new union right after the founding commits (and nightly).
        hooks.subscribe("members.enterprise_unionised", on_enterprise_unionised)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnionPortalConfig(AppConfig):
    name = "union_portal"
    verbose_name = _("Union Portal")

    def ready(self) -> None:
        from . import checks, security, signals  # noqa: F401  (system checks; receivers: login audit, login time, IP throttle)

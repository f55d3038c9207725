from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """The federation dashboard: figures computed from every app's data, and assessments of the units. It
    reads the other apps; none of them imports it."""

    name = "dashboard"
    verbose_name = _("Dashboard")

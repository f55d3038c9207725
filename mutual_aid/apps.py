from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MutualAidConfig(AppConfig):
    name = "mutual_aid"
    verbose_name = _("Medical mutual aid")

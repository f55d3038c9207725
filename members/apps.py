from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")
    # Run by seed_demo right after members/demo.py: union funds' demo data, until funds is an app of its own.
    extra_demo_modules = ("members.demo_funds",)

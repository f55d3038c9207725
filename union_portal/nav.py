"""Navigation: each app lists what each role may do in ``<app>/nav.py`` as ``items(user) -> list[NavItem]``.

The base template shows the entries of every app; the home page shows them as cards."""

from dataclasses import dataclass
from importlib import import_module

from django.urls import NoReverseMatch, reverse

NAV_APPS = ["members", "funds", "mutual_aid", "competitions", "awards", "union_portal"]


@dataclass(frozen=True)
class NavItem:
    section: str
    label: str
    url_name: str
    icon: str = "circle"
    description: str = ""

    @property
    def url(self) -> str:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return "#"


def nav_items(user) -> list[NavItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    items: list[NavItem] = []
    for app in NAV_APPS:
        try:
            module = import_module(f"{app}.nav")
        except ModuleNotFoundError:
            continue
        items.extend(module.items(user))
    return items


def nav_sections(user) -> list[tuple[str, list[NavItem]]]:
    sections: dict[str, list[NavItem]] = {}
    for item in nav_items(user):
        sections.setdefault(item.section, []).append(item)
    return list(sections.items())


def items(user) -> list[NavItem]:
    """union_portal's own entries."""
    from django.utils.translation import gettext_lazy as _

    from .roles import ADMIN_ROLES
    from .scoping import has_role

    result = [NavItem(_("Me"), _("Inbox"), "inbox", "bell", _("Messages about your applications and claims"))]
    from .accounts import MANAGER_ROLES

    if has_role(user, *MANAGER_ROLES):
        result.append(
            NavItem(
                _("Administration"),
                _("Staff accounts"),
                "staff_list",
                "person-badge",
                _("Accounts and roles in your area"),
            )
        )
    if has_role(user, *ADMIN_ROLES):
        result.append(
            NavItem(_("Administration"), _("Audit log"), "audit_list", "journal-text", _("Who did what, when"))
        )
    from .dashboard.nav import items as dashboard_items

    return result + dashboard_items(user)

"""Menu entries: applications."""

from django.utils.translation import gettext_lazy as _

from union_portal.membership import holds_membership
from union_portal.nav import NavItem
from union_portal.roles import Role
from union_portal.scoping import has_role

from .permissions.applications import STAFF_ROLES

SECTION = _("Hardship assistance")


def items(user) -> list[NavItem]:
    result = []
    if has_role(user, *STAFF_ROLES):
        result.append(
            NavItem(
                SECTION,
                _("Hardship applications"),
                "assistance:application_list",
                "heart",
                _("Home visits, categories, review"),
            )
        )
    if has_role(user, Role.DISTRICT_ADMIN):
        result.append(
            NavItem(
                SECTION,
                _("Assistance rules"),
                "assistance:rules",
                "sliders",
                _("Minimum living standard line and categories"),
            )
        )
    if getattr(user, "is_authenticated", False) and holds_membership(user):
        result.append(NavItem(SECTION, _("My assistance"), "assistance:my", "heart", _("Apply and follow")))
        result.append(
            NavItem(SECTION, _("Notices at my union"), "assistance:unit_notices", "megaphone", _("Hardship notices"))
        )
    return result

"""Menu entries: campaigns."""

from django.utils.translation import gettext_lazy as _

from union_portal.nav import NavItem
from union_portal.scoping import has_role, roles_of

from .permissions.campaigns import RECIPIENT_VIEW_ROLES, VIEW_ROLES

SECTION = _("Hardship assistance")


def items(user) -> list[NavItem]:
    # No queries beyond the cached roles: the menu is on every page.
    result = []
    if not roles_of(user):
        result.append(
            NavItem(SECTION, _("My help"), "assistance:my_help", "gift", _("Help you received from your union"))
        )
    if has_role(user, *VIEW_ROLES):
        result.append(
            NavItem(
                SECTION,
                _("Help campaigns"),
                "assistance:campaign_list",
                "gift",
                _("Warmth, education grants, medical and living assistance"),
            )
        )
        result.append(
            NavItem(
                SECTION,
                _("Help statistics"),
                "assistance:help_statistics",
                "bar-chart",
                _("Help paid by campaign and township"),
            )
        )
    elif has_role(user, *RECIPIENT_VIEW_ROLES):
        result.append(
            NavItem(SECTION, _("Help recipients"), "assistance:recipient_list", "people", _("Recipients in your union"))
        )
    return result

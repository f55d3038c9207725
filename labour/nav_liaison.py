"""Menu entries: liaison."""

from django.utils.translation import gettext_lazy as _

from union_portal.nav import NavItem
from union_portal.scoping import has_role

from .permissions.liaison import CADRE_ROLES, VIEW_ROLES


def items(user) -> list[NavItem]:
    result = []
    if has_role(user, *CADRE_ROLES):
        result.append(
            NavItem(
                _("Labour relations"),
                _("My liaison enterprises"),
                "labour:liaison_mine",
                "signpost",
                _("Cadres' liaison: firms to visit"),
            )
        )
    if has_role(user, *VIEW_ROLES):
        result.append(
            NavItem(
                _("Labour relations"),
                _("Liaison assignments"),
                "labour:liaison_assignments",
                "diagram-3",
                _("Who visits which enterprise"),
            )
        )
    return result

"""Menu entries: congress."""

from django.utils.translation import gettext_lazy as _

from union_portal.nav import NavItem
from union_portal.scoping import has_role

from .permissions.congress import VIEW_ROLES


def items(user) -> list[NavItem]:
    if not has_role(user, *VIEW_ROLES):
        return []
    return [
        NavItem(
            _("Labour relations"),
            _("Workers' congresses"),
            "labour:congress_list",
            "people",
            _("Congress sessions, quorum and votes"),
        ),
        NavItem(
            _("Labour relations"),
            _("Open factory affairs"),
            "labour:open_affairs_list",
            "megaphone",
            _("What enterprises publish to their staff"),
        ),
    ]

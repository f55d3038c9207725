from django.utils.translation import gettext_lazy as _

from union_portal.nav import NavItem
from union_portal.roles import SUBTREE_ROLES
from union_portal.scoping import has_role


def items(user) -> list[NavItem]:
    result = []
    if has_role(user, *SUBTREE_ROLES):
        result.append(
            NavItem(
                _("Organisation"),
                _("Union organisations"),
                "members:org_list",
                "diagram-3",
                _("The union tree in your area"),
            )
        )
    return result

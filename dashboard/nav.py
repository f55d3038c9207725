from django.utils.translation import gettext_lazy as _

from union_portal.nav import NavItem
from union_portal.roles import ADMIN_ROLES, Role
from union_portal.scoping import has_role


def items(user) -> list[NavItem]:
    """Dashboard entries: figures and assessments for admins and township staff (surveys are the core's)."""
    result = []
    section = _("Dashboard")
    if has_role(user, *ADMIN_ROLES, Role.TOWNSHIP_STAFF):
        result.append(
            NavItem(
                section,
                _("Federation dashboard"),
                "dashboard:home",
                "bar-chart-line",
                _("Membership, rates and every figure, down to each union"),
            )
        )
        result.append(
            NavItem(
                section,
                _("Assessment"),
                "dashboard:scheme_list",
                "clipboard-check",
                _("Scored checklists and rankings of the units"),
            )
        )
    return result

from django.utils.translation import gettext_lazy as _

from union_portal.nav import NavItem
from union_portal.scoping import has_role

from .permissions import ASSESS_ROLES


def items(user) -> list[NavItem]:
    """Dashboard entries: figures and assessments for admins and township staff (surveys are the core's)."""
    result = []
    section = _("Dashboard")
    if has_role(user, *ASSESS_ROLES):
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

from django.utils.translation import gettext_lazy as _

from union_portal.nav import NavItem
from union_portal.roles import ADMIN_ROLES, Role
from union_portal.scoping import has_role, roles_of


def items(user) -> list[NavItem]:
    """Dashboard entries: figures for admins and township staff, surveys and assessments, a worker's surveys."""
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
    if has_role(user, *ADMIN_ROLES, Role.TOWNSHIP_STAFF):
        result.append(
            NavItem(
                section,
                _("Satisfaction surveys"),
                "dashboard:survey_list",
                "emoji-smile",
                _("Ask workers how well a service works"),
            )
        )
    # Workers hold no role; asking for user.member here would cost a query on every page.
    if getattr(user, "is_authenticated", False) and not roles_of(user):
        result.append(
            NavItem(_("Me"), _("Surveys"), "dashboard:my_surveys", "ui-checks", _("Tell the union how it is doing"))
        )
    return result

"""Menu entries: cases."""

from django.utils.translation import gettext_lazy as _

from union_portal.nav import NavItem
from union_portal.roles import Role
from union_portal.scoping import has_role, roles_of

from .permissions.cases import CASE_ADMIN_ROLES, CASE_STAFF_ROLES

SECTION = _("Rights protection")


def items(user) -> list[NavItem]:
    # No queries: the menu is on every page. A user without any role is taken to be a worker.
    result = []
    if not roles_of(user):
        result.append(
            NavItem(SECTION, _("My rights cases"), "labour:my_cases", "shield-check", _("Ask the union for help"))
        )
    if has_role(user, *CASE_STAFF_ROLES, Role.LAWYER):
        result.append(NavItem(SECTION, _("Rights cases"), "labour:case_list", "briefcase", _("Cases in your area")))
    if has_role(user, Role.RIGHTS_OFFICER, Role.DISTRICT_ADMIN):
        result.append(NavItem(SECTION, _("12351 hotline call"), "labour:case_hotline", "telephone", _("Record a call")))
    if has_role(user, *CASE_ADMIN_ROLES):
        result.append(
            NavItem(SECTION, _("Legal-aid lawyers"), "labour:lawyer_list", "people", _("The roster and workload"))
        )
    if has_role(user, Role.DISTRICT_ADMIN):
        result.append(
            NavItem(SECTION, _("Rights case settings"), "labour:case_settings", "sliders", _("Group-case warning"))
        )
    return result

"""Menu entries: contracts."""

from django.utils.translation import gettext_lazy as _

from union_portal.nav import NavItem
from union_portal.scoping import has_role

from .permissions.contracts import DEADLINE_ADMIN_ROLES, STAFF_ROLES

SECTION = _("Labour relations")


def items(user) -> list[NavItem]:
    result = []
    if has_role(user, *STAFF_ROLES):
        result += [
            NavItem(SECTION, _("Collective contracts"), "labour:contract_list", "file-earmark-text", _("Contracts, filing and renewal")),
            NavItem(SECTION, _("Bargaining rounds"), "labour:round_list", "people", _("Wage bargaining requests and sessions")),
            NavItem(SECTION, _("Bargaining officers"), "labour:officer_list", "person-badge", _("Officers and instructors")),
        ]  # fmt: skip
    if has_role(user, *DEADLINE_ADMIN_ROLES):
        result.append(
            NavItem(SECTION, _("Labour deadlines"), "labour:deadline_rules", "hourglass-split", _("Deadline rules"))
        )
    return result

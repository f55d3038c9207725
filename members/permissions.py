"""Who may do what with the roll. Object access itself goes through union_portal.scoping."""

from union_portal.models import OrgUnit
from union_portal.roles import ADMIN_ROLES, REVEAL_ROLES, Role
from union_portal.scoping import has_role, node_in_scope

from .models import Member

# Keep the roll (add, edit, status, transfers, imports, join approvals): the union's handler, the township
# staff above it, district/city admins.
ROLL_ROLES = (Role.HANDLER, Role.TOWNSHIP_STAFF, *ADMIN_ROLES)
# Register enterprises and decide union founding applications.
FOUNDING_ROLES = (Role.TOWNSHIP_STAFF, *ADMIN_ROLES)


def can_keep_roll(user, org: OrgUnit) -> bool:
    return node_in_scope(user, org, roles=ROLL_ROLES)


def can_manage_enterprises(user, township: OrgUnit) -> bool:
    return node_in_scope(user, township, roles=FOUNDING_ROLES)


def can_reveal(user, member: Member) -> bool:
    """May see this member's ID number, phone and bank account in full (each reveal is audited)."""
    return node_in_scope(user, member.org, roles=REVEAL_ROLES)


def may_export_full(user) -> bool:
    return has_role(user, *REVEAL_ROLES)

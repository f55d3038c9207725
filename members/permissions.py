"""Who may do what with the roll. Object access itself goes through union_portal.scoping."""

from django.core.exceptions import PermissionDenied

from union_portal.models import OrgUnit
from union_portal.roles import ADMIN_ROLES, REVEAL_ROLES, SUBTREE_ROLES, Role
from union_portal.scoping import get_in_scope_or_404, has_role, node_in_scope

from .models import Member

# Keep the roll (add, edit, status, transfers, imports, join approvals): the union's handler, the township
# staff above it, district/city admins.
ROLL_ROLES = (Role.HANDLER, Role.TOWNSHIP_STAFF, *ADMIN_ROLES)
# Register enterprises and decide union founding applications.
FOUNDING_ROLES = (Role.TOWNSHIP_STAFF, *ADMIN_ROLES)
# Create, edit and move organisation units: admins anywhere in their subtree, township staff below their
# township.
ORG_MANAGER_ROLES = (*ADMIN_ROLES, Role.TOWNSHIP_STAFF)
# See the roll of their subtree.
ROLL_VIEWERS = SUBTREE_ROLES


def can_see_roll(user) -> bool:
    return has_role(user, *ROLL_VIEWERS)


def can_manage_org(user, node: OrgUnit) -> bool:
    return node_in_scope(user, node, roles=ORG_MANAGER_ROLES)


def can_keep_roll(user, org: OrgUnit) -> bool:
    return node_in_scope(user, org, roles=ROLL_ROLES)


def can_manage_enterprises(user, township: OrgUnit) -> bool:
    return node_in_scope(user, township, roles=FOUNDING_ROLES)


def can_reveal(user, member: Member) -> bool:
    """May see this member's ID number, phone and bank account in full (each reveal is audited)."""
    return node_in_scope(user, member.org, roles=REVEAL_ROLES)


def may_export_full(user) -> bool:
    return has_role(user, *REVEAL_ROLES)


def get_member_for(user, pk: int, *, for_change: bool = False) -> Member:
    """A member the user may see (staff by subtree, a worker their own), or Http404; with ``for_change``,
    403 unless they keep the member's roll."""
    member = get_in_scope_or_404(Member.objects.select_related("org", "enterprise", "group", "user"), user, pk=pk)
    if for_change and not can_keep_roll(user, member.org):
        raise PermissionDenied
    return member

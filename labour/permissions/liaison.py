"""Who may assign, visit and follow up in cadres' liaison (百名干部联基层). Cadres are district and township
staff; the district admin and township staff assign enterprises of their subtree to cadres whose own area
holds the enterprise. Object access goes through union_portal.scoping (404 outside the subtree)."""

from django.core.exceptions import PermissionDenied

from union_portal.roles import Role
from union_portal.scoping import get_in_scope_or_404, node_in_scope

from ..models import LiaisonAssignment, LiaisonIssue

CADRE_ROLES = (Role.DISTRICT_ADMIN, Role.TOWNSHIP_STAFF)
ASSIGNER_ROLES = (Role.DISTRICT_ADMIN, Role.TOWNSHIP_STAFF)
VIEW_ROLES = (Role.CITY_ADMIN, Role.DISTRICT_ADMIN, Role.TOWNSHIP_STAFF)


def can_assign(user, enterprise) -> bool:
    return node_in_scope(user, enterprise.township, roles=ASSIGNER_ROLES)


def can_be_cadre_for(user, enterprise) -> bool:
    return user.is_active and node_in_scope(user, enterprise.township, roles=CADRE_ROLES)


def is_cadre_of(user, assignment: LiaisonAssignment) -> bool:
    return assignment.cadre_id == user.pk


def can_log_visit(user, assignment: LiaisonAssignment) -> bool:
    return is_cadre_of(user, assignment) and assignment.ended_on is None


def can_follow_up(user, issue: LiaisonIssue) -> bool:
    """The cadre who raised it, or whoever may assign the enterprise."""
    assignment = issue.visit.assignment
    return is_cadre_of(user, assignment) or can_assign(user, assignment.enterprise)


def get_assignment_for(user, pk: int, *, for_change: bool = False) -> LiaisonAssignment:
    """The assignment when it lies in the user's area (404); ``for_change``: 403 unless they may assign it."""
    assignment = get_in_scope_or_404(
        LiaisonAssignment.objects.select_related("cadre", "enterprise__township", "enterprise__union", "org"),
        user,
        roles=VIEW_ROLES,
        pk=pk,
    )
    if for_change and not can_assign(user, assignment.enterprise):
        raise PermissionDenied
    return assignment


def get_issue_for(user, pk: int, *, for_change: bool = False) -> LiaisonIssue:
    issue = get_in_scope_or_404(
        LiaisonIssue.objects.select_related(
            "visit__assignment__enterprise__township", "visit__assignment__cadre", "rights_case"
        ),
        user,
        roles=VIEW_ROLES,
        pk=pk,
    )
    if for_change and not can_follow_up(user, issue):
        raise PermissionDenied
    return issue

"""Who may see and record workers' congress sessions and open factory affairs. The enterprise's grassroots
handler records; township and district staff see their subtree (object access through union_portal.scoping)."""

from django.core.exceptions import PermissionDenied

from union_portal.roles import Role
from union_portal.scoping import get_in_scope_or_404, roles_at

from ..models import CongressSession

VIEW_ROLES = (Role.CITY_ADMIN, Role.DISTRICT_ADMIN, Role.TOWNSHIP_STAFF, Role.HANDLER)
RECORD_ROLES = (Role.HANDLER,)
RULE_ROLES = (Role.DISTRICT_ADMIN,)


def can_record(user, enterprise) -> bool:
    """The handler of the enterprise's own grassroots union (or above it, a handler of its parent union)."""
    return enterprise.union_id is not None and bool(roles_at(user, enterprise.union) & set(RECORD_ROLES))


def check_can_record(user, enterprise) -> None:
    if not can_record(user, enterprise):
        raise PermissionDenied


def get_session_for(user, pk: int) -> CongressSession:
    """The session when it lies in the user's area (404 otherwise)."""
    return get_in_scope_or_404(
        CongressSession.objects.select_related("enterprise", "org", "created_by"), user, roles=VIEW_ROLES, pk=pk
    )

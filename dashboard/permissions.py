"""Who may see the dashboard and run or enter assessments. Views, the API, nav and the services call these."""

from django.core.exceptions import PermissionDenied

from union_portal.models import OrgUnit
from union_portal.permissions import can_administer
from union_portal.roles import ADMIN_ROLES, Role
from union_portal.scoping import get_in_scope_or_404, has_role, node_in_scope

from .models import AssessmentScheme

DASHBOARD_ROLES = (Role.CITY_ADMIN, Role.DISTRICT_ADMIN, Role.TOWNSHIP_STAFF)
# Publish and score assessments: district and city admins over the scheme's owner.
ASSESSORS = ADMIN_ROLES
# See the assessments: the assessors and the township staff who enter items.
ASSESS_ROLES = (*ADMIN_ROLES, Role.TOWNSHIP_STAFF)


def can_see_dashboard(user) -> bool:
    return has_role(user, *DASHBOARD_ROLES)


def can_assess(user, scheme: AssessmentScheme) -> bool:
    return can_administer(user, scheme.owner)


def can_enter_for(user, unit: OrgUnit) -> bool:
    """Township staff of the unit (or an admin above it) enter items for it."""
    return node_in_scope(user, unit, roles=ASSESS_ROLES)


def get_scheme_for(user, pk: int, *, for_change: bool = False) -> AssessmentScheme:
    """A scheme under the user's admin assignment (404 otherwise); with ``for_change``, 403 unless they
    administer its owner."""
    scheme = get_in_scope_or_404(AssessmentScheme.objects.select_related("owner"), user, roles=ASSESSORS, pk=pk)
    if for_change and not can_assess(user, scheme):
        raise PermissionDenied
    return scheme

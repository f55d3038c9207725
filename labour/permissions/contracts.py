"""Who may see and change collective contracts, bargaining rounds and the register of bargaining officers.

Staff see the rows of their subtree (``union_portal.scoping``): a grassroots handler his union's, township staff
their township's, the district everything. Changing a row needs a staff role at its union or above (404 when not
visible, 403 when visible but not changeable). The deadline rules are the district admin's."""

from django.core.exceptions import PermissionDenied

from union_portal.roles import Role
from union_portal.scoping import get_in_scope_or_404, roles_at

from ..models import BargainingOfficer, BargainingRound, CollectiveContract

STAFF_ROLES = (Role.DISTRICT_ADMIN, Role.CITY_ADMIN, Role.TOWNSHIP_STAFF, Role.HANDLER)
# who records contracts, rounds and officers at a union (the city watches only)
CHANGE_ROLES = frozenset({Role.DISTRICT_ADMIN, Role.TOWNSHIP_STAFF, Role.HANDLER})
DEADLINE_ADMIN_ROLES = (Role.DISTRICT_ADMIN,)


def can_change_at(user, org) -> bool:
    """A staff role that records contracts at ``org`` or one of its ancestors."""
    return bool(roles_at(user, org) & CHANGE_ROLES)


def get_contract_for(user, pk: int, *, for_change: bool = False) -> CollectiveContract:
    contract = get_in_scope_or_404(
        CollectiveContract.objects.select_related("org", "enterprise", "created_by"), user, roles=STAFF_ROLES, pk=pk
    )
    if for_change and not can_change_at(user, contract.org):
        raise PermissionDenied
    return contract


def get_round_for(user, pk: int, *, for_change: bool = False) -> BargainingRound:
    round_ = get_in_scope_or_404(
        BargainingRound.objects.select_related("org", "enterprise", "contract"), user, roles=STAFF_ROLES, pk=pk
    )
    if for_change and not can_change_at(user, round_.org):
        raise PermissionDenied
    return round_


def get_officer_for(user, pk: int, *, for_change: bool = False) -> BargainingOfficer:
    officer = get_in_scope_or_404(BargainingOfficer.objects.select_related("org"), user, roles=STAFF_ROLES, pk=pk)
    if for_change and not can_change_at(user, officer.org):
        raise PermissionDenied
    return officer

"""Who may do what with union funds and member dues. Views, forms, nav and the services call these; which
rows a user sees is in ``funds.selectors`` (a funds row lies under its enterprise's township and union)."""

from django.core.exceptions import PermissionDenied

from members.models import Enterprise, Member
from union_portal.models import OrgUnit
from union_portal.roles import Role
from union_portal.scoping import has_role, node_in_scope

from .models import FundsCollection

# Who may see funds pages (their subtree), record payroll and collections, and administer the ledger.
FUNDS_VIEW_ROLES = frozenset({Role.CITY_ADMIN, Role.DISTRICT_ADMIN, Role.FINANCE, Role.TOWNSHIP_STAFF, Role.HANDLER})
FUNDS_RECORD_ROLES = frozenset({Role.DISTRICT_ADMIN, Role.FINANCE, Role.TOWNSHIP_STAFF})
FUNDS_ADMIN_ROLES = frozenset({Role.DISTRICT_ADMIN, Role.FINANCE})
DUES_ROLES = frozenset({Role.DISTRICT_ADMIN, Role.FINANCE, Role.TOWNSHIP_STAFF, Role.HANDLER})


def has_funds_role(user, roles) -> bool:
    return has_role(user, *roles)


def can_view_enterprise(user, enterprise: Enterprise) -> bool:
    if node_in_scope(user, enterprise.township, roles=FUNDS_VIEW_ROLES):
        return True
    return enterprise.union is not None and node_in_scope(user, enterprise.union, roles=FUNDS_VIEW_ROLES)


def can_record_for(user, enterprise: Enterprise) -> bool:
    """Township staff for their township's enterprises, finance and district admins for the district."""
    return node_in_scope(user, enterprise.township, roles=FUNDS_RECORD_ROLES)


def can_administer(user, node: OrgUnit) -> bool:
    return node_in_scope(user, node, roles=FUNDS_ADMIN_ROLES)


def can_record_dues(user, member: Member) -> bool:
    return node_in_scope(user, member.org, roles=DUES_ROLES)


def get_enterprise_for(user, pk: int, *, for_change: bool = False) -> Enterprise:
    """An enterprise whose funds the user sees (404 otherwise); with ``for_change``, 403 unless they record
    funds for it."""
    from .selectors import enterprise_get_for_funds  # which funds rows a user sees is a read

    enterprise = enterprise_get_for_funds(user=user, pk=pk)
    if for_change and not can_record_for(user, enterprise):
        raise PermissionDenied
    return enterprise


def get_collection_for(user, pk: int, *, for_change: bool = False) -> FundsCollection:
    """A collection the user sees (404 otherwise); with ``for_change`` (a reversal), 403 unless they
    administer the funds of its township."""
    from .selectors import collection_get

    collection = collection_get(user=user, pk=pk)
    if for_change and not can_administer(user, collection.enterprise.township):
        raise PermissionDenied
    return collection

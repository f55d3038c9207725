"""Who may see and change hardship files. Object access goes through ``union_portal.scoping``: 404 when the file
is not in the user's subtree, 403 when it is but the user may not change it."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from union_portal.roles import REVEAL_ROLES, Role
from union_portal.scoping import has_role, roles_at, scope

from ..models import HardshipFile

# Staff who see the files of their subtree: the grassroots handler (their union), township staff, the district.
FILE_VIEW_ROLES = (Role.HANDLER, Role.TOWNSHIP_STAFF, Role.DISTRICT_ADMIN)
# Staff who review, close, clear the sweep's flag and record the follow-up: township staff review, the district
# decides (DOMAIN.md "Hardship assistance").
FILE_CHANGE_ROLES = frozenset({Role.TOWNSHIP_STAFF, Role.DISTRICT_ADMIN})
# The statistics page: the district admin (and the city above), township staff for their subtree.
FILE_STATS_ROLES = (Role.CITY_ADMIN, Role.DISTRICT_ADMIN, Role.TOWNSHIP_STAFF)


def can_see_files(user) -> bool:
    return has_role(user, *FILE_VIEW_ROLES)


def can_change_file(user, file: HardshipFile) -> bool:
    """Township staff or the district admin over the file's union."""
    return bool(FILE_CHANGE_ROLES & roles_at(user, file.org))


def can_reveal_file(user, file: HardshipFile) -> bool:
    """May see the household's health and income details and ID numbers in full (each view is audited)."""
    return bool(set(REVEAL_ROLES) & set(FILE_VIEW_ROLES) & roles_at(user, file.org))


def get_file_for(user, pk: int, *, for_change: bool = False) -> HardshipFile:
    """The file when it lies in the user's subtree (as staff of FILE_VIEW_ROLES), 404 otherwise; with
    ``for_change``, 403 unless the user may change it."""
    qs = HardshipFile.objects.select_related("member", "org", "application", "closed_by")
    # Staff only: a worker sees their own file on "my file", never the staff page.
    file = scope(qs, user, roles=FILE_VIEW_ROLES, include_owner=False).filter(pk=pk).first()
    if file is None:
        raise Http404
    if for_change and not can_change_file(user, file):
        raise PermissionDenied
    return file

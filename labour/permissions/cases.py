"""Who may see and work rights cases (维权).

A case is seen by
- rights officers (and district/city admins) whose node's subtree holds the handling union (``case.org``): a
  case-only scope, so a rights officer is NOT in ``SUBTREE_ROLES`` and never sees the member roll;
- a grassroots handler, for a case the worker let their employer learn of (``confidential`` False) whose
  employer union lies in the handler's subtree (read only);
- a lawyer of the roster, for the cases assigned to them (open assignment);
- the worker who filed it (``case.user``).
A confidential case is hidden from everyone holding any role at the employer's own grassroots union or below
(union chairs are often managers), whatever else they hold. 404 when not visible, 403 when visible but not
changeable."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from union_portal.roles import Role
from union_portal.scoping import assignments_of, has_role, node_in_scope, scope_paths
from union_portal.tree import ancestor_paths, subtree_q

from ..models import LawyerAssignment, RightsCase

# Roles that see the cases of their subtree (by the handling union).
CASE_SCOPE_ROLES = (Role.RIGHTS_OFFICER, Role.DISTRICT_ADMIN, Role.CITY_ADMIN)
# Roles that accept, handle and close cases in their subtree.
CASE_HANDLE_ROLES = (Role.RIGHTS_OFFICER, Role.DISTRICT_ADMIN)
# Roles that read non-confidential cases of their own enterprise's union.
CASE_EMPLOYER_ROLES = (Role.HANDLER,)
# Every staff role that has a case list (the menu and the list page).
CASE_STAFF_ROLES = (*CASE_SCOPE_ROLES, *CASE_EMPLOYER_ROLES)
# The district's settings of cases (the group-case warning threshold) and the lawyers' roster.
CASE_ADMIN_ROLES = (Role.DISTRICT_ADMIN, Role.RIGHTS_OFFICER)


def employer_hidden_paths(user) -> list[str]:
    """Paths of every node at or above one of the user's assignments: a confidential case whose employer union
    is one of them is hidden from the user (they hold a role at the employer's union or below)."""
    paths: set[str] = set()
    for _role, _node, path in assignments_of(user):
        paths.update(ancestor_paths(path, include_self=True))
    return sorted(paths)


def visible_cases_q(user) -> Q:
    """The cases ``user`` may see, as one Q (no query of its own beyond the cached assignments)."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    query = Q(user=user)
    scope_roots = scope_paths(user, CASE_SCOPE_ROLES)
    if scope_roots:
        query |= subtree_q(*scope_roots, field="org")
    employer_roots = scope_paths(user, CASE_EMPLOYER_ROLES)
    if employer_roots:
        query |= Q(confidential=False) & subtree_q(*employer_roots, field="employer_union")
    if has_role(user, Role.LAWYER):
        query |= Q(pk__in=LawyerAssignment.objects.filter(lawyer__user=user, ended_on__isnull=True).values("case_id"))
    hidden = employer_hidden_paths(user)
    if hidden:
        # The worker always sees their own case.
        query &= ~Q(confidential=True, employer_union__path__in=hidden) | Q(user=user)
    return query


def can_handle(user, case: RightsCase) -> bool:
    """A rights officer (or district admin) whose subtree holds the handling union, never one at the employer."""
    if not node_in_scope(user, case.org, roles=CASE_HANDLE_ROLES):
        return False
    if case.confidential and case.employer_union_id:
        return case.employer_union.path not in employer_hidden_paths(user)
    return True


def is_assigned_lawyer(user, case: RightsCase) -> bool:
    return (
        has_role(user, Role.LAWYER)
        and LawyerAssignment.objects.filter(case=case, lawyer__user=user, ended_on__isnull=True).exists()
    )


def can_work(user, case: RightsCase) -> bool:
    """Record steps and documents: the handling officer or the assigned lawyer, while the case is open."""
    return case.is_open and (can_handle(user, case) or is_assigned_lawyer(user, case))


def can_reveal(user, case: RightsCase) -> bool:
    """See the worker's mobile and health details in full (audited)."""
    return can_handle(user, case) or is_assigned_lawyer(user, case)


def is_owner(user, case: RightsCase) -> bool:
    return bool(getattr(user, "is_authenticated", False) and case.user_id == user.pk)


def get_case_for(user, pk: int, *, for_change: bool = False) -> RightsCase:
    """The case ``pk`` if ``user`` may see it (404 otherwise); with ``for_change``, 403 unless they may handle
    it or work it as its lawyer."""
    case = (
        RightsCase.objects.filter(visible_cases_q(user), pk=pk)
        .select_related("org", "enterprise", "employer_union", "officer", "group_lead", "member")
        .first()
    )
    if case is None:
        raise Http404
    if for_change and not (can_handle(user, case) or is_assigned_lawyer(user, case)):
        raise PermissionDenied
    return case

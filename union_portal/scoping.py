"""The one scoping mechanism. Every list, detail, export, API and file view goes through it.

A model declares how it is scoped with two class attributes:

- ``SCOPE_ORG``: the lookup path from the model to its ``union_portal.OrgUnit`` ("org", "claim__member__org";
  "" for OrgUnit itself). Staff see a row when that unit lies in the subtree of one of their assignments.
- ``SCOPE_PATH`` (optional): a column of the model that holds a copy of its unit's path (Member.org_path,
  kept by triggers); staff scoping then reads it (``tree.subtree_path_q``) instead of joining the tree.
- ``SCOPE_OWNER`` (optional): the lookup path to the owning user ("user", "member__user"). A worker sees
  the rows they own.

``scope(qs, user)`` filters a queryset; ``get_in_scope_or_404(qs, user, **lookup)`` fetches one object or
raises Http404, the same answer for "missing" and "not yours".
"""

from collections.abc import Iterable

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from .roles import ADMIN_ROLES, SUBTREE_ROLES, Role
from .tree import ancestor_paths, is_within, subtree_path_q, subtree_q
from .tree import children as tree_children


def assignments_of(user) -> list[tuple[str, int, str]]:
    """(role, node id, node path) for each assignment: from the per-user cache (``usercache``: a change of the
    user's assignments or of the tree is seen on the next read), kept on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_portal_assignments", None)
    if cached is None:
        from .usercache import cached_for_user

        cached = cached_for_user(
            user, "assignments", lambda: list(user.assignments.values_list("role", "node_id", "node__path"))
        )
        user._portal_assignments = cached
    return cached


def roles_of(user) -> set[str]:
    return {role for role, _node, _path in assignments_of(user)}


def has_role(user, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def is_admin(user) -> bool:
    return has_role(user, *ADMIN_ROLES)


def scope_paths(user, roles: Iterable[str] | None = None) -> list[str]:
    """Paths of the nodes whose subtrees the user may see, minimal (a path under another is dropped)."""
    wanted = set(roles) if roles is not None else SUBTREE_ROLES
    paths = sorted({path for role, _node, path in assignments_of(user) if role in wanted})
    minimal: list[str] = []
    for path in paths:
        if not any(is_within(path, kept) for kept in minimal):
            minimal.append(path)
    return minimal


def scope_q(model: type[Model], user, *, roles: Iterable[str] | None = None, include_owner: bool = True) -> Q:
    org_field = getattr(model, "SCOPE_ORG", None)
    path_field = getattr(model, "SCOPE_PATH", None)
    owner_field = getattr(model, "SCOPE_OWNER", None)
    query = Q(pk__in=[])
    if path_field:
        query |= subtree_path_q(*scope_paths(user, roles), field=path_field)
    elif org_field is not None:
        query |= subtree_q(*scope_paths(user, roles), field=org_field)
    if include_owner and owner_field and getattr(user, "is_authenticated", False):
        query |= Q(**{owner_field: user})
    return query


def scope(qs: QuerySet, user, *, roles: Iterable[str] | None = None, include_owner: bool = True) -> QuerySet:
    """Rows of ``qs`` that ``user`` may see: staff by subtree (optionally only some roles), workers by owner."""
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(scope_q(qs.model, user, roles=roles, include_owner=include_owner))


def get_in_scope_or_404(qs: QuerySet, user, *, roles: Iterable[str] | None = None, **lookup):
    try:
        return scope(qs, user, roles=roles).get(**lookup)
    except qs.model.DoesNotExist:
        raise Http404 from None


def node_in_scope(user, node, *, roles: Iterable[str] | None = None) -> bool:
    """True when ``node`` (an OrgUnit) lies in the subtree of one of the user's assignments."""
    return any(is_within(node, path) for path in scope_paths(user, roles))


def roles_at(user, node) -> set[str]:
    """Roles the user holds at ``node`` or at one of its ancestors."""
    return {role for role, _id, path in assignments_of(user) if is_within(node, path)}


def home_nodes(user, roles: Iterable[str] | None = None):
    """The OrgUnits the user works at (for roles), shallowest first."""
    from .models import OrgUnit

    wanted = set(roles) if roles is not None else {r.value for r in Role}
    ids = [node for role, node, _path in assignments_of(user) if role in wanted]
    return OrgUnit.objects.filter(pk__in=ids).order_by("depth", "path")


def admin_node(user):
    """The shallowest node where the user is a city or district admin (the owner of what they publish)."""
    return home_nodes(user, roles=ADMIN_ROLES).first()


def paths_above(user, role: str) -> set[str]:
    """Paths of the strict ancestors of the nodes where the user holds ``role`` (what reaches them from above)."""
    above: set[str] = set()
    for path in scope_paths(user, [role]):
        above.update(ancestor_paths(path, include_self=False))
    return above


def children_of(node) -> list:
    """The level below ``node`` (an OrgUnit), union groups left out (they have no figures or results of their
    own). One query."""
    return list(tree_children(node).exclude(kind=type(node).Kind.GROUP))

"""View guards. Object access goes through union_portal.scoping; these guard whole views by role."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from .roles import Role
from .scoping import has_role, node_in_scope

# Which roles each manager role may hand out (within the manager's subtree).
GRANTABLE = {
    Role.CITY_ADMIN: set(Role),
    Role.DISTRICT_ADMIN: set(Role) - {Role.CITY_ADMIN},
    Role.TOWNSHIP_STAFF: {Role.HANDLER},
}
# Keep staff accounts (create, grant and revoke roles) in their subtree.
MANAGER_ROLES = tuple(GRANTABLE)


def role_required(*roles: str) -> Callable:
    """Login required; 403 unless the user holds one of ``roles`` somewhere."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_roles = roles  # type: ignore[attr-defined]  # a function attribute mypy cannot declare
        return wrapped

    return decorator


def can_administer(user, node) -> bool:
    """District or city admin at ``node`` or above: publishes surveys and assessments there."""
    from .roles import ADMIN_ROLES
    from .scoping import roles_at

    return bool(roles_at(user, node) & set(ADMIN_ROLES))


def grantable_roles(user, node) -> set[str]:
    """The roles ``user`` may grant at ``node`` (empty: they may not manage accounts there)."""
    roles: set[str] = set()
    for manager_role, grantable in GRANTABLE.items():
        if node_in_scope(user, node, roles=[manager_role]):
            roles |= {r.value for r in grantable}
    return roles

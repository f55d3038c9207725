"""View guards. Object access goes through union_portal.scoping; these guard whole views by role."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from .scoping import has_role


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

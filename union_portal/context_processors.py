from django.utils.functional import SimpleLazyObject

from .nav import nav_sections
from .scoping import roles_of


def portal(request):
    user = getattr(request, "user", None)
    return {
        "nav_sections": SimpleLazyObject(lambda: nav_sections(user)),
        "user_roles": SimpleLazyObject(lambda: roles_of(user)),
    }

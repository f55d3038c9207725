from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .display import large_text_for
from .nav import NavItem, nav_sections
from .scoping import roles_of


def portal(request):
    user = getattr(request, "user", None)
    return {
        "nav_sections": SimpleLazyObject(lambda: nav_sections(user)),
        "user_roles": SimpleLazyObject(lambda: roles_of(user)),
        "inbox_unread": SimpleLazyObject(lambda: _unread(user)),
        "large_text": SimpleLazyObject(lambda: large_text_for(request)),
        "ICP_NUMBER": settings.ICP_NUMBER,
        # sign-up is built beside this work: "#" until the `register` URL exists
        "register_url": SimpleLazyObject(lambda: NavItem("", "", "register").url),
    }


def _unread(user) -> int:
    from .notifications import unread_count

    return unread_count(user)

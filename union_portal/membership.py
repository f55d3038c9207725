"""The link from a login to its membership record, read the one way every app reads it.

The roll belongs to the members app, which the core may not import; the core reaches the record through the
user's reverse ``member`` link (members.Member.user, one to one), so this function serves the core and the apps
alike (``members.selectors.member_of_user`` is this function)."""

from typing import Any

from django.contrib.auth import get_user_model


def member_of_user(*, user, holding_only: bool = False) -> Any:
    """The member record linked to the login (None for an anonymous user or a login with no record), with its
    union and enterprise in the same query; with ``holding_only`` only while it holds membership (active or
    retired)."""
    if not getattr(user, "is_authenticated", False):
        return None
    member_model: Any = get_user_model().member.related.related_model
    qs = member_model.objects.select_related("org", "enterprise").filter(user=user)
    if holding_only:
        qs = qs.filter(status__in=member_model.HOLDING_STATUSES)
    return qs.first()

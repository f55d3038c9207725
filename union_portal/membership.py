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


def holds_membership(user) -> bool:
    """Whether the login's member record holds membership now (active or retired). From the per-user cache
    (``usercache``; one query when missing), kept on the user object for the request: the menu asks on every
    page, only for workers (users without a role)."""
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_holds_membership", None)
    if cached is None:
        from .usercache import cached_for_user

        member_model: Any = get_user_model().member.related.related_model
        cached = cached_for_user(
            user,
            "holds_membership",
            lambda: member_model.objects.filter(user=user, status__in=member_model.HOLDING_STATUSES).exists(),
        )
        user._holds_membership = cached
    return bool(cached)


def note_membership(user, member) -> None:
    """Tell ``holds_membership`` what a page has read already (``member_of_user``'s answer): no second query."""
    user._holds_membership = member is not None and member.status in type(member).HOLDING_STATUSES

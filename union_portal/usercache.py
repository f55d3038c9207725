"""The per-user cache of what every page asks: the user's role assignments (scoping, the menu, the home tiles)
and whether their member record holds membership (the workers' menu and tiles). The unread count of the inbox
has its own entry (``notifications.unread_count``).

Entries are keyed by two versions: the user's own (a new one after every committed change of their role
assignments or of their member record) and the tree's (a new one after every committed move or removal of org
units: paths are part of the assignments). A version is a random token read *before*
the database, so a value computed from old rows lands under an old version that nobody reads any more: a revoked
role stops working on the very next request, in every process (the cache is Redis in production; the
in-process memory without Redis, where there is one process). Entries expire after ``ENTRY_SECONDS`` as a bound
on memory, not as the mechanism.

A version is replaced at once (so that a change is seen in the same transaction and by tests that never
commit) and again after commit (so that a reader that cached the old rows between the two cannot keep them)."""

import logging
import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

ENTRY_SECONDS = 60 * 60
_TREE_VERSION_KEY = "portal:tree-version"
_MISSING = object()


def _user_version_key(user_id: int) -> str:
    return f"portal:user-version:{user_id}"


def _versions(user_id: int) -> str:
    """The user's and the tree's versions, in one cache round trip."""
    user_key = _user_version_key(user_id)
    found = cache.get_many([user_key, _TREE_VERSION_KEY])
    parts = []
    for key in (user_key, _TREE_VERSION_KEY):
        version = found.get(key)
        if version is None:
            version = uuid.uuid4().hex
            if not cache.add(key, version, timeout=None):
                version = cache.get(key) or version
        parts.append(version)
    return ":".join(parts)


def cached_for_user(user, name: str, compute: Callable[[], Any]) -> Any:
    """The user's entry ``name``: from the cache, or ``compute()`` (which reads the database) stored for later."""
    key = f"portal:user:{user.pk}:{name}:{_versions(user.pk)}"
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, ENTRY_SECONDS)
    return value


def _replace(key: str) -> None:
    try:
        cache.set(key, uuid.uuid4().hex, timeout=None)
    except Exception:  # the cache is down: nothing can be read from it either
        logger.exception("could not replace the cache version %s", key)


def _replace_now_and_after_commit(key: str) -> None:
    _replace(key)
    transaction.on_commit(lambda: _replace(key), robust=True)


def user_changed(user_id: int | None) -> None:
    """The user's role assignments or member record changed: their cached entries are no longer read."""
    if user_id is not None:
        _replace_now_and_after_commit(_user_version_key(user_id))


def tree_changed() -> None:
    """Org units moved or were removed (paths changed): every user's cached entries are no longer read."""
    _replace_now_and_after_commit(_TREE_VERSION_KEY)

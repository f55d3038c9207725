"""Reads that may go to the read replica (issue 18, past one machine).

With ``DATABASE_REPLICA_URL`` set, settings define a ``replica`` database alias. Nothing is read from it by
default: a call site that only reads, and can live with figures a second or two behind, says so explicitly:

    with replica_reads():
        rows = list(selectors.member_export_list(user=by, filters=filters, full=True))

Why a context manager at the call site and not a router that guesses: the dashboard refresh and the reports read
through many apps' selectors, which cannot each take a ``using=``; and the places that may read stale data are
few and named, while everything else (a claim's review, a payment, a page right after its own form) must read
what it has just written. ``ReplicaRouter`` honours the context and nothing else, and even inside it:

- writes never go to the replica (``db_for_write``), nor does ``select_for_update`` (Django asks
  ``db_for_write`` for a queryset that locks);
- a read inside a transaction on ``default`` stays on ``default``: it may need to see its own writes;
- without the alias (no replica configured, ``make run``) everything reads from ``default`` as before.

The replica's connection is also opened read-only (``default_transaction_read_only``), so a write that reached it
by any other way would be refused by PostgreSQL rather than land on a primary that the alias happens to name.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

_reading_from_replica: ContextVar[bool] = ContextVar("reading_from_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES and getattr(settings, "DATABASE_REPLICA_READS", True)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Within the block, reads outside a transaction go to the replica when one is configured."""
    token = _reading_from_replica.set(True)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


def read_alias() -> str:
    """The alias a read made now would use: ``replica`` inside ``replica_reads()`` and outside a transaction on
    the primary when a replica is configured, otherwise ``default``."""
    if not _reading_from_replica.get() or not replica_configured():
        return DEFAULT_DB_ALIAS
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    return REPLICA


class ReplicaRouter:
    """settings.DATABASE_ROUTERS: the replica for reads inside ``replica_reads()`` only; never for writes."""

    def db_for_read(self, model, **hints) -> str | None:
        alias = read_alias()
        return alias if alias == REPLICA else None

    def db_for_write(self, model, **hints) -> str | None:
        # A row read from the replica is saved to the primary; otherwise Django's own choice (the row's
        # database, else default) stands, so ``migrate --database=owner`` and the like are untouched.
        instance = hints.get("instance")
        if instance is not None and instance._state.db == REPLICA:
            return DEFAULT_DB_ALIAS
        return None

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        # A row read from the replica is the primary's row: relating it to one read from the primary is fine.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool | None:
        return False if db == REPLICA else None


def reads_from_replica(view):
    """A view decorator: the view's reads (a report, a download built in memory) go to the replica. Only for
    views that write nothing and whose response is complete when the view returns (not a streaming one)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        with replica_reads():
            return view(request, *args, **kwargs)

    return wrapped

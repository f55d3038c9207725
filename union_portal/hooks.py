"""After-commit events: how a lower layer tells the layers above that something happened, without importing
them (the order is core ← members ← funds, mutual_aid, competitions ← awards ← dashboard).

The layer where a thing happens fires a named event inside its transaction; the apps that care subscribe
from their ``AppConfig.ready()``. Handlers run once the transaction has committed (``transaction.on_commit``,
each on its own and robust: a failing handler is logged and does not fail the request that fired it, whose
data is committed). So a handler must be idempotent and the subscriber must also catch up on its own (a
nightly sweep): it may miss an event when the worker dies or the broker is down.

Events (name: keyword arguments):

- ``members.enterprise_unionised``: an enterprise now has a grassroots union (a founding was approved);
  ``enterprise_id``, ``union_id``.
- ``labour.group_wage_case``: a group case of unpaid wages was recorded, or a case became one (linked to a group);
  ``case_id``: the group's lead case (labour.RightsCase). The ratings part withdraws the employer's title.
- ``workdays.calendar_changed``: the holiday table changed (a row saved or deleted, by hand, by the package
  fill or by any other write; once per transaction); ``dates``: the ISO dates of the rows that changed. Fired
  after the working-day calendar version moved (union_portal.workdays), so derived dates read by a handler are
  computed afresh. Each app re-evaluates its own open notices and deadlines and tells the owners of a date
  that moved.
"""

from collections import defaultdict
from collections.abc import Callable

from django.db import transaction

EVENTS = frozenset({"members.enterprise_unionised", "labour.group_wage_case", "workdays.calendar_changed"})

_handlers: dict[str, list[Callable[..., object]]] = defaultdict(list)


def _check(event: str) -> None:
    if event not in EVENTS:
        raise ValueError(f"unknown event {event!r}; known: {sorted(EVENTS)}")


def subscribe(event: str, handler: Callable[..., object]) -> None:
    """Call ``handler(**kwargs)`` after each commit that fired ``event``. Subscribing twice is subscribing once."""
    _check(event)
    if handler not in _handlers[event]:
        _handlers[event].append(handler)


def fire(event: str, **kwargs: object) -> None:
    """Announce ``event`` with ``kwargs`` (primary keys and plain values, never model instances: the
    handlers load what they need). Handlers run after the surrounding transaction commits; outside one, now."""
    _check(event)
    for handler in list(_handlers[event]):

        def run_handler(handler: Callable[..., object] = handler) -> None:  # a function: robust mode logs its name
            handler(**kwargs)

        transaction.on_commit(run_handler, robust=True)

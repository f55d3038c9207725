"""The one helper of the race tests: run calls at the same moment, each in its own thread with its own database
connection, and hand back what each one returned or raised."""

import threading
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connections


def run_together(*calls: Callable[[], Any], timeout: float = 30) -> list[Any]:
    """Start one thread per call, release them together (a barrier), wait for all (at most ``timeout`` seconds
    each) and return, in the order of ``calls``, each call's result or the exception it raised. Each thread
    closes its database connections when done. Needs a transactional test (``django_db(transaction=True)``)
    on PostgreSQL: each thread is its own transaction, as two requests would be."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each call got
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return results


def outcome(
    result: Any, *, ok: str = "ok", refused: str = "refused", expected: type[Exception] = ValidationError
) -> str:
    """Name what one call of ``run_together`` got: ``ok`` for a return, ``refused`` for the ``expected``
    exception. Any other exception is raised again: a race test never passes on an error it did not expect."""
    if isinstance(result, expected):
        return refused
    if isinstance(result, Exception):
        raise result
    return ok

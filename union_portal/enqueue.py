"""Queueing a Celery task for data that is already committed, in a way that survives a broker outage.

The one rule: the request that committed the data must not fail, and the data must not be lost, because the
broker is down. So a failed enqueue is logged, not raised, and the row stays in a state (a claim SUBMITTED,
a delivery PENDING) that a periodic sweep finds and queues again once the broker is back; the task itself is
idempotent, so a row queued twice is processed once."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue(task, *args, what: str) -> bool:
    """``task.delay(*args)`` now; False (and a log entry naming ``what``) when the broker is unreachable."""
    from kombu.exceptions import OperationalError as BrokerError

    try:
        task.delay(*args)
    except BrokerError:
        logger.exception("could not queue %s (broker down); the periodic sweep will queue it again", what)
        return False
    return True


def enqueue_on_commit(task, *args, what: str) -> None:
    """Queue ``task`` once the current transaction commits (nothing is queued if it rolls back)."""
    transaction.on_commit(lambda: enqueue(task, *args, what=what))

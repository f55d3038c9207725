"""Thin Celery wrappers; arguments are primary keys."""

import logging

from celery import shared_task
from celery_batches import Batches
from django.db import DatabaseError, OperationalError, connection

from . import services

logger = logging.getLogger(__name__)


class ReviewBatches(Batches):
    """celery-batches' task class: the worker keeps the per-claim messages it receives in a buffer and hands them
    to ``run`` as one list, every ``flush_every`` messages or ``flush_interval`` seconds (a lone claim waits at
    most that long). The messages are acknowledged after ``run`` returns, so after its commit; a worker killed
    in between leaves them unacknowledged (redelivered; the review is idempotent) and its transaction rolled back.

    The worker's prefetch (CELERY_WORKER_PREFETCH_MULTIPLIER, 1 here) would hand it one message at a time, so
    each flush would review one claim after ``flush_interval``: the task raises the consumer's prefetch by
    ``flush_every`` once per broker connection (as Celery does for a task with an ETA it holds)."""

    flush_every = services.REVIEW_CHUNK
    flush_interval = 0.2

    def Strategy(self, task, app, consumer):  # noqa: N802 - Celery's name
        handle = super().Strategy(task, app, consumer)
        raised_for: list[object] = []

        def handle_and_widen_prefetch(*args, **kwargs):
            qos = consumer.qos
            if qos is not None and not any(q is qos for q in raised_for):
                raised_for[:] = [qos]
                qos.increment_eventually(self.flush_every)
            return handle(*args, **kwargs)

        return handle_and_widen_prefetch


@shared_task(base=ReviewBatches, acks_late=True, ignore_result=True)
def auto_review_task(requests) -> None:
    """Automatic review of one claim submission per message (``auto_review_task.delay(claim_id, submission)``,
    what a submission queues), reviewed by the worker several at a time: see ``review_items``. Idempotent per
    claim (services.auto_review_many)."""
    items: list[tuple[int, int | None]] = []
    for request in requests:
        args, kwargs = list(request.args), request.kwargs or {}
        claim_id = args[0] if args else kwargs["claim_id"]
        submission = args[1] if len(args) > 1 else kwargs.get("submission")
        items.append((claim_id, submission))
    review_items(items)


def review_items(items: list[tuple[int, int | None]], *, requeue: bool = True) -> None:
    """Review ``items`` (claim id, submission) REVIEW_CHUNK to a transaction. What is not reviewed here stays
    SUBMITTED and is sent again:

    - A claim whose checks raise is logged and left SUBMITTED; the others of its chunk are committed.
    - A chunk whose writes fail (a DatabaseError other than a dropped connection or a lock timeout) is reviewed
      again one claim per transaction, so that only the claim at fault fails.
    - A dropped connection or a lock timeout (OperationalError): with ``requeue``, the chunk's claims and those
      after it go back to the queue as one batch task, which retries with a delay; else it raises.
    The stale-review sweep (requeue_stale_reviews) catches anything else left SUBMITTED."""
    chunk = services.REVIEW_CHUNK
    for i in range(0, len(items), chunk):
        part = items[i : i + chunk]
        try:
            services.auto_review_many(part, raise_errors=False)
        except OperationalError:
            connection.close()  # the worker reuses connections (CELERY_DB_REUSE_MAX): never keep a broken one
            if not requeue:
                raise
            logger.warning("automatic review: database unavailable; %s claims queued again", len(items) - i)
            auto_review_batch_task.apply_async(args=[[list(item) for item in items[i:]]], countdown=5)
            return
        except DatabaseError:
            logger.warning("automatic review of %s claims failed; trying them one by one", len(part), exc_info=True)
            for item in part:
                try:
                    services.auto_review_many([item], raise_errors=False)
                except DatabaseError:
                    logger.exception("automatic review of claim %s failed; left submitted", item[0])


@shared_task(bind=True, max_retries=5, default_retry_delay=5, acks_late=True, ignore_result=True)
def auto_review_batch_task(self, items: list[list[int]]) -> None:
    """Automatic review of claim submissions ``[[claim_id, submission], ...]`` (what the stale-review sweep
    queues), services.REVIEW_CHUNK to a transaction (see ``review_items``); idempotent per claim (see
    services.auto_review_many), so a redelivered batch (worker lost: acks_late + reject_on_worker_lost) or a
    claim also queued alone is reviewed once. A dropped connection or lock timeout: retried after a delay."""
    try:
        review_items([(pk, submission) for pk, submission in items], requeue=False)
    except OperationalError as exc:
        raise self.retry(exc=exc) from exc


@shared_task(acks_late=True)
def requeue_stale_reviews_task() -> int:
    """Celery beat: re-queue reviews lost with a crashed worker (see services.requeue_stale_reviews)."""
    return services.requeue_stale_reviews()

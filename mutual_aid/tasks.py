"""Thin Celery wrappers; arguments are primary keys."""

from celery import shared_task
from django.db import OperationalError, connection

from . import services


@shared_task(bind=True, max_retries=5, default_retry_delay=5, acks_late=True, ignore_result=True)
def auto_review_task(self, claim_id: int, submission: int | None = None) -> None:
    """Automatic review of one claim submission; idempotent (see services.auto_review)."""
    try:
        services.auto_review(claim_id, submission)
    except OperationalError as exc:  # lock timeout or a dropped connection: try again later
        connection.close()  # the worker reuses connections (CELERY_DB_REUSE_MAX): never keep a broken one
        raise self.retry(exc=exc) from exc


@shared_task(bind=True, max_retries=5, default_retry_delay=5, acks_late=True, ignore_result=True)
def auto_review_batch_task(self, items: list[list[int]]) -> None:
    """Automatic review of claim submissions ``[[claim_id, submission], ...]``, services.REVIEW_CHUNK to a
    transaction; idempotent per claim (see services.auto_review_many), so a redelivered batch (worker
    lost: acks_late + reject_on_worker_lost) or a claim also queued alone is reviewed once."""
    chunk = services.REVIEW_CHUNK
    try:
        for i in range(0, len(items), chunk):  # one transaction per chunk, however many the caller sent
            services.auto_review_many([(pk, submission) for pk, submission in items[i : i + chunk]], raise_errors=False)
    except OperationalError as exc:
        connection.close()
        raise self.retry(exc=exc) from exc


@shared_task(acks_late=True)
def requeue_stale_reviews_task() -> int:
    """Celery beat: re-queue reviews lost with a crashed worker (see services.requeue_stale_reviews)."""
    return services.requeue_stale_reviews()

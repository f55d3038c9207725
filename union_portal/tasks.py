"""Thin Celery wrappers around plain functions; arguments are primary keys."""

from celery import shared_task

from . import notifications
from .sms import SmsError


@shared_task(bind=True, max_retries=5, default_retry_delay=30, acks_late=True)
def deliver_task(self, delivery_id: int) -> None:
    try:
        notifications.deliver(delivery_id)
    except (SmsError, OSError) as exc:
        final = self.request.retries >= self.max_retries
        notifications.delivery_failed(delivery_id, str(exc), final=final)
        if not final:
            raise self.retry(exc=exc, countdown=30 * 2**self.request.retries)


@shared_task(acks_late=True)
def requeue_pending_deliveries_task() -> int:
    return notifications.requeue_pending_deliveries()

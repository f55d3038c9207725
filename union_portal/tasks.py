"""Thin Celery wrappers around plain functions; arguments are primary keys."""

from celery import shared_task

from . import notifications
from .sms import SmsError
from .wechat import NO_CONSENT, WechatError


@shared_task(bind=True, max_retries=5, default_retry_delay=30, acks_late=True)
def deliver_task(self, delivery_id: int) -> None:
    try:
        notifications.deliver(delivery_id)
    except WechatError as exc:
        # A refused WeChat message (no consent, unbound, bad template) fails at once; busy/unreachable retries.
        final = not exc.retryable or self.request.retries >= self.max_retries
        notifications.delivery_failed(delivery_id, str(exc), final=final)
        if exc.errcode == NO_CONSENT:
            notifications.wechat_refused(delivery_id)
        if not final:
            raise self.retry(exc=exc, countdown=30 * 2**self.request.retries)
    except (SmsError, OSError) as exc:
        final = self.request.retries >= self.max_retries
        notifications.delivery_failed(delivery_id, str(exc), final=final)
        if not final:
            raise self.retry(exc=exc, countdown=30 * 2**self.request.retries)


@shared_task(acks_late=True)
def requeue_pending_deliveries_task() -> int:
    return notifications.requeue_pending_deliveries()

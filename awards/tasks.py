"""Celery tasks: thin wrappers around services."""

from celery import shared_task


@shared_task(acks_late=True)
def close_due_notices_task() -> list[int]:
    """Beat: close every public notice whose last day has passed (idempotent)."""
    from .services import close_due_notices

    return close_due_notices()

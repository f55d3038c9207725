"""Celery tasks: applications (thin wrappers around services)."""

from celery import shared_task


@shared_task(acks_late=True)
def notices_finish_due_task() -> list[int]:
    """Beat: applications whose notice at the unit has ended go to township review (idempotent)."""
    from ..services.applications import notices_finish_due

    return notices_finish_due()

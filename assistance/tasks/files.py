"""Tasks: hardship files. Thin, idempotent wrappers around the services, run daily by Celery beat."""

from celery import shared_task


@shared_task(acks_late=True)
def file_remind_due_task() -> int:
    """Daily: remind the worker and the staff of the files due for review (once per validity period)."""
    from ..services.files import file_remind_due

    return file_remind_due()


@shared_task(acks_late=True)
def file_sweep_roll_task() -> int:
    """Daily: flag the open files whose member's roll status changed and tell the union's staff (once)."""
    from ..services.files import file_sweep_roll

    return file_sweep_roll()

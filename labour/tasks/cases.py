"""Tasks: cases. Thin and idempotent: the service does the work."""

from celery import shared_task

from ..services import cases as services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def escalate_overdue_cases_task() -> int:
    """Daily: escalate open cases past a timer to the district (each once)."""
    return services.escalate_overdue()

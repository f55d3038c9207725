"""Tasks: contracts. Thin and idempotent: the work is in ``labour.services.contracts``."""

from celery import shared_task


@shared_task(acks_late=True)
def contract_reminders_task() -> dict[str, int]:
    """Beat, daily: contracts take effect or expire, and the reminders go out (each once)."""
    from ..services.contracts import contract_reminders_send

    return contract_reminders_send()

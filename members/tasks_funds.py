"""Celery tasks of union funds: thin wrappers taking primary keys around idempotent services."""

from celery import shared_task


@shared_task(acks_late=True)
def founding_reserve_sweep_task() -> int:
    """Daily (CELERY_BEAT_SCHEDULE) and on demand: hand over the founding reserve of every enterprise that now
    has a union. Idempotent: each hand-over happens once, whoever runs first."""
    from .services_funds import founding_reserve_sweep

    return len(founding_reserve_sweep(by=None))


@shared_task(acks_late=True)
def founding_reserve_hand_over_task(enterprise_id: int) -> str:
    """Hand over one enterprise's reserve (enqueue with transaction.on_commit after its union is founded)."""
    from .models import Enterprise
    from .services_funds import founding_reserve_hand_over

    enterprise = Enterprise.objects.get(pk=enterprise_id)
    return str(founding_reserve_hand_over(enterprise=enterprise, by=None).amount)

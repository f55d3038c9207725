"""Celery tasks of union funds: thin wrappers taking primary keys around idempotent services."""

from celery import shared_task


@shared_task(acks_late=True)
def founding_reserve_sweep_task() -> int:
    """Daily (CELERY_BEAT_SCHEDULE) and on demand: hand over the founding reserve of every enterprise that now
    has a union. Idempotent: each hand-over happens once, whoever runs first."""
    from .services import founding_reserve_sweep

    return len(founding_reserve_sweep(by=None))


@shared_task(acks_late=True)
def founding_reserve_hand_over_task(enterprise_id: int) -> str:
    """Hand over one enterprise's reserve (queued after its union is founded: see on_enterprise_unionised)."""
    from members.models import Enterprise

    from .services import founding_reserve_hand_over

    enterprise = Enterprise.objects.get(pk=enterprise_id)
    return str(founding_reserve_hand_over(enterprise=enterprise, by=None).amount)


def on_enterprise_unionised(*, enterprise_id: int, union_id: int) -> None:
    """Hook handler (union_portal.hooks, subscribed in FundsConfig.ready): once a founding has committed, the
    union-founding reserve (建会筹备金) held at the township goes to the new union, exactly once, as the system
    (the approver is recorded by the approval's own audit row). Should this not run (broker down, worker
    lost), the nightly founding_reserve_sweep_task hands it over."""
    founding_reserve_hand_over_task.delay(enterprise_id)

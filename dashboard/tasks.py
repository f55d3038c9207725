"""Celery tasks of the dashboard: thin wrappers taking primary keys (found by Celery's autodiscovery)."""

from celery import shared_task


@shared_task(acks_late=True, time_limit=1800, soft_time_limit=1700)
def refresh_figures_task(requested_by_id: int | None = None) -> int:
    """Recompute every figure of this year (beat: nightly; admins: on demand). Idempotent."""
    from django.contrib.auth import get_user_model

    from .figures import refresh_figures

    user = get_user_model().objects.filter(pk=requested_by_id).first() if requested_by_id else None
    return refresh_figures(requested_by=user).pk

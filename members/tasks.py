"""Thin Celery wrappers: they take primary keys and call the services."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, time_limit=900, soft_time_limit=840)
def member_import_check_task(import_id: int) -> None:
    services.member_import_check(import_id)


@shared_task(acks_late=True, time_limit=900, soft_time_limit=840)
def member_import_run_task(import_id: int) -> None:
    services.member_import_run(import_id)


@shared_task(acks_late=True, time_limit=600, soft_time_limit=540)
def transfers_escalate_task() -> int:
    """Hourly (beat): transfers the releasing union left unanswered go to the township above both."""
    return services.transfers_escalate_unanswered()


@shared_task(acks_late=True)
def member_import_files_purge_task() -> None:
    services.member_import_files_purge()


@shared_task(acks_late=True, time_limit=1800, soft_time_limit=1740)
def member_export_task(job_id: int) -> None:
    services.member_export_job_run(job_id)


@shared_task(acks_late=True)
def member_export_files_purge_task() -> int:
    return services.member_export_files_purge()

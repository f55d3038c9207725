"""Thin Celery wrappers: they take primary keys and call the services."""

from celery import shared_task

from . import services
from .tasks_funds import *  # noqa: F401,F403  (union funds tasks, discovered with this module)


@shared_task(acks_late=True, time_limit=900, soft_time_limit=840)
def member_import_check_task(import_id: int) -> None:
    services.member_import_check(import_id)


@shared_task(acks_late=True, time_limit=900, soft_time_limit=840)
def member_import_run_task(import_id: int) -> None:
    services.member_import_run(import_id)

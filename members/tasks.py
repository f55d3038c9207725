"""Celery tasks of the members app (discovered by union_portal.celery)."""

from .tasks_funds import *  # noqa: F401,F403

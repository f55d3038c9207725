"""The labour app's Celery tasks, one module per part (found by autodiscovery through this package)."""

from . import cases, congress, contracts, liaison, ratings  # noqa: F401

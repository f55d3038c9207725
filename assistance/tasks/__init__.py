"""The assistance app's Celery tasks, one module per part (found by autodiscovery through this package)."""

from . import applications, campaigns, files  # noqa: F401

"""The Celery app. Tasks are discovered from every installed app's tasks.py.

Configuration comes from Django settings (CELERY_* names): JSON only, acks_late with reject-on-worker-lost,
eager when no REDIS_URL is set. Tasks are enqueued only after commit (see union_portal.tasks.enqueue).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "union_portal.settings")

app = Celery("union_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

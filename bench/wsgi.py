"""WSGI application for the benchmark's gunicorn run: the portal with the benchmark's settings overrides (its
urlconf with the anchor view; see ``bench.bench_settings``). Never deploy this module;
production uses ``union_portal.wsgi``."""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "union_portal.settings")

from bench import bench_settings  # noqa: E402

# Before the application is built: its middleware (whitenoise) reads the storages when it starts.
for _name, _value in bench_settings().items():
    setattr(settings, _name, _value)

application = get_wsgi_application()

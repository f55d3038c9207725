"""WSGI application for the benchmark's gunicorn run: the portal with the benchmark urlconf (the anchor view
is reachable too). Never deploy this module; production uses ``union_portal.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "union_portal.settings")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402 - settings are configured by get_wsgi_application

settings.ROOT_URLCONF = "union_portal.bench.urls"

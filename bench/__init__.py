"""Keqiao-scale synthetic data and the benchmark (`manage.py bench_seed --scale keqiao`, `manage.py bench`).

- ``synthetic``: realistic people, firms and unions (names, ID numbers, phones, skewed union sizes).
- ``writer``: fast inserts, PostgreSQL COPY (bulk_create elsewhere), used by the generator and by the COPY
  anchor of the Excel-import benchmark.
- ``generate``: the generator as a pipeline of named steps; later apps append their own steps.
- ``runner``: timing, query counting, the registry of operations, the results table and JSON.
- ``operations``: the registered operations (one small function each).
- ``views`` / ``urls`` / ``wsgi``: the anchor view, reachable only through the benchmark's own urlconf.
"""


def bench_settings() -> dict:
    """Settings the benchmark overrides (in-process with override_settings, under gunicorn in ``wsgi``):

    - ``ROOT_URLCONF``: the portal's URLs plus the anchor view;
    - static files without the collectstatic manifest: with DEBUG off the portal's storage needs one, and
      ``collectstatic`` currently fails on the vendored Bootstrap bundle (it points at a missing .map file).
      A manifest lookup is a dict lookup, so page timings do not depend on this."""
    from django.conf import settings

    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    return {"ROOT_URLCONF": "bench.urls", "STORAGES": storages}

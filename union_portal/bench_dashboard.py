"""Benchmark: the dashboard page (from the summary table) against the raw SQL aggregates it summarises.

    from union_portal.bench_dashboard import bench
    bench(username="district_admin", node_code="SX-KQ", repeat=20)
    -> {"page_ms": …, "raw_ms": …, "page_queries": …, "raw_queries": …, "ratio": page_ms / raw_ms, …}

``page`` renders the dashboard view for the node (cards and the level below, template included) with a
RequestFactory request, so middleware and the network are left out on both sides; ``raw`` runs the grouped
queries of the headline providers, i.e. what the page would have to run on every view without the summary
table. Times are medians in milliseconds. Needs the figures computed (``refresh=True`` computes them first).
"""

import statistics
import time

from django.contrib.auth import get_user_model
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.base import SessionBase
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from members.models import OrgUnit

from .dashboard import views
from .dashboard.figures import refresh_figures
from .dashboard.registry import FigureContext
from .dashboard.selectors import headline_metrics


def _median_ms(fn, repeat: int) -> tuple[float, int]:
    times = []
    queries = 0
    for _i in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1000)
        queries = len(captured)
    return statistics.median(times), queries


def bench(
    *, username: str = "district_admin", node_code: str | None = None, repeat: int = 20, refresh: bool = False
) -> dict:
    """Time the dashboard page against the raw aggregate; see the module docstring."""
    if refresh:
        refresh_figures()
    user = get_user_model().objects.get(username=username)
    node = OrgUnit.objects.get(code=node_code) if node_code else None
    factory = RequestFactory()
    query = f"?node={node.pk}" if node else ""

    def page():
        request = factory.get(f"/dashboard/{query}")
        request.user = user
        request.session = SessionBase()
        request._messages = FallbackStorage(request)
        user.__dict__.pop("_portal_assignments", None)  # as on a fresh request
        response = views.dashboard(request)
        assert response.status_code == 200, response.status_code

    today = timezone.localdate()
    ctx = FigureContext(year=today.year, today=today)
    metrics = headline_metrics()

    def raw():
        for metric in metrics:
            list(metric.provider(ctx))

    page()  # warm caches (templates, translations, registry)
    raw()
    page_ms, page_queries = _median_ms(page, repeat)
    raw_ms, raw_queries = _median_ms(raw, repeat)
    return {
        "node": node_code or "(top of scope)",
        "repeat": repeat,
        "page_ms": round(page_ms, 2),
        "page_queries": page_queries,
        "raw_ms": round(raw_ms, 2),
        "raw_queries": raw_queries,
        "ratio": round(page_ms / raw_ms, 3) if raw_ms else None,
    }

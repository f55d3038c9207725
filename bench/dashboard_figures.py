"""Benchmark: the dashboard page (from the summary table) against the raw SQL aggregates it summarises.

    from bench.dashboard_figures import bench
    bench(username="district_admin", node_code="SX-KQ", repeat=20)
    -> {"page_ms": …, "raw_ms": …, "page_queries": …, "raw_queries": …, "ratio": page_ms / raw_ms, …}

``page`` renders the dashboard view for the node (cards and the level below, template included) with a
RequestFactory request, so middleware and the network are left out on both sides; ``raw`` runs the SQL the
page would need without the summary table: the headline figures of the node's subtree grouped by the unit
one level below (member counts, new members, migrant and frontline shares; establishment rate; membership
rate's staff), three grouped queries over the large tables, no template. Times are medians in milliseconds.
Needs the figures computed (``refresh=True`` computes them first).
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

from dashboard import selectors, views
from dashboard.figures import refresh_figures
from union_portal.models import OrgUnit

MEMBERS_SQL = """
SELECT substr(o.path, 1, %(child_len)s) AS unit, count(*) AS members,
       count(*) FILTER (WHERE m.joined_on >= %(year_start)s) AS new_members,
       count(*) FILTER (WHERE m.is_migrant) AS migrant, count(*) FILTER (WHERE m.is_frontline) AS frontline
FROM members_member m JOIN union_portal_orgunit o ON o.id = m.org_id
WHERE o.path LIKE %(prefix)s AND m.status IN ('active', 'retired')
GROUP BY 1
"""
ESTABLISHMENT_SQL = """
SELECT substr(t.path, 1, %(child_len)s) AS unit, count(*) AS firms, count(e.union_id) AS unionised
FROM members_enterprise e JOIN union_portal_orgunit t ON t.id = e.township_id
WHERE t.path LIKE %(prefix)s AND e.employee_count >= 25
GROUP BY 1
"""
STAFF_SQL = """
SELECT substr(u.path, 1, %(child_len)s) AS unit, sum(e.employee_count) AS staff
FROM members_enterprise e JOIN union_portal_orgunit u ON u.id = e.union_id
WHERE u.path LIKE %(prefix)s
GROUP BY 1
"""


def raw_aggregate(*, path: str, year_start) -> list[list[tuple]]:
    """The headline figures of the subtree at ``path``, by unit one level below, straight from the tables."""
    params = {"child_len": len(path) + OrgUnit.steplen, "prefix": f"{path}%", "year_start": year_start}
    with connection.cursor() as cursor:
        results = []
        for sql in (MEMBERS_SQL, ESTABLISHMENT_SQL, STAFF_SQL):
            cursor.execute(sql, params)
            results.append(cursor.fetchall())
    return results


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

    top = node or selectors.dashboard_node(user=user, pk=None)
    year_start = timezone.localdate().replace(month=1, day=1)

    def raw():
        raw_aggregate(path=top.path, year_start=year_start)

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

"""Two databases in alternation (``manage.py bench --compare-database URL``): each page timed on the current
database (A, e.g. Keqiao scale) and on another (B, e.g. the city scale) in turn, A, B, A, B ..., so that a change
of the machine's load weighs on both alike; then the dashboard's full refresh (``dashboard.figures.
refresh_figures``) on each. In one process: Django's ``default`` connection (and cache, so that per-user caches
of one database never answer for the other) is swapped between the two for each call.

Pages are those of the benchmark's operations (:data:`PAGES`), each opened as the same demo account in both
databases (a session and a two-factor device of its own in each; removed after the run)."""

import contextlib
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import dj_database_url
from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.db.utils import load_backend
from django.urls import reverse
from django.utils.module_loading import import_string

from . import operations as ops
from .runner import Bench
from .urls import BARE_URL_NAME


@dataclass(frozen=True)
class Page:
    name: str
    username: str
    url: Callable[[], str | None]  # evaluated on each database (ids differ between them)
    params: Callable[[], dict] = dict


def _member_list() -> str | None:
    return ops.resolve("members:member_list", (), (ops._township().pk,))


def _member_param(field: str) -> Callable[[], dict]:
    return lambda: {"q": getattr(ops._sample_member(ops._township()), field)}


PAGES: tuple[Page, ...] = (
    Page("bare view (anchor)", ops.TOWNSHIP_USER, lambda: reverse(BARE_URL_NAME)),
    Page("member list: township first page", ops.TOWNSHIP_USER, _member_list),
    Page("member search: by name", ops.TOWNSHIP_USER, _member_list, _member_param("name")),
    Page("member search: by ID number", ops.TOWNSHIP_USER, _member_list, _member_param("id_number")),
    Page(
        "member detail",
        ops.TOWNSHIP_USER,
        lambda: ops.resolve("members:member_detail", (ops._sample_member(ops._township()).pk,)),
    ),
    Page("org tree list: district", ops.DISTRICT_USER, lambda: ops.resolve("members:org_list")),
    Page("org tree list: township", ops.TOWNSHIP_USER, lambda: ops.resolve("members:org_list")),
    Page("reviewers' claim queue", ops.REVIEWER_USER, lambda: ops.resolve("mutual_aid:queue")),
    Page("dashboard page", ops.DISTRICT_USER, lambda: ops.resolve("dashboard:home")),
)


class Side:
    """One database with its own connection, cache and logged-in clients."""

    def __init__(self, label: str, connection, cache):
        self.label, self.connection, self.cache = label, connection, cache
        self.bench = Bench(runs=1, warmup=0)

    @contextlib.contextmanager
    def active(self) -> Iterator[None]:
        previous = connections["default"], caches["default"]
        connections["default"], caches["default"] = self.connection, self.cache
        try:
            yield
        finally:
            connections["default"], caches["default"] = previous


def other_side(url: str) -> Side:
    """A connection to ``url`` (same options as the default's) and a cache with a key prefix of its own."""
    config = {**connections["default"].settings_dict, **dj_database_url.parse(url)}
    connection = load_backend(config["ENGINE"]).DatabaseWrapper(config, "default")
    params = dict(settings.CACHES["default"])
    backend = import_string(params.pop("BACKEND"))
    location = params.pop("LOCATION", "")
    params["KEY_PREFIX"] = f"{params.get('KEY_PREFIX', '')}compare-b"
    return Side(config["NAME"], connection, backend(location, params))


def compare(url: str, *, runs: int = 20, warmup: int = 2, refresh: bool = True, out=None) -> dict:
    """{"pages": [{name, a_ms, b_ms, ratio, runs} ...], "refresh": {a_s, b_s}, "a", "b"}: medians of each page on
    the two databases timed in alternation, and the dashboard's full refresh on each (once, A then B)."""
    a = Side(connections["default"].settings_dict["NAME"], connections["default"], caches["default"])
    b = other_side(url)

    def log(message: str) -> None:
        if out is not None:
            out.write(message)
            out.flush()

    rows = []
    try:
        for page in PAGES:
            calls = []
            for side in (a, b):
                with side.active():
                    target = page.url()
                    params = page.params() if target else {}
                    client = side.bench.client(page.username)
                calls.append((side, target, params, client))
            if any(target is None for _side, target, _params, _client in calls):
                rows.append({"name": page.name, "status": "not available"})
                continue
            samples: dict[int, list[float]] = {id(a): [], id(b): []}
            for n in range(warmup + runs):
                for side, target, params, client in calls:
                    with side.active():
                        t0 = time.perf_counter()
                        response = client.get(target, params)
                        elapsed = (time.perf_counter() - t0) * 1000
                    if response.status_code != 200:
                        raise RuntimeError(f"{page.name}: GET {target} answered {response.status_code} on {side.label}")
                    if n >= warmup:
                        samples[id(side)].append(elapsed)
            a_ms, b_ms = statistics.median(samples[id(a)]), statistics.median(samples[id(b)])
            rows.append({"name": page.name, "a_ms": round(a_ms, 2), "b_ms": round(b_ms, 2),
                         "ratio": round(b_ms / a_ms, 2) if a_ms else None, "runs": runs})  # fmt: skip
            log(f"  {page.name}: {a_ms:.1f} ms on {a.label}, {b_ms:.1f} ms on {b.label}")
        refreshed = {}
        if refresh:
            from dashboard.figures import refresh_figures

            for key, side in (("a_s", a), ("b_s", b)):
                with side.active():
                    t0 = time.perf_counter()
                    refresh_figures()
                    refreshed[key] = round(time.perf_counter() - t0, 2)
                log(f"  dashboard full refresh on {side.label}: {refreshed[key]:.1f}s")
    finally:
        for side in (a, b):
            with side.active():
                side.bench.close()
        b.connection.close()
    return {"a": a.label, "b": b.label, "pages": rows, "refresh": refreshed}


def text(result: dict) -> str:
    a, b = result["a"], result["b"]
    lines = [f"{'page':<34} {'A ms':>18} {'B ms':>18} {'B/A':>7}   (A {a}, B {b})"]
    for row in result["pages"]:
        if "a_ms" not in row:
            lines.append(f"{row['name']:<34} {'not available':>18}")
            continue
        ratio = f"{row['ratio']:g}×" if row["ratio"] is not None else "—"
        lines.append(f"{row['name']:<34} {row['a_ms']:>18.1f} {row['b_ms']:>18.1f} {ratio:>7}")
    if result["refresh"]:
        r = result["refresh"]
        lines.append(f"{'dashboard full refresh (s)':<34} {r['a_s']:>18.1f} {r['b_s']:>18.1f} "
                     f"{r['b_s'] / r['a_s'] if r['a_s'] else 0:>6.2f}×")  # fmt: skip
    return "\n".join(lines)

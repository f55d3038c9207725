"""The benchmark machinery: a registry of operations, timing (median and p95 over many runs), query counts,
anchors measured in the same run, the printed table and ``bench/results.json``.

An operation is a small function ``(bench: Bench) -> Result | list[Result]`` registered with
``@operation("name")``. An operation whose page or module does not exist yet returns
``Result.not_available(name, why)``: the table says so instead of showing a number.

Goals: a result holds one or more :class:`Check` (a figure, its limit, at most or at least); ``goal`` and ``met``
are computed from them (met only when every check holds). ``Result.compare(anchor, timing, max_ratio=...)``
checks the ratio of medians AND the ratio of p95s; ``Result.check(what, value, limit, unit=..., at_most=...)``
adds any other figure (peak memory, CPU per claim, queries). The issue's goals are listed in :data:`GOALS`
by a stable id: an operation sets ``Result(goal_id=...)`` on the row that answers one, and a goal no row
answers still appears in the table, "not available", so that nothing the issue asks is silently left out.
"""

import datetime as dt
import importlib
import json
import math
import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext


@dataclass
class Timing:
    samples_ms: list[float]

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p95_ms(self) -> float:
        """Nearest-rank 95th percentile."""
        ordered = sorted(self.samples_ms)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


@dataclass
class Check:
    """One figure against its limit: ``value ≤ limit`` (``at_most``) or ``value ≥ limit``."""

    what: str  # "median ratio", "p95 ratio", "peak memory", "CPU per claim", "queries"
    value: float | None
    limit: float
    unit: str = "×"
    at_most: bool = True

    @property
    def met(self) -> bool:
        if self.value is None:
            return False
        return self.value <= self.limit if self.at_most else self.value >= self.limit

    @property
    def goal(self) -> str:
        unit = self.unit if self.unit == "×" else f" {self.unit}"
        return f"{'≤' if self.at_most else '≥'} {self.limit:g}{unit}"

    def as_json(self) -> dict:
        return {"what": self.what, "value": self.value, "goal": self.goal, "met": self.met}


# The goals of issue 18 (Performance 2): stable id -> (the row that answers it, its goal as printed).
GOALS: dict[str, tuple[str, str]] = {
    "hello-world": ("hello-world view (framework floor)", "measured in the same run"),
    "bare": ("bare view vs hello-world", "≤ 3× hello-world, ≤ 2 queries"),
    "pages": ("staff and worker pages", "≤ 2× bare, median and p95"),
    "http": ("HTTP throughput: member list", "≥ 0.5× bare"),
    "review-cpu": ("automatic review: CPU per claim (one task per claim)", "≤ 5 ms"),
    "review-batch": ("automatic review: CPU per claim (batch task)", "≤ 1 ms"),
    "import": ("Excel import of 50,000 members vs COPY", "≤ 1.6×, ≤ 300 MB"),
}
PAGE_GOAL = 2.0  # every staff and worker page vs the bare view, at the median and at p95
HTTP_GOAL = 0.5  # the member list's requests per second vs the bare view's under gunicorn


@dataclass
class Result:
    name: str
    median_ms: float | None = None
    p95_ms: float | None = None
    per_s: float | None = None
    queries: int | None = None
    anchor: str | None = None
    anchor_median_ms: float | None = None
    anchor_per_s: float | None = None
    ratio: float | None = None
    goal: str | None = None
    met: bool | None = None
    runs: int = 0
    status: str = "ok"  # ok | not available | error
    note: str = ""
    anchor_p95_ms: float | None = None
    p95_ratio: float | None = None
    goal_id: str | None = None  # the key in GOALS this row answers
    checks: list[Check] = field(default_factory=list)

    @classmethod
    def not_available(cls, name: str, why: str, *, goal: str | None = None) -> "Result":
        return cls(name=name, status="not available", note=why, goal=goal)

    @classmethod
    def error(cls, name: str, why: str, *, goal: str | None = None) -> "Result":
        return cls(name=name, status="error", note=why, goal=goal)

    def compare(self, anchor: str, anchor_timing: Timing, *, max_ratio: float | None) -> "Result":
        """Set the anchor, the ratios of medians and of p95s and, with ``max_ratio``, check both."""
        self.anchor = anchor
        self.anchor_median_ms = round(anchor_timing.median_ms, 2)
        self.anchor_p95_ms = round(anchor_timing.p95_ms, 2)
        self.ratio = round(self.median_ms / anchor_timing.median_ms, 2) if anchor_timing.median_ms else None
        if self.p95_ms is not None and anchor_timing.p95_ms:
            self.p95_ratio = round(self.p95_ms / anchor_timing.p95_ms, 2)
        if max_ratio is not None:
            self.check("median ratio", self.ratio, max_ratio)
            if self.p95_ms is not None:
                self.check("p95 ratio", self.p95_ratio, max_ratio)
        return self

    def compare_throughput(self, anchor: str, anchor_per_s: float, *, min_ratio: float | None) -> "Result":
        """Requests per second against an anchor's: the ratio and, with ``min_ratio``, ``ratio ≥ min_ratio``."""
        self.anchor = anchor
        self.anchor_per_s = round(anchor_per_s, 1)
        self.ratio = round(self.per_s / anchor_per_s, 2) if self.per_s is not None and anchor_per_s else None
        if min_ratio is not None:
            self.check("ratio", self.ratio, min_ratio, at_most=False)
        return self

    def check(self, what: str, value: float | None, limit: float, *, unit: str = "×", at_most: bool = True) -> "Result":
        """Add a goal on one figure; ``goal`` and ``met`` then cover every check (met only if all hold). Two
        checks of the same limit and unit print once ("≤ 2×" for the median and p95 ratios)."""
        self.checks.append(Check(what, value, limit, unit, at_most))
        texts = list(dict.fromkeys(c.goal for c in self.checks))
        self.goal = ", ".join(texts)
        self.met = all(c.met for c in self.checks)
        return self

    def as_json(self) -> dict:
        data = {"name": self.name}
        if self.per_s is not None:
            data["per_s"] = self.per_s
        else:
            data["median_ms"] = self.median_ms
            data["p95_ms"] = self.p95_ms
        data["queries"] = self.queries
        data["anchor"] = self.anchor
        if self.anchor_per_s is not None:
            data["anchor_per_s"] = self.anchor_per_s
        else:
            data["anchor_median_ms"] = self.anchor_median_ms
        if self.p95_ratio is not None:
            data["anchor_p95_ms"] = self.anchor_p95_ms
            data["p95_ratio"] = self.p95_ratio
        data.update(ratio=self.ratio, goal=self.goal, met=self.met, runs=self.runs, status=self.status)
        if self.goal_id is not None:
            data["goal_id"] = self.goal_id
        if self.checks:
            data["checks"] = [c.as_json() for c in self.checks]
        if self.note:
            data["note"] = self.note
        return data


@dataclass
class Operation:
    name: str
    run: Callable[["Bench"], "Result | list[Result]"]


OPERATIONS: list[Operation] = []


def operation(name: str):
    """Register ``fn(bench) -> Result | list[Result]`` as a benchmark operation (run in registration order)."""

    def decorator(fn):
        if any(op.name == name for op in OPERATIONS):
            raise ValueError(f"benchmark operation {name!r} is already registered")
        OPERATIONS.append(Operation(name, fn))
        return fn

    return decorator


def optional_module(name: str):
    """The module, or None when it does not exist (yet); an import error inside it still raises."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name is not None and (name == exc.name or name.startswith(exc.name + ".")):
            return None
        raise


@dataclass
class Bench:
    """What an operation gets: run counts, timing helpers, logged-in test clients, anchors cached per run."""

    runs: int = 20
    heavy_runs: int = 3
    seconds: float = 15.0
    warmup: int = 2
    stdout: object = None
    _clients: dict = field(default_factory=dict)
    _anchors: dict = field(default_factory=dict)
    cleanups: list = field(default_factory=list)

    def log(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)
            self.stdout.flush()

    def time(self, fn: Callable[[], object], *, runs: int | None = None, warmup: int | None = None) -> Timing:
        """Call ``fn`` ``warmup`` times untimed, then ``runs`` times timed (ms, wall clock)."""
        for _ in range(self.warmup if warmup is None else warmup):
            fn()
        samples = []
        for _ in range(runs or self.runs):
            t0 = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - t0) * 1000)
        return Timing(samples)

    def time_pair(self, fn: Callable[[], object], anchor_fn: Callable[[], object]) -> tuple[Timing, Timing]:
        """Time ``fn`` and its anchor in alternation (fn, anchor, fn, anchor ...), so that a change of the
        machine's load during the run weighs on both alike and the ratio stays fair."""
        for _ in range(self.warmup):
            fn()
            anchor_fn()
        samples: tuple[list[float], list[float]] = ([], [])
        for _ in range(self.runs):
            for target, call in zip(samples, (fn, anchor_fn), strict=True):
                t0 = time.perf_counter()
                call()
                target.append((time.perf_counter() - t0) * 1000)
        return Timing(samples[0]), Timing(samples[1])

    @staticmethod
    def count_queries(fn: Callable[[], object]) -> int:
        """Queries one call of ``fn`` makes (measured in a run of its own: capturing slows the timing)."""
        with CaptureQueriesContext(connection) as captured:
            fn()
        return len(captured.captured_queries)

    def client(self, username: str):
        """A Django test client logged in as ``username`` (a demo account), past two-factor authentication."""
        if username not in self._clients:
            from .sessions import logged_in_client

            self._clients[username] = logged_in_client(username, cleanups=self.cleanups)
        return self._clients[username]

    def anchor(self, key: str, fn: Callable[[], object], *, runs: int | None = None) -> Timing:
        """Time an anchor once per benchmark run and reuse it for every operation compared with it."""
        if key not in self._anchors:
            self._anchors[key] = self.time(fn, runs=runs)
        return self._anchors[key]

    def close(self) -> None:
        for cleanup in reversed(self.cleanups):
            cleanup()
        self.cleanups.clear()


def run_operations(bench: Bench, *, only: list[str] | None = None) -> list[Result]:
    results: list[Result] = []
    for op in OPERATIONS:
        if only and not any(word.lower() in op.name.lower() for word in only):
            continue
        bench.log(f"- {op.name} ...")
        t0 = time.perf_counter()
        try:
            outcome = op.run(bench)
        except Exception as exc:  # noqa: BLE001 - one broken operation must not hide the others' figures
            outcome = Result.error(op.name, f"{type(exc).__name__}: {exc}")
        for result in outcome if isinstance(outcome, list) else [outcome]:
            results.append(result)
            bench.log(f"    {format_row(result)}   [{time.perf_counter() - t0:.1f}s]")
    return results + unanswered_goals(results, only=only)


def unanswered_goals(results: list[Result], *, only: list[str] | None = None) -> list[Result]:
    """A "not available" row for each goal of :data:`GOALS` that no result answers (``goal_id``); with
    ``only``, just the goals whose row name matches one of its words."""
    answered = {r.goal_id for r in results}
    rows = []
    for goal_id, (name, goal) in GOALS.items():
        if goal_id in answered or (only and not any(word.lower() in name.lower() for word in only)):
            continue
        rows.append(Result.not_available(name, f"no operation answers goal {goal_id!r} yet", goal=goal))
        rows[-1].goal_id = goal_id
    return rows


# --- machine, table, JSON ---------------------------------------------------------------------------------


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def machine() -> dict:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            db_version = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            db_version = f"{connection.vendor} {connection.Database.sqlite_version}"
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "memory_gb": _memory_gb(),
        "python": platform.python_version(),
        "database": db_version,
        "django": importlib.import_module("django").get_version(),
        "os": f"{platform.system()} {platform.release()}",
        # The machine may be shared: a load above the CPU count at the end means the figures are pessimistic.
        "load_average_1_5_15": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None,
    }


def _fmt(value, spec: str = ".1f") -> str:
    return "—" if value is None else format(value, spec)


def format_row(r: Result) -> str:
    if r.status != "ok":
        return f"{r.name}: {r.status.upper()} ({r.note})"
    if r.per_s is not None:
        main = f"{r.per_s:,.1f}/s"
    else:
        main = f"median {_fmt(r.median_ms)} ms, p95 {_fmt(r.p95_ms)} ms"
    extra = f", {r.queries} queries" if r.queries is not None else ""
    if r.ratio is not None:
        extra += f", {r.ratio:g}× {r.anchor}"
        if r.p95_ratio is not None:
            extra += f" (p95 {r.p95_ratio:g}×)"
    if r.met is not None:
        extra += f" (goal {r.goal}: {'met' if r.met else 'MISSED'})"
    return f"{r.name}: {main}{extra}"


COLUMNS = ("operation", "median ms", "p95 ms", "per s", "queries", "anchor", "anchor", "ratio", "p95 ratio", "goal", "met", "runs")  # fmt: skip


def table_rows(results: list[Result]) -> list[tuple[str, ...]]:
    rows = []
    for r in results:
        if r.status != "ok":
            rows.append((r.name, r.status, "", "", "", "", "", "", "", r.goal or "—", "", ""))
            continue
        anchor_value = _fmt(r.anchor_per_s, ",.1f") + "/s" if r.anchor_per_s is not None else _fmt(r.anchor_median_ms)
        rows.append(
            (
                r.name,
                _fmt(r.median_ms),
                _fmt(r.p95_ms),
                _fmt(r.per_s, ",.1f"),
                _fmt(r.queries, "d"),
                r.anchor or "—",
                anchor_value if r.anchor else "—",
                f"{r.ratio:g}×" if r.ratio is not None else "—",
                f"{r.p95_ratio:g}×" if r.p95_ratio is not None else "—",
                r.goal or "—",
                {True: "yes", False: "NO", None: "—"}[r.met],
                str(r.runs),
            )
        )
    return rows


def notes(results: list[Result]) -> list[str]:
    """One line per operation that has something to say (why not available, the error, what was measured)."""
    return [f"{r.name}: {r.note}" for r in results if r.note]


def markdown_table(results: list[Result]) -> str:
    header = ("operation", "median ms", "p95 ms", "per s", "queries", "anchor", "anchor ms (or /s)", "ratio", "p95 ratio", "goal", "met", "runs")  # fmt: skip
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in table_rows(results):
        lines.append("| " + " | ".join(cell.replace("|", "/") for cell in row) + " |")
    lines.append("")
    lines.extend(f"- {line}" for line in notes(results))
    return "\n".join(lines)


def text_table(results: list[Result]) -> str:
    rows = [COLUMNS, *table_rows(results)]
    widths = [max(_width(row[i]) for row in rows) for i in range(len(COLUMNS))]
    out = []
    for n, row in enumerate(rows):
        out.append("  ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    out.append("")
    out.extend(notes(results))
    return "\n".join(out)


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def write_results(path: Path, results: list[Result], *, data: dict, started: dt.datetime, options: dict) -> dict:
    document = {
        "date": started.isoformat(timespec="seconds"),
        "duration_s": round((dt.datetime.now(dt.UTC) - started).total_seconds(), 1),
        "machine": machine(),
        "data": data,
        "options": options,
        "operations": [r.as_json() for r in results],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return document

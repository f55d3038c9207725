"""Reading PostgreSQL plans: the SQL a page really runs, EXPLAINed with ANALYZE and BUFFERS, summed per page."""

import json
from dataclasses import dataclass, field

from django.db import connection
from django.test.utils import CaptureQueriesContext

# Scan nodes read rows from a table or an index; a Bitmap Index Scan's rows are read again (and counted) by
# the Bitmap Heap Scan above it, so it is left out.
SCAN_NODES = {"Seq Scan", "Index Scan", "Index Only Scan", "Bitmap Heap Scan", "Tid Scan", "Tid Range Scan"}


@dataclass
class PageCost:
    """What one page's SELECTs read: rows at scan nodes (actual rows × loops + rows removed by a filter or a
    recheck) and shared buffers touched (hit + read, the whole plan)."""

    rows: int = 0
    buffers: int = 0
    queries: int = 0
    worst: list[tuple[int, int, str]] = field(default_factory=list)  # (rows, buffers, sql) per query

    def __str__(self) -> str:
        top = sorted(self.worst, key=lambda w: w[0] + w[1], reverse=True)[:3]
        lines = "\n".join(f"    {r:>8} rows {b:>7} buffers  {sql[:300]}" for r, b, sql in top)
        return f"{self.rows} rows, {self.buffers} buffers in {self.queries} SELECTs; most:\n{lines}"


def _scan_rows(node: dict) -> int:
    rows = 0
    if node.get("Node Type") in SCAN_NODES:
        loops = node.get("Actual Loops", 1)
        rows += node.get("Actual Rows", 0) * loops
        rows += node.get("Rows Removed by Filter", 0) + node.get("Rows Removed by Index Recheck", 0)
    return rows + sum(_scan_rows(child) for child in node.get("Plans", ()))


def explain(sql: str) -> tuple[int, int]:
    """(rows read at scan nodes, shared buffers hit + read) of one SELECT, run under EXPLAIN ANALYZE."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
        raw = cursor.fetchone()[0]
    plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]
    return _scan_rows(plan), plan.get("Shared Hit Blocks", 0) + plan.get("Shared Read Blocks", 0)


def page_cost(client, url: str, params: dict | None = None) -> PageCost:
    """GET the page, capture its SQL, then EXPLAIN ANALYZE every SELECT it ran (after the response, in the
    same transaction, so the plans read the same data)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200, (url, response.status_code)
    cost = PageCost()
    for query in captured.captured_queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        rows, buffers = explain(sql)
        cost.rows += rows
        cost.buffers += buffers
        cost.queries += 1
        cost.worst.append((rows, buffers, sql))
    return cost

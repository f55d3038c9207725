"""Refreshing the figure store: run every registered provider and write ``FigureSnapshot`` rows.

Called by Celery beat (``tasks.refresh_figures_task``) and on demand by an admin (``services``)."""

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from union_portal import tree
from union_portal.models import OrgUnit
from union_portal.replica import replica_reads

from .models import FigureRun, FigureSnapshot
from .registry import Contribution, FigureContext, Metric, all_metrics


def roll_up(contributions, *, path_to_id: dict[str, int]) -> dict[tuple[int, str], list[Decimal]]:
    """Sum numerators and denominators of each contribution into its node and every ancestor (by path
    prefix). Returns {(node id, key): [numerator, denominator or None]}."""
    totals: dict[tuple[int, str], list] = defaultdict(lambda: [Decimal(0), None])
    for c in contributions:
        if not c.path:
            continue
        for path in tree.ancestor_paths(c.path, include_self=True):
            node_id = path_to_id.get(path)
            if node_id is None:
                continue
            cell = totals[(node_id, c.key)]
            cell[0] += Decimal(c.numerator or 0)
            if c.denominator is not None:
                cell[1] = (cell[1] or Decimal(0)) + Decimal(c.denominator)
    return totals


def compute_metric(metric: Metric, ctx: FigureContext, *, path_to_id: dict[str, int]) -> list[FigureSnapshot]:
    """The snapshot rows of one metric for every node (unsaved)."""
    contributions: list[Contribution] = list(metric.provider(ctx))
    now = timezone.now()
    rows = []
    for (node_id, key), (numerator, denominator) in roll_up(contributions, path_to_id=path_to_id).items():
        value = metric.value(numerator, denominator)
        if value is None:
            continue
        rows.append(
            FigureSnapshot(
                node_id=node_id,
                metric=metric.key,
                period=ctx.period,
                key=key,
                value=value,
                numerator=numerator,
                denominator=denominator,
                computed_at=now,
            )
        )
    rows.sort(key=lambda r: (r.node_id, r.key))  # one insert order for every refresh: no deadlocks
    return rows


def refresh_figures(*, year: int | None = None, requested_by=None, metrics: list[str] | None = None) -> FigureRun:
    """Recompute every registered metric (or those named) for ``year`` (default: this year).

    All metrics are written in one transaction: a page shows either the previous or the new figures, never
    a mix. Rows are upserted on their unique key and rows the new run did not produce are deleted, so two
    refreshes running at once both succeed and leave the figures of the later one."""
    today = timezone.localdate()
    ctx = FigureContext(year=year or today.year, today=today)
    run = FigureRun.objects.create(period=ctx.period, requested_by=requested_by)
    path_to_id = dict(OrgUnit.objects.values_list("path", "id"))
    chosen = [m for m in all_metrics() if metrics is None or m.key in metrics]
    written = 0
    try:
        # Read (from the replica when one is configured: the refresh only reads the apps' data), then write
        # every metric in one transaction on the primary.
        with replica_reads():
            computed = [(metric, compute_metric(metric, ctx, path_to_id=path_to_id)) for metric in chosen]
        with transaction.atomic():
            for metric, rows in computed:
                FigureSnapshot.objects.bulk_create(
                    rows,
                    batch_size=1000,
                    update_conflicts=True,
                    unique_fields=["metric", "period", "node", "key"],
                    update_fields=["value", "numerator", "denominator", "computed_at"],
                )
                stale = FigureSnapshot.objects.filter(metric=metric.key, period=ctx.period)
                if rows:
                    stale = stale.filter(computed_at__lt=rows[0].computed_at)
                stale.delete()
                written += len(rows)
    except Exception as exc:
        FigureRun.objects.filter(pk=run.pk).update(
            status=FigureRun.Status.FAILED, finished_at=timezone.now(), error=str(exc)[:300]
        )
        raise
    FigureRun.objects.filter(pk=run.pk).update(
        status=FigureRun.Status.DONE, finished_at=timezone.now(), metrics=len(chosen), rows=written
    )
    run.refresh_from_db()
    return run

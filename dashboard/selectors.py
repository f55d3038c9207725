"""Reads of the dashboard: figures from the summary table (never from the large tables), scoped nodes and
assessments (surveys are read through union_portal.surveys.selectors). Each function runs a constant number
of queries, whatever the tree's size."""

import datetime as dt

from django.db.models import Func, IntegerField, Max, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from union_portal import tree
from union_portal.models import AuditLog, OrgUnit
from union_portal.roles import ADMIN_ROLES, Role
from union_portal.scoping import node_in_scope, paths_above, scope, scope_paths

from .models import AssessmentScheme, FigureRun, FigureSnapshot
from .permissions import DASHBOARD_ROLES
from .registry import Metric, all_metrics, get_metric

# Who may open the dashboard: admins for their whole subtree, township staff for their township.


def dashboard_lineage(*, user, pk: int | None) -> list[OrgUnit]:
    """The node the user asked for, last, after its ancestors that the user may also open (the breadcrumb);
    without ``pk`` the top of the user's scope. 404 when missing or outside their dashboard scope. One
    query at every level: the node and its ancestors are the units whose path starts the node's path."""
    allowed = scope_paths(user, DASHBOARD_ROLES)
    if pk is None:
        units = list(OrgUnit.objects.filter(path__in=allowed).order_by("depth", "path")[:1])
    else:
        units = list(tree.ancestors_of_pk(pk, include_self=True))
    if not units or (pk is not None and units[-1].pk != pk):
        raise Http404
    node = units[-1]
    if not node_in_scope(user, node, roles=DASHBOARD_ROLES):
        raise Http404
    return [u for u in units[:-1] if any(tree.is_within(u, a) for a in allowed)] + [node]


def dashboard_node(*, user, pk: int | None) -> OrgUnit:
    return dashboard_lineage(user=user, pk=pk)[-1]


# Audit actions that change nothing a figure counts: log-ins, reading personal data in full, exports, the
# dashboard's own refreshes.
NOT_CHANGES = Q(action__startswith="auth.") | Q(action__startswith="audit.") | Q(action__startswith="dashboard.")
NOT_CHANGES |= Q(action__contains="reveal") | Q(action__contains="export") | Q(action__contains="download")


def refresh_log() -> tuple[dt.datetime | None, list[str], int]:
    """When the figures were last computed, the years that have figures, and how many changes were recorded
    since (audited writes that succeeded, anywhere: the audit log is the one record of every write).

    One query on the small refresh log (never the figure table); the count is a subquery on the audit log's
    indexed time, after the latest run."""
    done = FigureRun.objects.filter(status=FigureRun.Status.DONE)
    last_run = done.order_by("-finished_at").values("finished_at")[:1]
    changes = (
        AuditLog.objects.filter(at__gt=Subquery(last_run), result=AuditLog.Result.OK)
        .exclude(NOT_CHANGES)
        .order_by()
        .annotate(n=Func("id", function="COUNT"))
        .values("n")
    )
    rows = list(
        done.values("period")
        .annotate(last=Max("finished_at"))
        .annotate(changes=Subquery(changes, output_field=IntegerField()))
        .order_by("-period")
    )
    latest = max(rows, key=lambda r: r["last"], default=None)
    if latest is None:
        return None, [], 0
    return latest["last"], [r["period"] for r in rows], latest["changes"] or 0


def default_period() -> str:
    return str(timezone.localdate().year)


def figures_here_and_below(*, node: OrgUnit, period: str, metrics: list[str]) -> tuple[dict, dict]:
    """The totals (key "") of ``metrics`` at ``node`` ({metric: snapshot}) and at each unit one level below
    ({(unit id, metric): snapshot}). One query (the node, or path prefix + depth)."""
    rows = FigureSnapshot.objects.filter(
        Q(node=node) | tree.children_q(node, field="node"),
        period=period,
        metric__in=metrics,
        key="",
    )
    here, below = {}, {}
    for row in rows:
        if row.node_id == node.pk:
            here[row.metric] = row
        else:
            below[(row.node_id, row.metric)] = row
    return here, below


def breakdown_below(*, node: OrgUnit, period: str, metric: str) -> dict:
    """{(node id, key): snapshot} for ``node`` and the level below, every breakdown key. One query."""
    rows = FigureSnapshot.objects.filter(
        Q(node=node) | tree.children_q(node, field="node"),
        period=period,
        metric=metric,
    )
    return {(row.node_id, row.key): row for row in rows}


def headline_metrics() -> list[Metric]:
    return [m for m in all_metrics() if m.headline]


def metric_or_404(key: str) -> Metric:
    metric = get_metric(key)
    if metric is None:
        raise Http404
    return metric


def schemes_for(*, user) -> QuerySet[AssessmentScheme]:
    """Admins: the checklists of nodes in their scope. Township staff: non-draft checklists of a node above
    their township (the ones that assess them)."""
    query = Q(pk__in=scope(AssessmentScheme.objects.all(), user, roles=ADMIN_ROLES).values("pk"))
    above = paths_above(user, Role.TOWNSHIP_STAFF)
    if above:
        query |= Q(owner__path__in=above) & ~Q(status=AssessmentScheme.Status.DRAFT)
    return AssessmentScheme.objects.filter(query).select_related("owner").order_by("-period", "-created_at")

"""Reads of the dashboard: figures from the summary table (never from the large tables), scoped nodes,
surveys and assessments. Each function runs a constant number of queries, whatever the tree's size."""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Max, Q, QuerySet, Subquery, Sum
from django.http import Http404
from django.utils import timezone

from union_portal.models import OrgUnit
from union_portal.roles import ADMIN_ROLES, Role
from union_portal.scoping import home_nodes, node_in_scope, scope, scope_paths

from .models import (
    AssessmentScheme,
    FigureRun,
    FigureSnapshot,
    Survey,
    SurveyAnswer,
    SurveyParticipation,
    SurveyQuestion,
)
from .registry import Metric, all_metrics, get_metric

# Who may open the dashboard: admins for their whole subtree, township staff for their township.
DASHBOARD_ROLES = (Role.CITY_ADMIN, Role.DISTRICT_ADMIN, Role.TOWNSHIP_STAFF)
# Drill-down stops at grassroots unions: union groups have no figures of their own.
LEAF_KINDS = (OrgUnit.Kind.GROUP,)


def dashboard_lineage(*, user, pk: int | None) -> list[OrgUnit]:
    """The node the user asked for, last, after its ancestors that the user may also open (the breadcrumb);
    without ``pk`` the top of the user's scope. 404 when missing or outside their dashboard scope. One
    query at every level: the node and its ancestors are the units whose path starts the node's path."""
    allowed = scope_paths(user, DASHBOARD_ROLES)
    if pk is None:
        units = list(OrgUnit.objects.filter(path__in=allowed).order_by("depth", "path")[:1])
    else:
        target = OrgUnit.objects.filter(pk=pk).values("path")[:1]
        units = list(
            OrgUnit.objects.annotate(target_path=Subquery(target))
            .filter(target_path__startswith=F("path"))
            .order_by("depth")
        )
    if not units or (pk is not None and units[-1].pk != pk):
        raise Http404
    node = units[-1]
    if not node_in_scope(user, node, roles=DASHBOARD_ROLES):
        raise Http404
    return [u for u in units[:-1] if any(u.path.startswith(a) for a in allowed)] + [node]


def dashboard_node(*, user, pk: int | None) -> OrgUnit:
    return dashboard_lineage(user=user, pk=pk)[-1]


def admin_node(*, user) -> OrgUnit | None:
    """The shallowest node where the user is a city or district admin (owner of their surveys/assessments)."""
    return home_nodes(user, roles=ADMIN_ROLES).first()


def children_of(*, node: OrgUnit) -> list[OrgUnit]:
    """The level below ``node`` (no union groups). One query."""
    return list(
        OrgUnit.objects.filter(path__startswith=node.path, depth=node.depth + 1)
        .exclude(kind__in=LEAF_KINDS)
        .order_by("path")
    )


def refresh_log() -> tuple[dt.datetime | None, list[str]]:
    """When the figures were last computed, and the years that have figures. One query on the small
    refresh log (never the figure table)."""
    rows = list(
        FigureRun.objects.filter(status=FigureRun.Status.DONE)
        .values("period")
        .annotate(last=Max("finished_at"))
        .order_by("-period")
    )
    return max((r["last"] for r in rows), default=None), [r["period"] for r in rows]


def default_period() -> str:
    return str(timezone.localdate().year)


def figures_here_and_below(*, node: OrgUnit, period: str, metrics: list[str]) -> tuple[dict, dict]:
    """The totals (key "") of ``metrics`` at ``node`` ({metric: snapshot}) and at each unit one level below
    ({(unit id, metric): snapshot}). One query (the node, or path prefix + depth)."""
    rows = FigureSnapshot.objects.filter(
        Q(node=node) | Q(node__path__startswith=node.path, node__depth=node.depth + 1),
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
        Q(node=node) | Q(node__path__startswith=node.path, node__depth=node.depth + 1),
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


# --- surveys ---------------------------------------------------------------------------------------------


def surveys_for_member(*, user) -> QuerySet[Survey]:
    """Open surveys the worker may answer: published by a node above their union, today within dates,
    annotated with ``answered`` (bool). Two queries at most (member, then surveys)."""
    member = getattr(user, "member", None) if hasattr(user, "member") else None
    if member is None or member.status not in member.HOLDING_STATUSES:
        return Survey.objects.none()
    org_path = member.org.path
    steplen = OrgUnit.steplen
    ancestor_paths = [org_path[: i * steplen] for i in range(1, len(org_path) // steplen + 1)]
    today = timezone.localdate()
    answered = SurveyParticipation.objects.filter(user=user).values("survey_id")
    return (
        Survey.objects.filter(status=Survey.Status.OPEN, owner__path__in=ancestor_paths)
        .filter(Q(opens_on__isnull=True) | Q(opens_on__lte=today))
        .filter(Q(closes_on__isnull=True) | Q(closes_on__gte=today))
        .annotate(answered=Q(pk__in=answered))
        .order_by("-created_at", "-id")
    )


def open_survey_for_member(*, user, pk: int) -> Survey:
    """An open survey the worker may answer and has not answered yet; 404 otherwise (one answer each)."""
    survey = surveys_for_member(user=user).filter(pk=pk).first()
    if survey is None or survey.answered:
        raise Http404
    return survey


def surveys_for_staff(*, user) -> QuerySet[Survey]:
    """Admins: surveys of nodes in their scope. Township staff: published surveys of a node above them."""
    query = Q(pk__in=scope(Survey.objects.all(), user, roles=ADMIN_ROLES).values("pk"))
    above = _paths_above(user, Role.TOWNSHIP_STAFF)
    if above:
        query |= Q(owner__path__in=above) & ~Q(status=Survey.Status.DRAFT)
    return Survey.objects.filter(query).select_related("owner").order_by("-created_at", "-id")


def survey_for_staff(*, user, pk: int) -> tuple[Survey, OrgUnit | None]:
    """(survey, None) for an admin of its owner; (survey, their township) for township staff it reaches;
    404 otherwise. Two queries at most."""
    survey = Survey.objects.select_related("owner").filter(pk=pk).first()
    if survey is None:
        raise Http404
    if node_in_scope(user, survey.owner, roles=ADMIN_ROLES):
        return survey, None
    if survey.status != Survey.Status.DRAFT:
        township = home_nodes(user, roles=[Role.TOWNSHIP_STAFF]).filter(path__startswith=survey.owner.path).first()
        if township is not None and township.path != survey.owner.path:
            return survey, township
    raise Http404


def _paths_above(user, role: str) -> set[str]:
    steplen = OrgUnit.steplen
    above: set[str] = set()
    for path in scope_paths(user, [role]):
        above.update(path[: i * steplen] for i in range(1, len(path) // steplen))
    return above


def schemes_for(*, user) -> QuerySet[AssessmentScheme]:
    """Admins: the checklists of nodes in their scope. Township staff: non-draft checklists of a node above
    their township (the ones that assess them)."""
    query = Q(pk__in=scope(AssessmentScheme.objects.all(), user, roles=ADMIN_ROLES).values("pk"))
    above = _paths_above(user, Role.TOWNSHIP_STAFF)
    if above:
        query |= Q(owner__path__in=above) & ~Q(status=AssessmentScheme.Status.DRAFT)
    return AssessmentScheme.objects.filter(query).select_related("owner").order_by("-period", "-created_at")


@dataclass
class SurveyResult:
    question: SurveyQuestion
    mean: Decimal | None
    count: int
    by_rating: dict[int, int]

    @property
    def bars(self) -> list[tuple[int, int]]:
        return [(r, self.by_rating.get(r, 0)) for r in range(1, 6)]


def _mean(total: int, count: int) -> Decimal | None:
    return (Decimal(total) / count).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if count else None


def survey_results(*, survey: Survey, within: OrgUnit | None = None) -> tuple[int, list[SurveyResult]]:
    """Aggregates only: respondents and, per rating question, the mean and the distribution. Two queries."""
    answers = SurveyAnswer.objects.filter(response__survey=survey, rating__isnull=False)
    responses = survey.responses.all()
    if within is not None:
        answers = answers.filter(response__union__path__startswith=within.path)
        responses = responses.filter(union__path__startswith=within.path)
    dist: dict[int, dict[int, int]] = {}
    for row in answers.values("question_id", "rating").annotate(n=Count("id")).order_by():
        dist.setdefault(row["question_id"], {})[row["rating"]] = row["n"]
    results = []
    for q in survey.questions.all():
        counts = dist.get(q.pk, {})
        mean = _mean(sum(r * n for r, n in counts.items()), sum(counts.values()))
        results.append(SurveyResult(question=q, mean=mean, count=sum(counts.values()), by_rating=counts))
    return responses.count(), results


def survey_comments(*, survey: Survey, within: OrgUnit | None = None, limit: int = 200) -> list[str]:
    """Free-text comments in random-key order (never the order given), with nothing about who wrote them."""
    qs = SurveyAnswer.objects.filter(response__survey=survey).exclude(comment="")
    if within is not None:
        qs = qs.filter(response__union__path__startswith=within.path)
    return list(qs.order_by("response_id", "id").values_list("comment", flat=True)[:limit])


# A unit's mean rating is shown in survey reports only when at least this many members of it answered:
# the mean of one or two people would tell who said what to anyone who knows who answered.
MIN_REPORT_GROUP = 5


@dataclass
class UnitRating:
    unit: OrgUnit
    mean: Decimal | None
    ratings: int
    respondents: int

    @property
    def reportable_mean(self) -> Decimal | None:
        return self.mean if self.respondents >= MIN_REPORT_GROUP else None


def survey_by_unit(*, survey: Survey, units: list[OrgUnit]) -> dict[int, UnitRating]:
    """The mean rating (all rating questions) and respondents of each unit's subtree: one query grouped by
    the respondent's union, rolled up to ``units`` by path prefix. Exact: sums of integer ratings."""
    rows = (
        SurveyAnswer.objects.filter(response__survey=survey, rating__isnull=False)
        .values("response__union__path")
        .annotate(total=Sum("rating"), n=Count("id"), people=Count("response", distinct=True))
        .order_by()
    )
    sums: dict[int, list[int]] = {u.pk: [0, 0, 0] for u in units}
    for row in rows:
        for unit in units:
            if row["response__union__path"].startswith(unit.path):
                cell = sums[unit.pk]
                cell[0] += row["total"]
                cell[1] += row["n"]
                cell[2] += row["people"]
    return {u.pk: UnitRating(u, _mean(sums[u.pk][0], sums[u.pk][1]), sums[u.pk][1], sums[u.pk][2]) for u in units}

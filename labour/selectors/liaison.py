"""Reads of cadres' liaison: a cadre's firms with the last visit and what is open, the assignments of an area,
an assignment's visits and issues, the cadres an assigner may choose."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Prefetch, Q, QuerySet

from members.models import Enterprise
from union_portal.models import RoleAssignment
from union_portal.scoping import scope, scope_paths
from union_portal.tree import subtree_q

from ..models import IssueStatus, LiaisonAssignment, LiaisonIssue, LiaisonVisit
from ..permissions.liaison import ASSIGNER_ROLES, CADRE_ROLES, VIEW_ROLES
from ..rules_liaison import DEFAULT_VISIT_EVERY_MONTHS, is_overdue, visit_due_on


def visit_every_months() -> int:
    return int(getattr(settings, "LABOUR_LIAISON_VISIT_MONTHS", DEFAULT_VISIT_EVERY_MONTHS))


def _with_figures(qs: QuerySet[LiaisonAssignment]) -> QuerySet[LiaisonAssignment]:
    return qs.select_related("cadre", "enterprise__township").annotate(
        last_visit=Max("visits__visited_on"),
        open_issues=Count("visits__issues", filter=~Q(visits__issues__status=IssueStatus.CLOSED), distinct=True),
    )


@dataclass(frozen=True)
class AssignmentRow:
    assignment: LiaisonAssignment
    last_visit: dt.date | None
    due_on: dt.date
    overdue: bool
    open_issues: int


def assignment_rows(assignments, *, today: dt.date) -> list[AssignmentRow]:
    """Rows of a page: the due date of the next visit and whether it is overdue (no query)."""
    months = visit_every_months()
    rows = []
    for a in assignments:
        rows.append(
            AssignmentRow(
                assignment=a,
                last_visit=a.last_visit,
                due_on=visit_due_on(assigned_on=a.assigned_on, last_visit=a.last_visit, every_months=months),
                overdue=a.ended_on is None
                and is_overdue(assigned_on=a.assigned_on, last_visit=a.last_visit, every_months=months, today=today),
                open_issues=a.open_issues,
            )
        )
    return rows


def cadre_assignments(*, user) -> QuerySet[LiaisonAssignment]:
    """The cadre's own current firms."""
    return _with_figures(LiaisonAssignment.objects.filter(cadre=user, ended_on__isnull=True)).order_by(
        "enterprise__name", "id"
    )


def cadre_open_issues(*, user) -> QuerySet[LiaisonIssue]:
    return (
        LiaisonIssue.objects.filter(visit__assignment__cadre=user)
        .exclude(status=IssueStatus.CLOSED)
        .select_related("visit__assignment__enterprise", "rights_case")
        .order_by("-visit__visited_on", "-id")
    )


def assignment_list(*, user, active_only: bool = True) -> QuerySet[LiaisonAssignment]:
    qs = scope(LiaisonAssignment.objects.all(), user, roles=VIEW_ROLES)
    if active_only:
        qs = qs.filter(ended_on__isnull=True)
    return _with_figures(qs).order_by("enterprise__name", "id")


def assignment_visits(*, assignment: LiaisonAssignment) -> QuerySet[LiaisonVisit]:
    return (
        assignment.visits.select_related("created_by")
        .prefetch_related(
            Prefetch("issues", queryset=LiaisonIssue.objects.select_related("rights_case").order_by("id"))
        )
        .order_by("-visited_on", "-id")
    )


def cadre_choices(*, user) -> QuerySet:
    """Active staff holding a cadre role at a node within the assigner's area."""
    paths = scope_paths(user, ASSIGNER_ROLES)
    if not paths:
        return get_user_model().objects.none()
    holders = RoleAssignment.objects.filter(role__in=CADRE_ROLES).filter(subtree_q(*paths, field="node"))
    return get_user_model().objects.filter(pk__in=holders.values("user_id"), is_active=True).order_by("username")


def enterprise_choices(*, user) -> QuerySet[Enterprise]:
    """Enterprises of the assigner's area."""
    return scope(Enterprise.objects.all(), user, roles=ASSIGNER_ROLES, include_owner=False).order_by("name")

"""Reads of workers' congress sessions and open factory affairs (scoped), and the dashboard's grouped reads."""

import datetime as dt

from django.db.models import Count, Exists, F, OuterRef, Prefetch, QuerySet

from members.models import Enterprise
from union_portal.scoping import home_nodes, scope
from union_portal.tree import subtree_q

from ..models import CongressResolution, CongressRule, CongressSession, OpenAffairsItem
from ..permissions.congress import RECORD_ROLES, VIEW_ROLES
from ..rules_congress import Fractions


def congress_rule() -> Fractions:
    """The rule in force: the district's row, or the shipped defaults (2/3 present, more than 1/2 in favour)."""
    row = CongressRule.objects.order_by("pk").first()
    if row is None:
        return Fractions()
    return Fractions(
        quorum_numerator=row.quorum_numerator,
        quorum_denominator=row.quorum_denominator,
        majority_numerator=row.majority_numerator,
        majority_denominator=row.majority_denominator,
    )


def session_list(*, user, year: int | None = None) -> QuerySet[CongressSession]:
    qs = scope(CongressSession.objects.all(), user, roles=VIEW_ROLES)
    if year:
        qs = qs.filter(held_on__year=year)
    return (
        qs.select_related("enterprise", "org")
        .annotate(resolution_count=Count("resolutions"))
        .order_by("-held_on", "-id")
    )


def session_resolutions(*, session: CongressSession) -> QuerySet[CongressResolution]:
    return session.resolutions.order_by("id")


def open_affairs_list(*, user, year: int | None = None) -> QuerySet[OpenAffairsItem]:
    qs = scope(OpenAffairsItem.objects.all(), user, roles=VIEW_ROLES)
    if year:
        qs = qs.filter(published_on__year=year)
    return qs.select_related("enterprise", "org").order_by("-published_on", "-id")


def enterprises_to_record(*, user) -> QuerySet[Enterprise]:
    """Unionised enterprises whose union lies where the user is a grassroots handler."""
    nodes = list(home_nodes(user, RECORD_ROLES))
    if not nodes:
        return Enterprise.objects.none()
    return Enterprise.objects.filter(subtree_q(*nodes, field="union")).select_related("union").order_by("name")


def enterprises_with_session_count(*, year: int) -> dict:
    """(for tests and pages) unionised enterprise id -> sessions held in ``year``."""
    rows = CongressSession.objects.filter(held_on__year=year).values("enterprise_id").annotate(n=Count("id"))
    return {row["enterprise_id"]: row["n"] for row in rows.order_by()}


def congress_held_counts_by_township(*, year: int) -> QuerySet:
    """Unionised enterprises per township: rows ``path`` (the enterprise's township), ``n`` (those whose
    congress met in ``year``), ``d`` (all unionised). One grouped query."""
    held = CongressSession.objects.filter(
        enterprise=OuterRef("pk"), held_on__gte=dt.date(year, 1, 1), held_on__lte=dt.date(year, 12, 31)
    )
    return (
        Enterprise.objects.filter(union__isnull=False)
        .values(path=F("township__path"))
        .annotate(n=Count("id", filter=Exists(held)), d=Count("id"))
        .order_by()
    )


def sessions_with_resolutions(qs: QuerySet[CongressSession]) -> QuerySet[CongressSession]:
    return qs.prefetch_related(Prefetch("resolutions", queryset=CongressResolution.objects.order_by("id")))

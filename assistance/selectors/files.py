"""Reads of hardship files: the rules in force, the staff list and its filters, a worker's own file, the files due
for review, the statistics and the grouped reads the dashboard rolls up the tree."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, F, Q, QuerySet
from django.utils import timezone

from union_portal.models import OrgUnit
from union_portal.money import round_fen
from union_portal.scoping import scope, scope_paths
from union_portal.tree import ancestor_path_at, ancestor_paths, subtree_q

from ..models import Category, CloseReason, FileStatus, HardshipFile, RuleSet
from ..permissions.files import FILE_STATS_ROLES, FILE_VIEW_ROLES
from ..rules import DEFAULT_RULES

# A township is the third level of the tree (city 1, district 2, township 3): files are counted by it.
TOWNSHIP_DEPTH = 3
DISTRICT_DEPTH = 2
# Display labels of the codes the grouped reads return (the dashboard reads them here, not from the models).
CATEGORY_LABELS = dict(Category.choices)
CLOSE_REASON_LABELS = dict(CloseReason.choices)


def rules_in_force(*, org: OrgUnit, on: dt.date) -> dict[str, Any]:
    """The rules version in force on ``on`` for ``org``: the latest RuleSet effective by then of ``org`` or its
    nearest ancestor that has one; DEFAULT_RULES when none exists. Missing keys come from DEFAULT_RULES."""
    paths = ancestor_paths(org, include_self=True)
    found = (
        RuleSet.objects.filter(org__path__in=paths, effective_from__lte=on)
        .order_by("-org__depth", "-effective_from")
        .values_list("rules", flat=True)
        .first()
    )
    return {**DEFAULT_RULES, **(found or {})}


@dataclass(frozen=True)
class FileFilters:
    category: str = ""
    township: int | None = None  # an OrgUnit pk
    status: str = ""
    due: bool = False  # open and due for review within the reminder period
    attention: bool = False  # flagged by the roll sweep
    follow_up: bool = False  # closed on recovery with a follow-up date


def review_due_by(*, today: dt.date) -> dt.date:
    """Files whose validity ends on or before this date are due for review (the default reminder period)."""
    return today + dt.timedelta(days=int(DEFAULT_RULES["review_reminder_days"]))


def file_list(*, user, filters: FileFilters | None = None, today: dt.date | None = None) -> QuerySet[HardshipFile]:
    """The files in the user's subtree (staff of FILE_VIEW_ROLES), with their member and union, filtered."""
    filters = filters or FileFilters()
    today = today or timezone.localdate()
    qs = scope(HardshipFile.objects.select_related("member", "org"), user, roles=FILE_VIEW_ROLES, include_owner=False)
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.township:
        township = OrgUnit.objects.filter(pk=filters.township).values_list("path", flat=True).first()
        qs = qs.filter(org__path__startswith=township) if township else qs.none()
    if filters.due:
        qs = qs.filter(status=FileStatus.OPEN, valid_until__lte=review_due_by(today=today))
    if filters.attention:
        qs = qs.filter(status=FileStatus.OPEN).exclude(attention="")
    if filters.follow_up:
        qs = qs.filter(follow_up_on__isnull=False).order_by("follow_up_on", "pk")
    return qs


def townships_in_scope(*, user) -> QuerySet[OrgUnit]:
    """The townships (depth 3) within or above the user's subtree, for the filter. One query."""
    paths = scope_paths(user, FILE_VIEW_ROLES)
    above = [ancestor_path_at(path, TOWNSHIP_DEPTH) for path in paths]
    query = subtree_q(*paths) | Q(path__in=above) if paths else Q(pk__in=[])
    return OrgUnit.objects.filter(query, depth=TOWNSHIP_DEPTH).order_by("path")


def file_history(*, file: HardshipFile) -> QuerySet:
    """The audit rows of the file, oldest first (the page names the actions in words)."""
    from union_portal.models import AuditLog

    return (
        AuditLog.objects.filter(object_type=HardshipFile._meta.label_lower, object_id=str(file.pk))
        .exclude(action="assistance.file_reveal")
        .order_by("at", "pk")
    )


def file_of_user(*, user) -> HardshipFile | None:
    """The worker's own file: the open one, else the latest closed one (None when they have none)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        HardshipFile.objects.filter(member__user=user)
        .select_related("org")
        .order_by(F("closed_on").desc(nulls_first=True), "-opened_on", "-pk")
        .first()
    )


def files_due_for_reminder(*, today: dt.date) -> QuerySet[HardshipFile]:
    """Open files whose validity ends within the widest possible reminder period and that were not reminded for
    this validity yet; the task checks each file's own rule (review_reminder_days)."""
    latest = today + dt.timedelta(days=120)  # the rules allow up to 120 days
    return (
        HardshipFile.objects.filter(status=FileStatus.OPEN, valid_until__lte=latest)
        .filter(Q(reminded_for__isnull=True) | ~Q(reminded_for=F("valid_until")))
        .select_related("member", "member__user", "org")
        .order_by("pk")
    )


def open_files_for_sweep() -> QuerySet[HardshipFile]:
    """Open files not yet flagged, with their member id and union path (the sweep reads the roll for them)."""
    return HardshipFile.objects.filter(status=FileStatus.OPEN, attention="").select_related("org").order_by("pk")


# --- statistics -----------------------------------------------------------------------------------------------

INCOME_BANDS = (
    ("under_line", Decimal("0"), Decimal("1")),
    ("under_relative", Decimal("1"), Decimal("1.5")),
    ("above_relative", Decimal("1.5"), None),
)


def _stats_scope(user) -> QuerySet[HardshipFile]:
    return scope(HardshipFile.objects.all(), user, roles=FILE_STATS_ROLES, include_owner=False)


def file_statistics(*, user, year: int) -> dict[str, Any]:
    """The figures of the statistics page for the user's subtree: open files by township and category, files
    opened and closed in ``year`` (closed by reason), and per-capita income against the minimum living standard line recorded on
    each open file (average, and counts in bands of income ÷ line). Four grouped queries and one for the
    townships' names, whatever the number of files."""
    qs = _stats_scope(user)
    open_qs = qs.filter(status=FileStatus.OPEN)
    by_org = list(open_qs.values("category", path=F("org__path")).annotate(n=Count("id")).order_by())
    townships: dict[str, dict[str, Any]] = {}
    for row in by_org:
        key = ancestor_path_at(row["path"], TOWNSHIP_DEPTH)
        entry = townships.setdefault(key, {"path": key, "counts": {}, "total": 0})
        entry["counts"][row["category"]] = entry["counts"].get(row["category"], 0) + row["n"]
        entry["total"] += row["n"]
    names = dict(OrgUnit.objects.filter(path__in=list(townships)).values_list("path", "name"))
    rows = sorted(townships.values(), key=lambda e: e["path"])
    for entry in rows:
        entry["name"] = names.get(entry["path"], "")
    year_start, year_end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    counts = qs.aggregate(
        opened=Count("id", filter=Q(opened_on__range=(year_start, year_end))),
        closed=Count("id", filter=Q(closed_on__range=(year_start, year_end))),
    )
    closed_by_reason = dict(
        qs.filter(closed_on__range=(year_start, year_end))
        .values_list("close_reason")
        .annotate(n=Count("id"))
        .order_by()
    )
    band_filters = {
        key: Q(per_capita_income__gte=F("poverty_line") * low)
        & (Q(per_capita_income__lt=F("poverty_line") * high) if high is not None else Q())
        for key, low, high in INCOME_BANDS
    }
    income = open_qs.aggregate(
        average=Avg("per_capita_income"),
        line=Avg("poverty_line"),
        n=Count("id"),
        **{key: Count("id", filter=condition) for key, condition in band_filters.items()},
    )
    by_category: dict[str, int] = {}
    for row in by_org:
        by_category[row["category"]] = by_category.get(row["category"], 0) + row["n"]
    return {
        "townships": rows,
        "by_category": by_category,
        "open_total": sum(by_category.values()),
        "opened": counts["opened"],
        "closed": counts["closed"],
        "closed_by_reason": closed_by_reason,
        "average_income": round_fen(income["average"]) if income["average"] is not None else None,
        "average_line": round_fen(income["line"]) if income["line"] is not None else None,
        "bands": {key: income[key] for key, _low, _high in INCOME_BANDS},
    }


# --- grouped reads for the dashboard (rows carry ``path``; the dashboard rolls them up the tree) ---------------


def open_file_counts_by_org(*, on: dt.date) -> QuerySet:
    """Files open on ``on`` per union and category: rows ``path``, ``key`` (category), ``n``."""
    qs = HardshipFile.objects.filter(opened_on__lte=on).filter(Q(closed_on__isnull=True) | Q(closed_on__gt=on))
    return qs.values(key=F("category"), path=F("org__path")).annotate(n=Count("id")).order_by()


def opened_file_counts_by_org(*, year: int) -> QuerySet:
    """Files opened in ``year`` per union: rows ``path``, ``n``."""
    qs = HardshipFile.objects.filter(opened_on__year=year)
    return qs.values(path=F("org__path")).annotate(n=Count("id")).order_by()


def closed_file_counts_by_org(*, year: int) -> QuerySet:
    """Files closed in ``year`` per union and reason: rows ``path``, ``key`` (reason), ``n``."""
    qs = HardshipFile.objects.filter(closed_on__year=year)
    return qs.values(key=F("close_reason"), path=F("org__path")).annotate(n=Count("id")).order_by()


def open_file_income_by_org(*, on: dt.date) -> QuerySet:
    """Per-capita income and the minimum living standard line summed over the files open on ``on``, per union: rows ``path``,
    ``income``, ``line``, ``n``."""
    from django.db.models import Sum

    qs = HardshipFile.objects.filter(opened_on__lte=on).filter(Q(closed_on__isnull=True) | Q(closed_on__gt=on))
    return (
        qs.values(path=F("org__path"))
        .annotate(income=Sum("per_capita_income"), line=Sum("poverty_line"), n=Count("id"))
        .order_by()
    )

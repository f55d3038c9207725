"""Reads of collective contracts, bargaining rounds and officers: the staff lists (scoped), the valid contracts
of enterprises (read by the ratings part), the reminders' queries and the dashboard's grouped figures."""

import datetime as dt

from django.db.models import Count, F, Q, QuerySet, Sum

from members.models import Enterprise
from union_portal.scoping import scope

from ..deadlines import DEFAULTS, Rule
from ..models import BargainingOfficer, BargainingRound, CollectiveContract, DeadlineKey, DeadlineRule
from ..permissions.contracts import STAFF_ROLES

Status = CollectiveContract.Status
CONTRACT_STATUS_LABELS = dict(CollectiveContract.Status.choices)


def contract_list(*, user, status: str = "", kind: str = "") -> QuerySet[CollectiveContract]:
    qs = scope(CollectiveContract.objects.select_related("org", "enterprise"), user, roles=STAFF_ROLES)
    if status in Status.values:
        qs = qs.filter(status=status)
    if kind in CollectiveContract.Kind.values:
        qs = qs.filter(kind=kind)
    return qs


def round_list(*, user, open_only: bool = False) -> QuerySet[BargainingRound]:
    qs = scope(BargainingRound.objects.select_related("org", "enterprise"), user, roles=STAFF_ROLES)
    if open_only:
        qs = qs.exclude(status__in=[BargainingRound.Status.SIGNED, BargainingRound.Status.FAILED])
    return qs


def officer_list(*, user) -> QuerySet[BargainingOfficer]:
    return scope(
        BargainingOfficer.objects.select_related("org").annotate(firms=Count("enterprises")), user, roles=STAFF_ROLES
    )


def enterprise_choices(*, user, org=None) -> QuerySet[Enterprise]:
    """Enterprises a user may pick for a contract, round or officer: those whose union or township lies in the
    user's staff subtree (a handler sees his union's firm, which lies under a township above him)."""
    from union_portal.scoping import scope_paths
    from union_portal.tree import subtree_q

    paths = scope_paths(user, STAFF_ROLES)
    qs = Enterprise.objects.filter(subtree_q(*paths, field="union") | subtree_q(*paths, field="township"))
    return qs.select_related("township", "union").order_by("name")


def deadline_rules() -> list[tuple[str, str, Rule, bool]]:
    """(key, label, the rule in force, whether it is the shipped default) for every deadline."""
    rows = {row.key: row for row in DeadlineRule.objects.all()}
    out = []
    for key, label in DeadlineKey.choices:
        row = rows.get(key)
        rule = Rule(row.length, row.unit, row.first_day_counts) if row else DEFAULTS[key]
        out.append((key, label, rule, row is None))
    return out


def _valid_q(on: dt.date, prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}status": Status.EFFECTIVE,
            f"{prefix}starts_on__lte": on,
            f"{prefix}ends_on__gte": on,
        }
    )


def enterprises_with_valid_contract(*, enterprise_ids, on: dt.date, kind: str | None = None) -> set[int]:
    """The ids among ``enterprise_ids`` covered on ``on`` by a contract in force (filed without objection,
    within its term), optionally of one ``kind``. One query."""
    contracts = CollectiveContract.objects.filter(_valid_q(on))
    if kind:
        contracts = contracts.filter(kind=kind)
    through = CollectiveContract.covered.through
    return set(
        through.objects.filter(enterprise_id__in=list(enterprise_ids), collectivecontract__in=contracts)
        .values_list("enterprise_id", flat=True)
        .distinct()
    )


# --- reminders -----------------------------------------------------------------------------------------


def contracts_due_for_renewal(*, today: dt.date, window_days: int) -> QuerySet[CollectiveContract]:
    return CollectiveContract.objects.filter(
        status=Status.EFFECTIVE, ends_on__gte=today, ends_on__lte=today + dt.timedelta(days=window_days)
    ).select_related("org")


def contracts_to_file(*, today: dt.date, warn_days: int = 3) -> QuerySet[CollectiveContract]:
    """Signed, not filed, and the filing deadline within ``warn_days`` or past."""
    return CollectiveContract.objects.filter(
        status=Status.SIGNED, filing_due__lte=today + dt.timedelta(days=warn_days)
    ).select_related("org")


def contracts_in_objection_window(*, today: dt.date) -> QuerySet[CollectiveContract]:
    return CollectiveContract.objects.filter(status=Status.FILED, objection_ends__gte=today).select_related("org")


def unionised_without_wage_contract(*, year: int, on: dt.date) -> QuerySet[Enterprise]:
    """Unionised enterprises with no wage-specific contract in force on ``on`` nor signed in ``year``."""
    through = CollectiveContract.covered.through
    covered = through.objects.filter(
        Q(collectivecontract__in=CollectiveContract.objects.filter(_valid_q(on)))
        | Q(collectivecontract__signed_on__year=year),
        collectivecontract__kind=CollectiveContract.Kind.WAGE,
    ).values("enterprise_id")
    return (
        Enterprise.objects.filter(union__isnull=False)
        .exclude(pk__in=covered)
        .select_related("township", "union")
        .order_by("township_id", "name")
    )


# --- dashboard (grouped, one query each; rows carry ``path``) ----------------------------------------------


def unionised_enterprise_counts_by_township() -> QuerySet:
    return (
        Enterprise.objects.filter(union__isnull=False)
        .values(path=F("township__path"))
        .annotate(n=Count("pk"))
        .order_by()
    )


def covered_enterprise_counts_by_township(*, on: dt.date, kind: str | None = None) -> QuerySet:
    """Unionised enterprises covered on ``on`` by a valid contract (of ``kind``), by the enterprise's
    township: each enterprise once, however many contracts cover it."""
    contracts = CollectiveContract.objects.filter(_valid_q(on))
    if kind:
        contracts = contracts.filter(kind=kind)
    through = CollectiveContract.covered.through
    covered_ids = through.objects.filter(collectivecontract__in=contracts).values("enterprise_id")
    return (
        Enterprise.objects.filter(union__isnull=False, pk__in=covered_ids)
        .values(path=F("township__path"))
        .annotate(n=Count("pk"))
        .order_by()
    )


def workers_covered_by_org(*, on: dt.date) -> QuerySet:
    return (
        CollectiveContract.objects.filter(_valid_q(on))
        .values(path=F("org__path"))
        .annotate(n=Sum("workers_covered"))
        .order_by()
    )


def expiring_contract_counts_by_org(*, on: dt.date, days: int = 90) -> QuerySet:
    return (
        CollectiveContract.objects.filter(_valid_q(on), ends_on__lte=on + dt.timedelta(days=days))
        .values(path=F("org__path"))
        .annotate(n=Count("pk"))
        .order_by()
    )

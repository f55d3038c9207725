"""Reads of the harmonious-enterprise ratings: batches, self-assessments in the user's area, the facts the
portal knows about an enterprise (read from the skeleton fields of contracts, congress sessions and rights
cases), the honour list, and ``rated_enterprises`` for other apps (awards)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from members.models import Enterprise
from union_portal.scoping import scope

from ..models import (
    CollectiveContract,
    CongressSession,
    ContractStatus,
    RatingApplication,
    RatingBatch,
    RatingStatus,
    RightsCase,
)
from ..permissions.ratings import STAFF_ROLES
from ..rules_ratings import SERIOUS_OUTCOMES

# A title is held from naming to the end of its term, unless withdrawn earlier (or ended by a re-rating).
TITLE_STATUSES = (RatingStatus.NAMED, RatingStatus.WITHDRAWN, RatingStatus.EXPIRED)


@dataclass(frozen=True)
class Facts:
    has_collective_contract: bool
    congress_held: bool
    serious_dispute: bool


def enterprise_facts(*, enterprise: Enterprise, start: dt.date, end: dt.date) -> Facts:
    """What the portal's own records say about ``enterprise`` in ``start``..``end`` (three queries)."""
    contract = (
        CollectiveContract.objects.filter(Q(enterprise=enterprise) | Q(covered=enterprise))
        .filter(status__in=[ContractStatus.EFFECTIVE, ContractStatus.FILED])
        .filter(Q(starts_on__isnull=True) | Q(starts_on__lte=end))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
        .exists()
    )
    congress = CongressSession.objects.filter(enterprise=enterprise, held_on__range=(start, end)).exists()
    return Facts(
        has_collective_contract=contract,
        congress_held=congress,
        serious_dispute=serious_cases(enterprise=enterprise, start=start, end=end).exists(),
    )


def serious_cases(*, enterprise: Enterprise, start: dt.date, end: dt.date) -> QuerySet[RightsCase]:
    """Rights cases against ``enterprise`` received in the period that count as a serious dispute
    (``rules_ratings.is_serious_dispute``)."""
    return RightsCase.objects.filter(enterprise=enterprise, received_on__range=(start, end)).filter(
        Q(is_group=True) | Q(outcome__in=SERIOUS_OUTCOMES)
    )


def batch_list(*, user) -> QuerySet[RatingBatch]:
    """Batches run by a unit at or above the user's nodes (a township sees the district's batches)."""
    from union_portal.scoping import scope_paths
    from union_portal.tree import ancestor_paths

    paths: set[str] = set()
    for path in scope_paths(user, STAFF_ROLES):
        paths.update(ancestor_paths(path, include_self=True))
    return RatingBatch.objects.filter(org__path__in=paths).select_related("org").order_by("-period_end", "-id")


def batch_get(*, user, pk: int) -> RatingBatch:
    from django.http import Http404

    batch = batch_list(user=user).filter(pk=pk).first()
    if batch is None:
        raise Http404
    return batch


def application_list(
    *, user, batch: RatingBatch | None = None, status: str | None = None
) -> QuerySet[RatingApplication]:
    qs = scope(RatingApplication.objects.all(), user, roles=STAFF_ROLES).select_related("batch", "enterprise", "org")
    if batch is not None:
        qs = qs.filter(batch=batch)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def title_current_q(*, on: dt.date, prefix: str = "") -> Q:
    """Applications whose title is held on ``on``."""
    p = prefix
    return (
        Q(**{f"{p}status__in": TITLE_STATUSES})
        & Q(**{f"{p}named_on__lte": on})
        & Q(**{f"{p}term_ends_on__gte": on})
        & (Q(**{f"{p}withdrawn_on__isnull": True}) | Q(**{f"{p}withdrawn_on__gt": on}))
    )


def titles_held(*, on: dt.date) -> QuerySet[RatingApplication]:
    return RatingApplication.objects.filter(title_current_q(on=on))


def rated_enterprises(*, on: dt.date) -> QuerySet[Enterprise]:
    """Enterprises holding a harmonious labour-relations title on ``on`` (for awards and the dashboard)."""
    return Enterprise.objects.filter(pk__in=titles_held(on=on).values("enterprise_id")).order_by("name")


def current_title(*, enterprise: Enterprise, on: dt.date) -> RatingApplication | None:
    return titles_held(on=on).filter(enterprise=enterprise).order_by("-named_on", "-id").first()


def honour_list(*, on: dt.date) -> QuerySet[RatingApplication]:
    """The public honour list: titles held on ``on``, newest batch first."""
    return (
        titles_held(on=on)
        .select_related("batch", "enterprise", "enterprise__township")
        .order_by("-batch__period_end", "batch_id", "enterprise__name")
    )


def titles_ending(*, on: dt.date, within_days: int) -> QuerySet[RatingApplication]:
    """Titles held on ``on`` whose term ends within ``within_days``: due for re-rating."""
    return titles_held(on=on).filter(term_ends_on__lte=on + dt.timedelta(days=within_days))

"""Row locks of awards. A submission locks the quota row, then the nomination: of two handlers submitting
a union's last place, the second waits and then sees the place taken. Nominations of a round are locked in
primary-key order."""

from union_portal.models import OrgUnit

from .models import AwardType, Nomination, Quota, Round


def round_for_update(pk: int) -> Round:
    return Round.objects.select_for_update().get(pk=pk)


def round_with_notice_for_update(pk: int) -> Round:
    """The round, locked (its own row only), with its public notice."""
    return Round.objects.select_for_update(of=("self",)).select_related("notice").get(pk=pk)


def quota_for_update(pk: int) -> Quota:
    return Quota.objects.select_for_update().get(pk=pk)


def quota_of_union_for_update(*, award_type: AwardType, union: OrgUnit) -> Quota | None:
    """The quota of ``award_type`` for ``union``, locked, or None when there is none yet."""
    return Quota.objects.select_for_update().filter(award_type=award_type, union=union).order_by("pk").first()


def nomination_for_update(pk: int, *related: str) -> Nomination:
    """The nomination, locked, with ``related`` joined (and locked with it)."""
    qs = Nomination.objects.select_for_update()
    if related:
        qs = qs.select_related(*related)
    return qs.get(pk=pk)


def nominations_for_update(qs) -> list[Nomination]:
    """The nominations of ``qs``, locked in primary-key order."""
    return list(qs.select_for_update().order_by("pk"))

"""Every read of the members app that a view or API needs."""

import datetime as dt

from django.db.models import QuerySet

from union_portal.scoping import get_in_scope_or_404, scope

from .models import Member, MemberEvent, OrgUnit


def org_unit_list(*, user, root: OrgUnit | None = None, kind: str = "", search: str = "") -> QuerySet[OrgUnit]:
    qs = scope(OrgUnit.objects.all(), user)
    if root is not None:
        qs = qs.filter(path__startswith=root.path)
    if kind:
        qs = qs.filter(kind=kind)
    if search:
        qs = qs.filter(name__icontains=search) | qs.filter(code__iexact=search)
    return qs.order_by("path")


def org_unit_get(*, user, pk: int) -> OrgUnit:
    return get_in_scope_or_404(OrgUnit.objects.all(), user, pk=pk)


def org_unit_children(*, node: OrgUnit) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(path__startswith=node.path, depth=node.depth + 1).order_by("path")


def org_unit_ancestors(*, node: OrgUnit) -> list[OrgUnit]:
    steplen = OrgUnit.steplen
    paths = [node.path[: i * steplen] for i in range(1, node.depth)]
    return list(OrgUnit.objects.filter(path__in=paths).order_by("depth"))


def member_status_on(*, member: Member, on: dt.date) -> str | None:
    """The member's status on a past date (None: not yet a member then). Reads the membership events; a
    member with no events is taken to have held their current status since ``joined_on``."""
    if on < member.joined_on:
        return None
    event = (
        MemberEvent.objects.filter(member=member, effective_on__lte=on)
        .exclude(to_status="")
        .order_by("-effective_on", "-id")
        .first()
    )
    if event is not None:
        return event.to_status
    later = (
        MemberEvent.objects.filter(member=member, effective_on__gt=on)
        .exclude(from_status="")
        .order_by("effective_on", "id")
        .first()
    )
    return later.from_status if later is not None else member.status

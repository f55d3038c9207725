"""Every read of the members app that a view or API needs."""

from django.db.models import QuerySet

from union_portal.scoping import get_in_scope_or_404, scope

from .models import OrgUnit


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

"""The union tree (city → district → township/industry/regional → grassroots → group) and its moves: the
core's, because scoping (union_portal.scoping) and roles (RoleAssignment.node) rest on it. The pages that edit
the tree live in members."""

from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import F, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node


class OrgUnit(MP_Node):
    """A node of the union organisation tree (city → district → township/industry/regional → grassroots →
    group). ``path`` is a materialised path: a subtree is ``path LIKE '<path>%'``, one indexed query at any
    depth (Django adds a varchar_pattern_ops index for the unique path on PostgreSQL)."""

    class Kind(models.TextChoices):
        CITY = "city", _("City federation")
        DISTRICT = "district", _("District federation")
        TOWNSHIP = "township", _("Township/street union")
        INDUSTRY = "industry", _("Industry union")
        REGIONAL = "regional", _("Regional joint union")
        GRASSROOTS = "grassroots", _("Grassroots union")
        GROUP = "group", _("Union group")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        DISSOLVED = "dissolved", _("Dissolved")

    # Which kinds may sit under which: the hierarchy of DOMAIN.md.
    ALLOWED_CHILDREN = {
        Kind.CITY: {Kind.DISTRICT},
        Kind.DISTRICT: {Kind.TOWNSHIP, Kind.INDUSTRY, Kind.REGIONAL, Kind.GRASSROOTS},
        Kind.TOWNSHIP: {Kind.GRASSROOTS, Kind.REGIONAL},
        Kind.INDUSTRY: {Kind.GRASSROOTS},
        Kind.REGIONAL: {Kind.GRASSROOTS},
        Kind.GRASSROOTS: {Kind.GROUP},
        Kind.GROUP: set(),
    }

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    node_order_by = ["code"]

    # Scoping (union_portal.scoping): an org unit's own path decides who sees it.
    SCOPE_ORG = ""

    class Meta:
        ordering = ["path"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("members:org_detail", args=[self.pk])

    @property
    def is_grassroots(self) -> bool:
        return self.kind == self.Kind.GRASSROOTS


class OrgUnitMove(models.Model):
    """A node was moved under another parent: who, when, from where, why."""

    node = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="moves")
    from_parent = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", null=True)
    to_parent = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    moved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    moved_at = models.DateTimeField(auto_now_add=True)

    SCOPE_ORG = "node"

    class Meta:
        ordering = ["-moved_at"]
        verbose_name = _("organisation move")
        verbose_name_plural = _("organisation moves")

    def __str__(self) -> str:
        return f"{self.node} → {self.to_parent}"


# --- walking the tree ------------------------------------------------------------------------------------
# The one place that knows how the materialised path encodes the tree. Every function says whether the node
# itself counts (``include_self``); none guesses.

NodeOrPath = OrgUnit | str


def _path(node: NodeOrPath) -> str:
    return node if isinstance(node, str) else node.path


def ancestor_paths(node: NodeOrPath, *, include_self: bool) -> list[str]:
    """Paths of the ancestors of ``node`` (an OrgUnit or its path), the root first; ``node``'s own path last
    when ``include_self``. No query."""
    path, steplen = _path(node), OrgUnit.steplen
    levels = len(path) // steplen
    return [path[: depth * steplen] for depth in range(1, levels + 1 if include_self else levels)]


def ancestor_path_at(node: NodeOrPath, depth: int) -> str:
    """The path of ``node``'s ancestor at ``depth`` (1: the root); ``node``'s own path at its own depth."""
    return _path(node)[: depth * OrgUnit.steplen]


def parent_path(node: NodeOrPath) -> str:
    """The path of ``node``'s parent ("" for a root)."""
    return _path(node)[: -OrgUnit.steplen]


def parent(node: OrgUnit) -> OrgUnit | None:
    """``node``'s parent (None for a root). One query."""
    if node.depth <= 1:
        return None
    return OrgUnit.objects.get(path=parent_path(node))


def ancestors(node: NodeOrPath, *, include_self: bool) -> QuerySet[OrgUnit]:
    """The ancestors of ``node``, the root first (``node`` last when ``include_self``). One query."""
    return OrgUnit.objects.filter(path__in=ancestor_paths(node, include_self=include_self)).order_by("depth")


def ancestors_of_pk(pk: int, *, include_self: bool) -> QuerySet[OrgUnit]:
    """The ancestors of the unit with primary key ``pk``, the root first (that unit last when
    ``include_self``), when only its key is at hand. One query; empty when there is no such unit."""
    target = OrgUnit.objects.filter(pk=pk).values("path")[:1]
    qs = OrgUnit.objects.annotate(target_path=Subquery(target)).filter(target_path__startswith=F("path"))
    if not include_self:
        qs = qs.exclude(pk=pk)
    return qs.order_by("depth")


def nearest_ancestor(node: NodeOrPath, queryset: QuerySet, *, include_self: bool, field: str = ""):
    """The row of ``queryset`` whose unit (``field``: the lookup to its OrgUnit, "" when ``queryset`` holds
    OrgUnits) is the nearest ancestor of ``node`` (``node`` itself first when ``include_self``); None when no
    row is above it. One query."""
    prefix = f"{field}__" if field else ""
    paths = ancestor_paths(node, include_self=include_self)
    return queryset.filter(**{f"{prefix}path__in": paths}).order_by(f"-{prefix}depth").first()


def nearest_common_ancestor(a: NodeOrPath, b: NodeOrPath, *, kinds: Iterable[str] | None = None) -> OrgUnit | None:
    """The deepest unit above (or equal to) both ``a`` and ``b``, of one of ``kinds`` when given; None when
    there is none. One query."""
    common = set(ancestor_paths(a, include_self=True)) & set(ancestor_paths(b, include_self=True))
    qs = OrgUnit.objects.filter(path__in=common)
    if kinds is not None:
        qs = qs.filter(kind__in=list(kinds))
    return qs.order_by("-depth").first()


def is_within(node: NodeOrPath, root: NodeOrPath, *, include_self: bool = True) -> bool:
    """True when ``node`` lies in the subtree of ``root`` (``root`` itself counting when ``include_self``).
    No query."""
    path, root_path = _path(node), _path(root)
    return path.startswith(root_path) and (include_self or path != root_path)


def subtree_q(*roots: NodeOrPath, field: str = "") -> Q:
    """Q matching rows whose unit (``field``: the lookup to its OrgUnit, "" for OrgUnits themselves) lies in
    the subtree of one of ``roots``, the roots included; ``Q(pk__in=[])`` when there is no root."""
    lookup = f"{field}__path__startswith" if field else "path__startswith"
    if len(roots) == 1:
        return Q(**{lookup: _path(roots[0])})
    query = Q(pk__in=[])
    for root in roots:
        query |= Q(**{lookup: _path(root)})
    return query


def subtree_path_q(*roots: NodeOrPath, field: str) -> Q:
    """Q matching rows whose denormalised unit path (``field``, a copy of OrgUnit.path on the row, such as
    Member.org_path) lies in the subtree of one of ``roots``, the roots included; ``Q(pk__in=[])`` when
    there is no root. Written as a range (``path <= field <= path + 'ZZ…'``: treebeard's alphabet is 0-9A-Z,
    so the range holds exactly the paths that start with ``path``) because a plain B-tree index serves a
    range in any collation, and serves the ordering by ``field`` too, where LIKE 'path%' needs a pattern
    index that cannot order rows."""
    top = OrgUnit.alphabet[-1]
    query = Q(pk__in=[])
    for root in roots:
        path = _path(root)
        query |= Q(**{f"{field}__gte": path, f"{field}__lte": path.ljust(OrgUnit.path.field.max_length, top)})
    return query


def lineage_q(node: NodeOrPath, *, field: str = "") -> Q:
    """Q matching rows whose unit is ``node``, one of its ancestors, or lies in its subtree (what is run from
    above a node or done below it)."""
    prefix = f"{field}__" if field else ""
    return subtree_q(node, field=field) | Q(**{f"{prefix}path__in": ancestor_paths(node, include_self=True)})


def children_q(node: OrgUnit, *, field: str = "") -> Q:
    """Q matching rows whose unit (``field`` as in ``subtree_q``) lies one level below ``node``."""
    prefix = f"{field}__" if field else ""
    return subtree_q(node, field=field) & Q(**{f"{prefix}depth": node.depth + 1})


def children(node: OrgUnit) -> QuerySet[OrgUnit]:
    """The units one level below ``node``, by path."""
    return OrgUnit.objects.filter(children_q(node)).order_by("path")

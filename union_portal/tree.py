"""The union tree (city → district → township/industry/regional → grassroots → group) and its moves: the
core's, because scoping (union_portal.scoping) and roles (RoleAssignment.node) rest on it. The pages that edit
the tree live in members."""

from django.conf import settings
from django.db import models
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

"""The union tree's nodes: create, rename or change status, move under another parent."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from union_portal import tree
from union_portal.audit import audit_record
from union_portal.models import OrgUnit, OrgUnitMove, User

from ..permissions import can_manage_org


def _check_kind(parent: OrgUnit | None, kind: str) -> None:
    if parent is None:
        if kind != OrgUnit.Kind.CITY:
            raise ValidationError({"kind": _("Only a city federation can be a root of the tree.")})
        return
    allowed = OrgUnit.ALLOWED_CHILDREN[OrgUnit.Kind(parent.kind)]
    if kind not in allowed:
        raise ValidationError(
            {
                "kind": _("A %(child)s cannot be placed under a %(parent)s.")
                % {"child": OrgUnit.Kind(kind).label, "parent": OrgUnit.Kind(parent.kind).label}
            }
        )


@transaction.atomic
def org_unit_create(*, by: User | None, parent: OrgUnit | None, code: str, name: str, kind: str) -> OrgUnit:
    """Create a node under ``parent`` (a root when None: setup only). ``by`` must manage ``parent``."""
    if parent is not None and by is not None and not can_manage_org(by, parent):
        raise PermissionDenied
    _check_kind(parent, kind)
    code = code.strip()
    if OrgUnit.objects.filter(code=code).exists():
        raise ValidationError({"code": _("An organisation with this code already exists.")})
    fields = {"code": code, "name": name.strip(), "kind": kind}
    if parent is None:
        node = OrgUnit.objects.add_root(fields)
    else:
        node = OrgUnit.objects.add_child(parent, fields)
    audit_record(actor=by, action="org.create", obj=node, detail={"parent": parent.code if parent else None})
    return node


@transaction.atomic
def org_unit_update(*, by: User, node: OrgUnit, name: str, status: str) -> OrgUnit:
    if not can_manage_org(by, node):
        raise PermissionDenied
    before = {"name": node.name, "status": node.status}
    node.name = name.strip()
    node.status = status
    node.save(update_fields=["name", "status", "updated_at"])
    audit_record(actor=by, action="org.update", obj=node, detail={"before": before})
    return node


@transaction.atomic
def org_unit_move(*, by: User, node: OrgUnit, new_parent: OrgUnit, reason: str = "") -> OrgUnit:
    """Move ``node`` (with its subtree) under ``new_parent`` and record the move.

    The user must manage both the node and the new parent; a node cannot move into its own subtree."""
    node.refresh_from_db()
    new_parent.refresh_from_db()
    if not (can_manage_org(by, node) and can_manage_org(by, new_parent)):
        raise PermissionDenied
    if tree.is_within(new_parent, node):
        raise ValidationError({"new_parent": _("A unit cannot be moved under itself or one of its own units.")})
    _check_kind(new_parent, node.kind)
    old_parent = OrgUnit.objects.get_parent(node)
    if old_parent is not None and old_parent.pk == new_parent.pk:
        raise ValidationError({"new_parent": _("The unit is already under this parent.")})
    OrgUnit.objects.move(node, new_parent, "sorted-child")
    node.refresh_from_db()
    OrgUnitMove.objects.create(node=node, from_parent=old_parent, to_parent=new_parent, reason=reason, moved_by=by)
    audit_record(
        actor=by,
        action="org.move",
        obj=node,
        detail={"from": old_parent.code if old_parent else None, "to": new_parent.code, "reason": reason},
    )
    return node

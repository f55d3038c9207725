"""Enterprises on the roll: created and edited by the unions over them."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from union_portal import identity
from union_portal.audit import audit_record
from union_portal.models import OrgUnit, User

from ..models import Enterprise
from ..permissions import can_manage_enterprises

ENTERPRISE_FIELDS = ("name", "uscc", "industry", "employee_count", "address", "contact_name", "contact_phone")


def _enterprise_clean(*, uscc: str, name: str, pk: int | None = None) -> str:
    try:
        code = identity.validate_uscc(uscc)
    except ValidationError as exc:
        raise ValidationError({"uscc": exc.messages}) from None
    duplicates = Enterprise.objects.filter(uscc=code)
    if pk is not None:
        duplicates = duplicates.exclude(pk=pk)
    if duplicates.exists():
        raise ValidationError({"uscc": _("An enterprise with this unified social credit code is already registered.")})
    if not name.strip():
        raise ValidationError({"name": _("Enter the enterprise's name.")})
    return code


@transaction.atomic
def enterprise_create(
    *,
    by: User,
    township: OrgUnit,
    name: str,
    uscc: str,
    industry: str = "",
    employee_count: int = 0,
    address: str = "",
    contact_name: str = "",
    contact_phone: str = "",
) -> Enterprise:
    """Register an enterprise in ``township`` (a township union the user manages)."""
    if township.kind != OrgUnit.Kind.TOWNSHIP:
        raise ValidationError({"township": _("Choose a township or street union.")})
    if not can_manage_enterprises(by, township):
        raise PermissionDenied
    code = _enterprise_clean(uscc=uscc, name=name)
    enterprise = Enterprise.objects.create(
        township=township,
        name=name.strip(),
        uscc=code,
        industry=industry.strip(),
        employee_count=employee_count,
        address=address.strip(),
        contact_name=contact_name.strip(),
        contact_phone=contact_phone.strip(),
    )
    audit_record(actor=by, action="enterprise.create", obj=enterprise, detail={"uscc": code})
    return enterprise


@transaction.atomic
def enterprise_update(*, by: User, enterprise: Enterprise, **fields) -> Enterprise:
    if not can_manage_enterprises(by, enterprise.township):
        raise PermissionDenied
    fields["uscc"] = _enterprise_clean(
        uscc=fields.get("uscc", enterprise.uscc), name=fields.get("name", enterprise.name), pk=enterprise.pk
    )
    before = {f: getattr(enterprise, f) for f in ENTERPRISE_FIELDS}
    for field in ENTERPRISE_FIELDS:
        if field in fields:
            value = fields[field]
            setattr(enterprise, field, value.strip() if isinstance(value, str) else value)
    enterprise.save()
    changed = {f: [before[f], getattr(enterprise, f)] for f in ENTERPRISE_FIELDS if before[f] != getattr(enterprise, f)}
    audit_record(actor=by, action="enterprise.update", obj=enterprise, detail={"changes": changed})
    return enterprise

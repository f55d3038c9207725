"""The one way to write the audit log. Every service that changes state calls audit_record."""

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict

from django.db import models

from .crypto import mask_personal_data
from .middleware import current_client_ip
from .models import AuditLog

if TYPE_CHECKING:
    from typing_extensions import Unpack


class AuditRow(TypedDict):
    """What one audit row says: who (``actor``: a user, or None for the system), did what (``action``, a
    dotted verb such as ``member.create`` or ``claim.approve``) to which object (``obj``, or ``object_type``/
    ``object_id``/``object_repr`` for one that is not a model instance), with what result and details, from
    where (``ip``: default the current request's)."""

    actor: Any
    action: str
    obj: NotRequired[models.Model | None]
    result: NotRequired[str]
    detail: NotRequired[dict[str, Any] | None]
    ip: NotRequired[str | None]
    object_type: NotRequired[str | None]
    object_id: NotRequired[Any]
    object_repr: NotRequired[str | None]


def audit_row(**row: "Unpack[AuditRow]") -> AuditLog:
    """One audit row, unsaved, built as ``audit_record`` writes it. Mobiles, ID numbers and bank accounts
    in ``detail`` (a search term, a query string of an export) are masked: the log is append-only, so
    what is written there stays for good (issue 14 M10)."""
    actor, obj = row["actor"], row.get("obj")
    object_type, object_id, object_repr = row.get("object_type"), row.get("object_id"), row.get("object_repr")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
        object_repr = str(obj) if object_repr is None else object_repr
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditLog(
        actor=actor if is_user else None,
        actor_name=(actor.get_username() if is_user else ""),
        action=row["action"],
        object_type=object_type or "",
        object_id="" if object_id is None else str(object_id),
        object_repr=(object_repr or "")[:200],
        result=row.get("result", AuditLog.Result.OK),
        ip=row.get("ip") or current_client_ip(),
        detail=mask_personal_data(row.get("detail") or {}),
    )


def audit_record(**row: "Unpack[AuditRow]") -> AuditLog:
    """Append one audit row (see ``AuditRow`` for what it says).

    Runs inside the caller's transaction, so a rolled-back change leaves no audit row claiming success.
    """
    entry = audit_row(**row)
    entry.save(force_insert=True)
    return entry


def audit_record_many(rows: Iterable[AuditRow]) -> list[AuditLog]:
    """Append one audit row per item of ``rows`` (each what ``audit_record`` takes), in one INSERT: the bulk
    form for batch work. Runs inside the caller's transaction, like ``audit_record``."""
    return AuditLog.objects.bulk_create([audit_row(**row) for row in rows])

"""The one way to write the audit log. Every service that changes state calls audit_record."""

from collections.abc import Iterable
from typing import Any

from django.db import models

from .middleware import current_client_ip
from .models import AuditLog


def audit_row(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    result: str = AuditLog.Result.OK,
    detail: dict[str, Any] | None = None,
    ip: str | None = None,
    object_type: str | None = None,
    object_id: Any = None,
    object_repr: str | None = None,
) -> AuditLog:
    """One audit row, unsaved, built as ``audit_record`` writes it (the arguments are the same)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
        object_repr = str(obj) if object_repr is None else object_repr
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditLog(
        actor=actor if is_user else None,
        actor_name=(actor.get_username() if is_user else ""),
        action=action,
        object_type=object_type or "",
        object_id="" if object_id is None else str(object_id),
        object_repr=(object_repr or "")[:200],
        result=result,
        ip=ip or current_client_ip(),
        detail=detail or {},
    )


def audit_record(**row: Any) -> AuditLog:
    """Append one audit row (the arguments of ``audit_row``). ``action`` is a dotted verb such as
    ``member.create`` or ``claim.approve``.

    Runs inside the caller's transaction, so a rolled-back change leaves no audit row claiming success.
    """
    entry = audit_row(**row)
    entry.save(force_insert=True)
    return entry


def audit_record_many(rows: Iterable[dict[str, Any]]) -> list[AuditLog]:
    """Append one audit row per item of ``rows`` (each the keyword arguments of ``audit_record``), in one
    INSERT: the bulk form for batch work. Runs inside the caller's transaction, like ``audit_record``."""
    return AuditLog.objects.bulk_create([audit_row(**row) for row in rows])

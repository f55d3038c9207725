"""The roll: members created and edited, their status changed, their personal data revealed."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from union_portal import identity, tree
from union_portal.audit import audit_record
from union_portal.crypto import mask_account, mask_id_number, mask_phone
from union_portal.models import OrgUnit, User

from .. import locks
from ..models import Enterprise, Member, MemberEvent, MemberTransfer
from ..numbers import reserve_member_numbers
from ..permissions import can_keep_roll, can_reveal, may_export_full
from ._common import _check_grassroots, _clean_person

PERSONAL_FIELDS = {"id_number", "mobile", "bank_account"}

# How each personal field is shown masked: in the edit form, in place of the stored value.
PERSONAL_MASKS = {"id_number": mask_id_number, "mobile": mask_phone, "bank_account": mask_account}


def personal_masked(member: Member) -> dict[str, str]:
    """The member's personal fields masked, as the edit form shows them (never the full values)."""
    return {field: mask(getattr(member, field)) for field, mask in PERSONAL_MASKS.items()}


def _is_masked_echo(member: Member, field: str, value) -> bool:
    """``value`` is the masked form of the stored value sent back unchanged (an edit form shows only masked
    personal data): it means "keep", never "store these asterisks"."""
    return isinstance(value, str) and "*" in value and value.strip() == PERSONAL_MASKS[field](getattr(member, field))


EDITABLE_FIELDS = (
    "name",
    "id_number",
    "mobile",
    "bank_account",
    "bank_name",
    "email",
    "group",
    "enterprise",
    "job",
    "is_frontline",
    "is_migrant",
    "is_hardship",
    "is_enterprise_head",
    "is_technical",
    "joined_on",
    "monthly_wage",
)


def elsewhere_message() -> str:
    """What a handler is told of a person active in another union: nothing about that union or number."""
    return _("Already an active member elsewhere; a transfer is needed.")


def holding_membership(id_hash: str) -> Member | None:
    """The person's membership that is still held (active or retired), if any."""
    return (
        Member.objects.select_related("org").filter(id_number_hash=id_hash, status__in=Member.HOLDING_STATUSES).first()
    )


@transaction.atomic
def member_create(
    *,
    by: User | None,
    org: OrgUnit,
    name: str,
    id_number: str,
    mobile: str = "",
    joined_on: dt.date | None = None,
    user=None,
    reason: str = "",
    **extra,
) -> Member:
    """Add a person to the roll of ``org`` with a new member number. Refused when the person already holds
    a membership (then it is a transfer); the database constraint backs this up under concurrency."""
    if by is not None and not can_keep_roll(by, org):
        raise PermissionDenied
    _check_grassroots(org)
    id_number, mobile = _clean_person(id_number=id_number, mobile=mobile)
    if not name.strip():
        raise ValidationError({"name": _("Enter the name.")})
    joined_on = joined_on or timezone.localdate()
    if joined_on > timezone.localdate():
        raise ValidationError({"joined_on": _("The joining date cannot be in the future.")})
    id_hash = identity.id_number_hash(id_number)
    existing = holding_membership(id_hash)
    if existing is not None and existing.org_id == org.pk:
        raise ValidationError(
            {
                "id_number": _("Already a member of this union (member number %(number)s).")
                % {"number": existing.member_number}
            }
        )
    if existing is not None:
        # Neither the union nor the member number: a handler learns only that a transfer is needed (M9).
        raise ValidationError({"id_number": elsewhere_message()})
    extra = {k: v for k, v in extra.items() if k in EDITABLE_FIELDS}
    if extra.get("enterprise") is None and "enterprise" not in extra:
        extra["enterprise"] = Enterprise.objects.filter(union=org).first()
    member = Member(
        member_number=reserve_member_numbers(1, on=joined_on)[0],
        name=name.strip(),
        id_number=id_number,
        id_number_hash=id_hash,
        sex=identity.sex_of(id_number),
        birth_date=identity.birth_date_of(id_number),
        mobile=mobile,
        mobile_hash=identity.mobile_hash(mobile) if mobile else "",
        org=org,
        user=user,
        joined_on=joined_on,
        **extra,
    )
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        raise ValidationError({"id_number": _("This person is already a member elsewhere.")}) from None
    MemberEvent.objects.create(
        member=member,
        kind=MemberEvent.Kind.JOINED,
        effective_on=joined_on,
        to_status=Member.Status.ACTIVE,
        to_org=org,
        reason=reason,
        by=by,
    )
    audit_record(actor=by, action="member.create", obj=member, detail={"org": org.code})
    return member


@transaction.atomic
def member_update(*, by: User, member: Member, reason: str = "", **fields) -> Member:
    """Change a member's details; records which fields changed (personal data only as "changed"). A personal
    field given as its masked stored value (what the edit form shows) keeps the stored value."""
    member = locks.member_for_update(member.pk)
    if not can_keep_roll(by, member.org):
        raise PermissionDenied
    fields = {f: v for f, v in fields.items() if not (f in PERSONAL_MASKS and _is_masked_echo(member, f, v))}
    if "id_number" in fields or "mobile" in fields:
        id_number, mobile = _clean_person(
            id_number=fields.get("id_number", member.id_number), mobile=fields.get("mobile", member.mobile)
        )
        fields["id_number"], fields["mobile"] = id_number, mobile
    if "name" in fields and not str(fields["name"]).strip():
        raise ValidationError({"name": _("Enter the name.")})
    group = fields.get("group")
    if group is not None and not (group.kind == OrgUnit.Kind.GROUP and tree.is_within(group, member.org)):
        raise ValidationError({"group": _("Choose a union group of the member's own union.")})
    changes: dict[str, str | list[str]] = {}
    for field, value in fields.items():
        if field not in EDITABLE_FIELDS:
            continue
        if isinstance(value, str):
            value = value.strip()
        old = getattr(member, field)
        if old == value:
            continue
        setattr(member, field, value)
        if field in PERSONAL_FIELDS:
            changes[field] = "changed"
        elif hasattr(old, "pk") or hasattr(value, "pk"):
            changes[field] = [str(old or ""), str(value or "")]
        else:
            changes[field] = [str(old if old is not None else ""), str(value if value is not None else "")]
    if not changes:
        return member
    if "id_number" in changes:
        member.id_number_hash = identity.id_number_hash(member.id_number)
        member.sex = identity.sex_of(member.id_number)
        member.birth_date = identity.birth_date_of(member.id_number)
    if "mobile" in changes:
        member.mobile_hash = identity.mobile_hash(member.mobile) if member.mobile else ""
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        raise ValidationError({"id_number": _("Another active member has this ID number.")}) from None
    MemberEvent.objects.create(
        member=member,
        kind=MemberEvent.Kind.EDITED,
        effective_on=timezone.localdate(),
        changes=changes,
        reason=reason,
        by=by,
    )
    audit_record(actor=by, action="member.update", obj=member, detail={"changes": changes})
    return member


# Status changes a handler may make: from a held membership to retired/left/deceased, retired back to
# active (re-employed); transfers go through the transfer services.
STATUS_TRANSITIONS = {
    Member.Status.ACTIVE: {Member.Status.RETIRED, Member.Status.LEFT, Member.Status.DECEASED},
    Member.Status.RETIRED: {Member.Status.ACTIVE, Member.Status.LEFT, Member.Status.DECEASED},
}


@transaction.atomic
def member_change_status(*, by: User, member: Member, status: str, effective_on: dt.date, reason: str) -> Member:
    """Change the status with an effective date and a reason. Locks the member row; no pending transfer."""
    member = locks.member_for_update(member.pk)
    if not can_keep_roll(by, member.org):
        raise PermissionDenied
    allowed = STATUS_TRANSITIONS.get(Member.Status(member.status), set())
    if status not in allowed:
        raise ValidationError(
            {
                "status": _("A member who is %(from)s cannot become %(to)s.")
                % {"from": member.get_status_display(), "to": Member.Status(status).label}
            }
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason.")})
    if effective_on > timezone.localdate():
        raise ValidationError({"effective_on": _("The date cannot be in the future.")})
    if effective_on < member.joined_on:
        raise ValidationError({"effective_on": _("The date cannot be before the member joined.")})
    if member.transfers.filter(status=MemberTransfer.Status.PENDING).exists():
        raise ValidationError(_("A transfer of this member is pending; settle it first."))
    old = member.status
    member.status = status
    member.status_changed_on = effective_on
    member.save(update_fields=["status", "status_changed_on", "updated_at"])
    MemberEvent.objects.create(
        member=member,
        kind=MemberEvent.Kind.STATUS,
        effective_on=effective_on,
        from_status=old,
        to_status=status,
        reason=reason.strip(),
        by=by,
    )
    audit_record(actor=by, action="member.status", obj=member, detail={"from": old, "to": status, "reason": reason})
    return member


REVEALABLE = {"id_number", "mobile", "bank_account"}


def member_reveal(*, by: User, member: Member, field: str) -> str:
    """Return one personal field in full for a role in REVEAL_ROLES at the member's union; audited."""
    if field not in REVEALABLE:
        raise ValidationError(_("This field cannot be revealed."))
    if not can_reveal(by, member):
        audit_record(actor=by, action="members.reveal", obj=member, result="denied", detail={"field": field})
        raise PermissionDenied
    audit_record(actor=by, action="members.reveal", obj=member, detail={"field": field})
    return getattr(member, field) or ""


# The most rows one export holds.
EXPORT_MAX_ROWS = 100_000


def member_export(*, by: User, filters=None, full: bool = False, reason: str = "", query: str = "") -> list[Member]:
    """The members of a roll export (``selectors.member_export_list``), audited with the row count. A ``full``
    export (full ID numbers and phones) needs a REVEAL role somewhere and a reason; it holds only the members
    of the subtrees where the user holds one, and the reason is in the audit row."""
    from .. import selectors

    reason = export_check(by=by, full=full, reason=reason)
    members = list(selectors.member_export_list(user=by, filters=filters, full=full)[:EXPORT_MAX_ROWS])
    export_audit(by=by, filters=filters, full=full, reason=reason, query=query, rows=len(members))
    return members


def export_check(*, by: User, full: bool, reason: str) -> str:
    """Refuse a full export without the right or a reason; return the reason, stripped."""
    reason = reason.strip()
    if full:
        if not may_export_full(by):
            raise PermissionDenied
        if not reason:
            raise ValidationError({"reason": _("Give the reason for exporting full personal data.")})
    return reason


def export_audit(*, by: User, filters, full: bool, reason: str, query: str, rows: int, job: int | None = None) -> None:
    from .. import selectors

    detail = {
        "rows": rows,
        "full": full,
        "reason": reason[:200],
        "query": query,
        # the subtrees the export covered: each member's own page lists the full exports that held them
        "paths": selectors.member_export_paths(user=by, filters=filters, full=full),
    }
    if job is not None:
        detail["job"] = job  # built in the background (members.services.roll_export)
    audit_record(actor=by, action="members.export", object_type="members.member", detail=detail)

"""Every write of the members app. Services are keyword-only, atomic, and write an audit row."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from union_portal import hooks, identity, tree
from union_portal.audit import audit_record
from union_portal.models import OrgUnit, OrgUnitMove, User
from union_portal.notifications import notify

from . import locks
from .models import Enterprise, FoundingApplication, JoinApplication, Member, MemberEvent, MemberImport, MemberTransfer
from .numbers import reserve_member_numbers
from .permissions import can_keep_roll, can_manage_enterprises, can_manage_org, can_reveal


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


# --- enterprises and union founding (建会) -----------------------------------------------------------------

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


@transaction.atomic
def founding_submit(
    *,
    by: User,
    enterprise: Enterprise,
    union_name: str,
    chair_name: str,
    meeting_date: dt.date,
    member_count: int,
    election_result,
    applicant_name: str,
    applicant_phone: str,
) -> FoundingApplication:
    """File a founding application for an enterprise that has no union and no pending application. Anyone
    logged in may file (the firm itself or the township organiser); the election result is required."""
    if enterprise.union_id is not None:
        raise ValidationError(_("This enterprise already has a union."))
    if FoundingApplication.objects.filter(enterprise=enterprise, status=FoundingApplication.Status.PENDING).exists():
        raise ValidationError(_("A founding application for this enterprise is already waiting for a decision."))
    if meeting_date > timezone.localdate():
        raise ValidationError({"meeting_date": _("The founding meeting cannot be in the future.")})
    if member_count < 1:
        raise ValidationError({"member_count": _("A union needs at least one founding member.")})
    if not election_result:
        raise ValidationError({"election_result": _("Attach the founding meeting's election result.")})
    application = FoundingApplication.objects.create(
        enterprise=enterprise,
        township=enterprise.township,
        union_name=union_name.strip(),
        chair_name=chair_name.strip(),
        meeting_date=meeting_date,
        member_count=member_count,
        election_result=election_result,
        applicant_name=applicant_name.strip(),
        applicant_phone=applicant_phone.strip(),
        submitted_by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit_record(actor=by, action="founding.submit", obj=application, detail={"enterprise": enterprise.uscc})
    return application


def _next_union_code(township: OrgUnit) -> str:
    prefix = f"{township.code}-"
    taken = set(OrgUnit.objects.filter(code__startswith=prefix).values_list("code", flat=True))
    n = 1
    while f"{prefix}{n:03d}" in taken:
        n += 1
    return f"{prefix}{n:03d}"


@transaction.atomic
def founding_approve(*, by: User, application: FoundingApplication, reason: str = "") -> OrgUnit:
    """Approve a pending founding application: create the grassroots union under the application's
    township, link the enterprise to it, tell the applicant. Locks the application row; township staff
    (or admins above) of that township only. Returns the new union.

    This is the single place where a founding is approved: it fires ``members.enterprise_unionised``
    (union_portal.hooks), which the apps above subscribe to for their follow-up steps (such as handing over
    the founding reserve), run after commit."""
    application = locks.founding_application_for_update(application.pk)
    if not can_manage_enterprises(by, application.township):
        raise PermissionDenied
    if application.status != FoundingApplication.Status.PENDING:
        raise ValidationError(_("This application has already been decided."))
    enterprise = locks.enterprise_for_update(application.enterprise_id)
    if enterprise.union_id is not None:
        raise ValidationError(_("This enterprise already has a union."))
    union = org_unit_create(
        by=by,
        parent=application.township,
        code=_next_union_code(application.township),
        name=application.union_name,
        kind=OrgUnit.Kind.GRASSROOTS,
    )
    enterprise.union = union
    enterprise.save(update_fields=["union", "updated_at"])
    application.status = FoundingApplication.Status.APPROVED
    application.union = union
    application.decided_by = by
    application.decided_at = timezone.now()
    application.decision_reason = reason.strip()
    application.save()
    audit_record(actor=by, action="founding.approve", obj=application, detail={"union": union.code})
    # After commit, the apps that care take it from here (union funds hands over the founding reserve).
    hooks.fire("members.enterprise_unionised", enterprise_id=enterprise.pk, union_id=union.pk)
    if application.submitted_by_id:
        notify(
            user=application.submitted_by,
            event_key=f"founding:{application.pk}:approved",
            title=_("Union founding approved"),
            body=_("The union of %(firm)s has been founded: %(union)s.")
            % {"firm": enterprise.name, "union": union.name},
            link=application.get_absolute_url(),
        )
    return union


@transaction.atomic
def founding_reject(*, by: User, application: FoundingApplication, reason: str) -> FoundingApplication:
    """Reject a pending founding application with a reason (required)."""
    application = locks.founding_application_for_update(application.pk)
    if not can_manage_enterprises(by, application.township):
        raise PermissionDenied
    if application.status != FoundingApplication.Status.PENDING:
        raise ValidationError(_("This application has already been decided."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason for the rejection.")})
    application.status = FoundingApplication.Status.REJECTED
    application.decided_by = by
    application.decided_at = timezone.now()
    application.decision_reason = reason.strip()
    application.save()
    audit_record(actor=by, action="founding.reject", obj=application, detail={"reason": reason})
    if application.submitted_by_id:
        notify(
            user=application.submitted_by,
            event_key=f"founding:{application.pk}:rejected",
            title=_("Union founding application rejected"),
            body=_("Reason: %(reason)s") % {"reason": reason},
            link=application.get_absolute_url(),
        )
    return application


# --- the roll ---------------------------------------------------------------------------------------------

PERSONAL_FIELDS = {"id_number", "mobile", "bank_account"}
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


def holding_membership(id_hash: str) -> Member | None:
    """The person's membership that is still held (active or retired), if any."""
    return (
        Member.objects.select_related("org").filter(id_number_hash=id_hash, status__in=Member.HOLDING_STATUSES).first()
    )


def _clean_person(*, id_number: str, mobile: str) -> tuple[str, str]:
    errors = {}
    try:
        id_number = identity.validate_id_number(id_number)
    except ValidationError as exc:
        errors["id_number"] = exc.messages
    if mobile:
        try:
            mobile = identity.validate_mobile(mobile)
        except ValidationError as exc:
            errors["mobile"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return id_number, mobile


def _login_free_for_membership(user_id: int) -> bool:
    """Whether a membership may be linked to this login (one membership per login). An ended membership
    (left, deceased...) the account carries is unlinked first: the card follows the new one."""
    Member.objects.filter(user_id=user_id).exclude(status__in=Member.HOLDING_STATUSES).update(user=None)
    return not Member.objects.filter(user_id=user_id).exists()


def _check_grassroots(org: OrgUnit) -> None:
    if org.kind != OrgUnit.Kind.GRASSROOTS:
        raise ValidationError({"org": _("Members belong to a grassroots union.")})


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
    if existing is not None:
        raise ValidationError(
            {
                "id_number": _(
                    "This person is already a member of %(union)s (member number %(number)s); "
                    "request a transfer instead."
                )
                % {"union": existing.org.name, "number": existing.member_number}
            }
        )
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
    """Change a member's details; records which fields changed (personal data only as "changed")."""
    member = locks.member_for_update(member.pk)
    if not can_keep_roll(by, member.org):
        raise PermissionDenied
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


@transaction.atomic
def transfer_request(
    *, by: User, member: Member, to_org: OrgUnit, reason: str, join_application: JoinApplication | None = None
) -> MemberTransfer:
    """Open a transfer of an active member to another grassroots union. Asked by the member's own union
    (transfer out) or, from a join application, by the receiving union. The member stays where they are
    until the receiving union accepts."""
    member = locks.member_for_update(member.pk)
    side = to_org if join_application is not None else member.org
    if not can_keep_roll(by, side):
        raise PermissionDenied
    _check_grassroots(to_org)
    if member.status != Member.Status.ACTIVE:
        raise ValidationError(_("Only an active member can be transferred."))
    if to_org.pk == member.org_id:
        raise ValidationError({"to_org": _("The member already belongs to this union.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason.")})
    if member.transfers.filter(status=MemberTransfer.Status.PENDING).exists():
        raise ValidationError(_("A transfer of this member is already pending."))
    transfer = MemberTransfer.objects.create(
        member=member,
        from_org=member.org,
        to_org=to_org,
        to_enterprise=(join_application.enterprise if join_application else None)
        or Enterprise.objects.filter(union=to_org).first(),
        reason=reason.strip(),
        requested_by=by,
        join_application=join_application,
    )
    MemberEvent.objects.create(
        member=member,
        kind=MemberEvent.Kind.TRANSFER_OUT,
        effective_on=timezone.localdate(),
        from_org=member.org,
        to_org=to_org,
        reason=reason.strip(),
        by=by,
        changes={"transfer": transfer.pk, "state": "requested"},
    )
    audit_record(actor=by, action="member.transfer_request", obj=member, detail={"to": to_org.code})
    return transfer


@transaction.atomic
def transfer_accept(*, by: User, transfer: MemberTransfer) -> Member:
    """The receiving union accepts (接转): the membership moves, the member number stays. Locks the
    transfer and the member."""
    transfer = locks.transfer_for_update(transfer.pk)
    if not can_keep_roll(by, transfer.to_org):
        raise PermissionDenied
    if transfer.status != MemberTransfer.Status.PENDING:
        raise ValidationError(_("This transfer has already been settled."))
    member = locks.member_for_update(transfer.member_id)
    if member.status != Member.Status.ACTIVE:
        raise ValidationError(_("Only an active member can be transferred."))
    from_org = member.org
    member.org = transfer.to_org
    member.group = None
    member.enterprise = transfer.to_enterprise
    applicant_id = transfer.join_application.user_id if transfer.join_application is not None else None
    if applicant_id and member.user_id is None and _login_free_for_membership(applicant_id):
        member.user_id = applicant_id
    member.save()
    transfer.status = MemberTransfer.Status.ACCEPTED
    transfer.decided_by = by
    transfer.decided_at = timezone.now()
    transfer.save()
    MemberEvent.objects.create(
        member=member,
        kind=MemberEvent.Kind.TRANSFER_IN,
        effective_on=timezone.localdate(),
        from_org=from_org,
        to_org=transfer.to_org,
        reason=transfer.reason,
        by=by,
        changes={"transfer": transfer.pk, "state": "accepted"},
    )
    if transfer.join_application_id:
        JoinApplication.objects.filter(pk=transfer.join_application_id).update(member=member)
    audit_record(actor=by, action="member.transfer_accept", obj=member, detail={"from": from_org.code})
    if member.user_id:
        notify(
            user=member.user,
            event_key=f"transfer:{transfer.pk}:accepted",
            title=_("Membership transferred"),
            body=_("Your membership is now with %(union)s; your member number %(number)s stays.")
            % {"union": transfer.to_org.name, "number": member.member_number},
            link="/members/me/",
            phone=member.mobile,
        )
    return member


@transaction.atomic
def transfer_reject(*, by: User, transfer: MemberTransfer, reason: str) -> MemberTransfer:
    """The receiving union refuses, or the sending union cancels, a pending transfer (reason required)."""
    transfer = locks.transfer_for_update(transfer.pk)
    receiving = can_keep_roll(by, transfer.to_org)
    if not (receiving or can_keep_roll(by, transfer.from_org)):
        raise PermissionDenied
    if transfer.status != MemberTransfer.Status.PENDING:
        raise ValidationError(_("This transfer has already been settled."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason.")})
    transfer.status = MemberTransfer.Status.REJECTED if receiving else MemberTransfer.Status.CANCELLED
    transfer.decided_by = by
    transfer.decided_at = timezone.now()
    transfer.decision_reason = reason.strip()
    transfer.save()
    MemberEvent.objects.create(
        member=transfer.member,
        kind=MemberEvent.Kind.TRANSFER_OUT,
        effective_on=timezone.localdate(),
        from_org=transfer.from_org,
        to_org=transfer.to_org,
        reason=reason.strip(),
        by=by,
        changes={"transfer": transfer.pk, "state": transfer.status},
    )
    audit_record(actor=by, action="member.transfer_reject", obj=transfer.member, detail={"reason": reason})
    return transfer


# --- joining (入会) ---------------------------------------------------------------------------------------


@transaction.atomic
def join_submit(
    *,
    user,
    org: OrgUnit,
    name: str,
    id_number: str,
    mobile: str,
    job: str = "",
    is_frontline: bool = False,
    is_migrant: bool = False,
) -> JoinApplication:
    """A worker applies to join a grassroots union. One pending application per person."""
    _check_grassroots(org)
    if org.status != OrgUnit.Status.ACTIVE:
        raise ValidationError({"org": _("This union is not active.")})
    if not mobile:
        raise ValidationError({"mobile": _("Enter your mobile number.")})
    id_number, mobile = _clean_person(id_number=id_number, mobile=mobile)
    if not name.strip():
        raise ValidationError({"name": _("Enter the name.")})
    id_hash = identity.id_number_hash(id_number)
    if JoinApplication.objects.filter(id_number_hash=id_hash, status=JoinApplication.Status.PENDING).exists():
        raise ValidationError(_("An application for this person is already waiting for a decision."))
    existing = holding_membership(id_hash)
    if existing is not None and existing.org_id == org.pk:
        raise ValidationError(_("You are already a member of this union."))
    application = JoinApplication.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        org=org,
        enterprise=Enterprise.objects.filter(union=org).first(),
        name=name.strip(),
        id_number=id_number,
        id_number_hash=id_hash,
        mobile=mobile,
        job=job.strip(),
        is_frontline=is_frontline,
        is_migrant=is_migrant,
    )
    audit_record(actor=user, action="join.submit", obj=application, detail={"org": org.code})
    return application


@transaction.atomic
def join_approve(*, by: User, application: JoinApplication) -> Member | MemberTransfer:
    """Approve a pending join application. A new member gets a member number (returned Member); a person
    already active in another union becomes a transfer request to this union (returned MemberTransfer),
    never a second active membership."""
    application = locks.join_application_for_update(application.pk)
    if not can_keep_roll(by, application.org):
        raise PermissionDenied
    if application.status != JoinApplication.Status.PENDING:
        raise ValidationError(_("This application has already been decided."))
    application.decided_by = by
    application.decided_at = timezone.now()
    existing = holding_membership(application.id_number_hash)
    if existing is not None:
        if existing.org_id == application.org_id:
            raise ValidationError(_("This person is already a member of this union."))
        transfer = transfer_request(
            by=by,
            member=existing,
            to_org=application.org,
            reason=_("Joined %(union)s") % {"union": application.org.name},
            join_application=application,
        )
        application.status = JoinApplication.Status.TRANSFER
        application.save()
        audit_record(actor=by, action="join.transfer", obj=application, detail={"transfer": transfer.pk})
        return transfer
    user = application.user
    if user is not None and not _login_free_for_membership(user.pk):
        user = None  # the account holds another membership (a different person's ID): leave it alone
    member = member_create(
        by=by,
        org=application.org,
        name=application.name,
        id_number=application.id_number,
        mobile=application.mobile,
        user=user,
        enterprise=application.enterprise,
        job=application.job,
        is_frontline=application.is_frontline,
        is_migrant=application.is_migrant,
        reason=_("Join application approved"),
    )
    application.status = JoinApplication.Status.APPROVED
    application.member = member
    application.save()
    audit_record(actor=by, action="join.approve", obj=application, detail={"member": member.member_number})
    if application.user_id:
        notify(
            user=application.user,
            event_key=f"join:{application.pk}:approved",
            title=_("Welcome to the union"),
            body=_("You are a member of %(union)s. Member number: %(number)s.")
            % {"union": application.org.name, "number": member.member_number},
            link="/members/me/",
            phone=application.mobile,
        )
    return member


@transaction.atomic
def join_reject(*, by: User, application: JoinApplication, reason: str) -> JoinApplication:
    application = locks.join_application_for_update(application.pk)
    if not can_keep_roll(by, application.org):
        raise PermissionDenied
    if application.status != JoinApplication.Status.PENDING:
        raise ValidationError(_("This application has already been decided."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason for the rejection.")})
    application.status = JoinApplication.Status.REJECTED
    application.decision_reason = reason.strip()
    application.decided_by = by
    application.decided_at = timezone.now()
    application.save()
    audit_record(actor=by, action="join.reject", obj=application, detail={"reason": reason})
    if application.user_id:
        notify(
            user=application.user,
            event_key=f"join:{application.pk}:rejected",
            title=_("Join application not approved"),
            body=_("Reason: %(reason)s") % {"reason": reason},
            link="/members/me/",
            phone=application.mobile,
        )
    return application


# --- personal data ----------------------------------------------------------------------------------------

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


# --- Excel imports ----------------------------------------------------------------------------------------

MAX_STORED_ERRORS = 5000


def import_progress_key(import_id: int) -> str:
    return f"members:import:{import_id}:progress"


def _progress_writer(import_id: int):
    from django.core.cache import cache

    def write(done: int, total: int) -> None:
        # The cache, not the row: the store runs inside one transaction other connections cannot see into.
        cache.set(import_progress_key(import_id), [done, total], timeout=3600)

    return write


def member_import_start(*, by: User, org: OrgUnit, uploaded) -> MemberImport:
    """Accept an uploaded .xlsx for ``org`` and queue its check (Celery after commit)."""
    from union_portal.uploads import check_upload

    if not can_keep_roll(by, org):
        raise PermissionDenied
    _check_grassroots(org)
    check_upload(uploaded, allowed=("xlsx",), max_bytes=50 * 1024 * 1024)
    with transaction.atomic():
        record = MemberImport.objects.create(org=org, file=uploaded, file_name=uploaded.name[:200], by=by)
        audit_record(actor=by, action="member.import_upload", obj=record, detail={"org": org.code})
        from .tasks import member_import_check_task

        transaction.on_commit(lambda: member_import_check_task.delay(record.pk))
    return record


def _read(record: MemberImport):
    from .imports import OPTIONAL, REQUIRED
    from .xlsx_fast import read_table_fast

    with record.file.open("rb") as fh:
        return read_table_fast(fh.read(), required=REQUIRED, optional=OPTIONAL)


def _save_errors(record: MemberImport, errors) -> None:
    record.errors = [[e.row, e.column, e.message] for e in errors[:MAX_STORED_ERRORS]]
    record.error_count = len(errors)


def member_import_check(import_id: int) -> MemberImport:
    """Check every row of an uploaded import and store the problems (the preview). Idempotent: an import
    already past checking is left alone."""
    from union_portal.excel import ExcelFileError

    from .imports import check_rows

    record = MemberImport.objects.select_related("org").get(pk=import_id)
    if record.status != MemberImport.Status.CHECKING:
        return record
    try:
        table = _read(record)
    except ExcelFileError as exc:
        record.errors = [[0, "", str(exc)]]
        record.error_count = 1
        record.status = MemberImport.Status.INVALID
        record.save()
        return record
    record.total = len(table.rows)
    checked, errors = check_rows(table.rows, org=record.org, progress=_progress_writer(record.pk))
    _save_errors(record, errors)
    record.processed = record.total
    record.status = MemberImport.Status.INVALID if errors else MemberImport.Status.READY
    record.save()
    return record


def member_import_commit(*, by: User, record: MemberImport) -> MemberImport:
    """Queue the store of a clean import (Celery after commit). Only a READY import can be committed."""
    with transaction.atomic():
        record = locks.member_import_for_update(record.pk)
        if not can_keep_roll(by, record.org):
            raise PermissionDenied
        if record.status != MemberImport.Status.READY:
            raise ValidationError(_("Only a checked file without problems can be imported."))
        record.status = MemberImport.Status.IMPORTING
        record.processed = 0
        record.save()
        audit_record(actor=by, action="member.import_commit", obj=record, detail={"rows": record.total})
        from .tasks import member_import_run_task

        transaction.on_commit(lambda: member_import_run_task.delay(record.pk))
    return record


def member_import_run(import_id: int) -> MemberImport:
    """Store all rows of a committed import in one transaction. The rows are checked again (the roll may
    have changed since the preview); any problem stores nothing and returns the import to the preview.
    Idempotent: only an import in IMPORTING state runs, and it is locked while it runs."""
    from .imports import check_rows, store_rows

    with transaction.atomic():
        record = locks.member_import_for_update(import_id)
        if record.status != MemberImport.Status.IMPORTING:
            return record
        table = _read(record)
        checked, errors = check_rows(table.rows, org=record.org)
        if errors:
            _save_errors(record, errors)
            record.status = MemberImport.Status.INVALID
            record.save()
            return record
        created = store_rows(by=record.by, org=record.org, rows=checked, progress=_progress_writer(record.pk))
        record.created_count = created
        record.processed = created
        record.status = MemberImport.Status.DONE
        record.save()
        audit_record(actor=record.by, action="member.import", obj=record, detail={"created": created})
    # The spreadsheet holds ID numbers in clear: once its rows are on the (encrypted) roll it goes.
    record.file.delete(save=True)
    notify(
        user=record.by,
        event_key=f"member-import:{record.pk}:done",
        title=_("Member import finished"),
        body=_("%(count)s members were added to %(union)s.") % {"count": created, "union": record.org.name},
        link=f"/members/imports/{record.pk}/",
    )
    return record

"""Transfers of an active member between grassroots unions: requested, accepted, rejected."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from union_portal.audit import audit_record
from union_portal.models import OrgUnit, User
from union_portal.notifications import notify

from .. import locks
from ..models import Enterprise, JoinApplication, Member, MemberEvent, MemberTransfer
from ..permissions import can_keep_roll
from ._common import _check_grassroots, _login_free_for_membership


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

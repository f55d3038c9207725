"""Transfers of an active member between grassroots unions (会员关系接转): the old union releases, the new
one accepts, the member number stays.

Whoever asks gives their own side's consent by asking; the move waits for the other side:

- asked by the releasing union (transfer out): released at once; the receiving union accepts or refuses;
- asked by the receiving union (from a join application): waits for the releasing union, which releases or
  refuses; left unanswered ``MEMBERS_TRANSFER_RELEASE_WORKDAYS`` working days, it goes to the township above
  both unions (the district when no township is above both), which decides in the releasing union's place.

A join application's login is linked to the membership on the move only when it proves to be the person: its
own mobile verified by a one-time SMS code and equal to the roll's, or the releasing union's handler
confirming. Until the move the receiving union sees nothing of the member (members.selectors)."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from union_portal import onetime, tree, workdays
from union_portal.audit import audit_record
from union_portal.models import OrgUnit, User
from union_portal.notifications import notify
from union_portal.roles import Role, role_holders

from .. import locks
from ..models import Enterprise, JoinApplication, Member, MemberEvent, MemberTransfer
from ..permissions import can_keep_roll
from ._common import _check_grassroots, _login_free_for_membership
from .notices import member_tell

Side = MemberTransfer.Side


@transaction.atomic
def transfer_request(
    *, by: User, member: Member, to_org: OrgUnit, reason: str, join_application: JoinApplication | None = None
) -> MemberTransfer:
    """Open a transfer of an active member to another grassroots union: asked by the member's own union
    (transfer out, released by asking) or, from a join application, by the receiving union (waits for the
    releasing union, unless ``by`` keeps that roll too: the township above both or the district, whose
    request moves the member at once). The member is told by SMS and in the inbox. Locks the member."""
    member = locks.member_for_update(member.pk)
    side = Side.RECEIVING if join_application is not None else Side.RELEASING
    if not can_keep_roll(by, to_org if side == Side.RECEIVING else member.org):
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
    now = timezone.now()
    released = can_keep_roll(by, member.org)
    transfer = MemberTransfer.objects.create(
        member=member,
        from_org=member.org,
        to_org=to_org,
        to_enterprise=(join_application.enterprise if join_application else None)
        or Enterprise.objects.filter(union=to_org).first(),
        reason=reason.strip(),
        requested_by=by,
        requested_side=side,
        released_by=by if released else None,
        released_at=now if released else None,
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
    audit_record(actor=by, action="member.transfer_request", obj=member, detail={"to": to_org.code, "side": str(side)})
    member_tell(
        member=member,
        event_key=f"transfer:{transfer.pk}:requested",
        title=_("Request to transfer your membership"),
        body=_(
            "A request was made to move your union membership from %(from)s to %(to)s. "
            "If you did not ask for this, tell %(from)s."
        )
        % {"from": member.org.name, "to": to_org.name},
    )
    if side == Side.RECEIVING and not released:
        transfer.release_due_on = transfer_release_due(transfer)
        transfer.save(update_fields=["release_due_on"])
        for handler in role_holders(Role.HANDLER, at=member.org):
            notify(
                user=handler,
                event_key=f"transfer:{transfer.pk}:release-asked:{handler.pk}",
                title=_("A member's transfer waits for your consent"),
                body=_("Another union asks to receive one of your members. Release or refuse it."),
                link=f"/members/transfers/{transfer.pk}/",
            )
    if side == Side.RECEIVING and released:
        _move(by=by, transfer=transfer)
    return transfer


@transaction.atomic
def transfer_release(*, by: User, transfer: MemberTransfer, confirm_login: bool = False) -> MemberTransfer:
    """The releasing union consents (or, once escalated, the township above both decides in its place; both
    keep the releasing union's roll). A transfer asked by the receiving union then moves the member; one
    asked by the releasing union was released when asked. ``confirm_login``: the releasing union's handler
    confirms that the join application's login is this person, so the move links it. Locks the transfer,
    then the member."""
    transfer = locks.transfer_for_update(transfer.pk)
    if not can_keep_roll(by, transfer.from_org):
        raise PermissionDenied
    if transfer.status != MemberTransfer.Status.PENDING:
        raise ValidationError(_("This transfer has already been settled."))
    if transfer.released_at is not None:
        raise ValidationError(_("This member has already been released."))
    transfer.released_by = by
    transfer.released_at = timezone.now()
    application = transfer.join_application
    if confirm_login and application is not None and application.user_id:
        transfer.login_confirmed_by = by
    transfer.save()
    audit_record(
        actor=by,
        action="member.transfer_release",
        obj=transfer.member,
        detail={
            "transfer": transfer.pk,
            "escalated": transfer.escalated_to_id is not None,
            "login_confirmed": transfer.login_confirmed_by_id is not None,
        },
    )
    if transfer.requested_side == Side.RECEIVING:
        _move(by=by, transfer=transfer)
    return transfer


@transaction.atomic
def transfer_accept(*, by: User, transfer: MemberTransfer) -> Member:
    """The receiving union accepts a transfer the releasing union has released: the membership moves, the
    member number stays. A transfer the receiving union asked for itself cannot be accepted by it: it waits
    for the releasing union (or the township above both). Locks the transfer, then the member."""
    transfer = locks.transfer_for_update(transfer.pk)
    if not can_keep_roll(by, transfer.to_org):
        raise PermissionDenied
    if transfer.status != MemberTransfer.Status.PENDING:
        raise ValidationError(_("This transfer has already been settled."))
    if transfer.released_at is None:
        raise ValidationError(_("The member's union has not released the member yet."))
    return _move(by=by, transfer=transfer)


def _login_proves_person(transfer: MemberTransfer, member: Member, applicant: User) -> bool:
    """The applicant's login is the member's: confirmed by the releasing union's handler, or its own mobile
    verified by a one-time SMS code (``onetime.mobile_is_verified``: the number it carries now) and equal to
    the roll's."""
    if transfer.login_confirmed_by_id is not None:
        return True
    return onetime.mobile_is_verified(applicant) and bool(member.mobile) and applicant.mobile == member.mobile


def _move(*, by: User, transfer: MemberTransfer) -> Member:
    """Move the membership of a released transfer (the caller holds the transfer's lock)."""
    member = locks.member_for_update(transfer.member_id)
    if member.status != Member.Status.ACTIVE:
        raise ValidationError(_("Only an active member can be transferred."))
    from_org = member.org
    member.org = transfer.to_org
    member.group = None
    member.enterprise = transfer.to_enterprise
    application = transfer.join_application
    applicant = application.user if application is not None else None
    if (
        applicant is not None
        and member.user_id is None
        and _login_proves_person(transfer, member, applicant)
        and _login_free_for_membership(applicant.pk)
    ):
        member.user = applicant
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
    if application is not None:
        JoinApplication.objects.filter(pk=application.pk).update(member=member)
    audit_record(
        actor=by,
        action="member.transfer_accept",
        obj=member,
        detail={"from": from_org.code, "to": transfer.to_org.code, "linked_login": member.user_id is not None},
    )
    member_tell(
        member=member,
        event_key=f"transfer:{transfer.pk}:accepted",
        title=_("Membership transferred"),
        body=_("Your membership is now with %(union)s; your member number %(number)s stays.")
        % {"union": transfer.to_org.name, "number": member.member_number},
    )
    return member


@transaction.atomic
def transfer_reject(*, by: User, transfer: MemberTransfer, reason: str) -> MemberTransfer:
    """The side that did not ask refuses (the receiving union, the releasing union, or the township above
    both for it once escalated); the side that asked cancels. A reason is required."""
    transfer = locks.transfer_for_update(transfer.pk)
    releasing, receiving = can_keep_roll(by, transfer.from_org), can_keep_roll(by, transfer.to_org)
    if not (receiving or releasing):
        raise PermissionDenied
    if transfer.status != MemberTransfer.Status.PENDING:
        raise ValidationError(_("This transfer has already been settled."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason.")})
    other_side = receiving if transfer.requested_side == Side.RELEASING else releasing
    transfer.status = MemberTransfer.Status.REJECTED if other_side else MemberTransfer.Status.CANCELLED
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


def transfer_release_due(transfer: MemberTransfer, *, calendar: workdays.Calendar | None = None) -> dt.date:
    """The last working day the releasing union has to answer a transfer asked by the receiving union, counting
    the day of the request when it is a working day. Derived from the calendar as it is now (cached until the
    holiday table changes); ``calendar``: one loaded for a batch."""
    start = timezone.localdate(transfer.created_at)
    days = settings.MEMBERS_TRANSFER_RELEASE_WORKDAYS
    if calendar is None:
        return workdays.end_date(start, days)[0]
    due, _warnings = workdays.add_working_days(start, days, calendar=calendar)
    return due


def _awaiting_release():
    return MemberTransfer.objects.filter(
        status=MemberTransfer.Status.PENDING,
        released_at__isnull=True,
        escalated_to__isnull=True,
        requested_side=Side.RECEIVING,
    )


def transfers_reevaluate_release_due(**_event: object) -> int:
    """The ``workdays.calendar_changed`` handler (and the first step of the nightly escalation): recompute the
    answer-due day of every transfer waiting for its releasing union, and tell that union's handlers when it
    moved. Idempotent. Returns how many moved."""
    ids = list(_awaiting_release().order_by("pk").values_list("pk", flat=True))
    return sum(_release_due_refresh(pk) for pk in ids)


@transaction.atomic
def _release_due_refresh(transfer_id: int) -> int:
    transfer = locks.transfer_for_update(transfer_id)
    if not _awaiting_release().filter(pk=transfer.pk).exists():
        return 0
    old, new = transfer.release_due_on, transfer_release_due(transfer)
    if old == new:
        return 0
    transfer.release_due_on = new
    transfer.save(update_fields=["release_due_on"])
    if old is None:  # a transfer asked before the date was kept: nothing was told, nothing moved
        return 0
    version = workdays.calendar_version()
    with translation.override(settings.LANGUAGE_CODE):  # told in the portal's language, whoever changed the table
        for handler in role_holders(Role.HANDLER, at=transfer.from_org):
            notify(
                user=handler,
                event_key=f"transfer:{transfer.pk}:due:{old}:{new}:{version}:{handler.pk}",
                title=_("A transfer must be answered by another day"),
                body=_(
                    "The request to transfer a member to %(to)s must now be answered by %(new)s instead of %(old)s "
                    "(holiday arrangements changed)."
                )
                % {
                    "to": transfer.to_org.name,
                    "old": date_format(old, "DATE_FORMAT"),
                    "new": date_format(new, "DATE_FORMAT"),
                },
                link=f"/members/transfers/{transfer.pk}/",
            )
    return 1


def transfer_escalation_unit(transfer: MemberTransfer) -> OrgUnit | None:
    """Who decides an unanswered transfer: the nearest township above both unions, else their nearest common
    ancestor (the district)."""
    return tree.nearest_common_ancestor(
        transfer.from_org, transfer.to_org, kinds=[OrgUnit.Kind.TOWNSHIP]
    ) or tree.nearest_common_ancestor(transfer.from_org, transfer.to_org)


def transfers_escalate_unanswered(*, today: dt.date | None = None) -> int:
    """Send every transfer the releasing union left unanswered past its working-day limit to the township above
    both (``transfer_escalation_unit``), whose staff are told. Idempotent: an escalated transfer is left
    alone. Each transfer is locked and checked again before it is changed. Returns how many were escalated."""
    today = today or timezone.localdate()
    transfers_reevaluate_release_due()  # catch up a calendar change whose hook was lost
    waiting = list(_awaiting_release().select_related("from_org", "to_org").order_by("pk"))
    if not waiting:
        return 0
    first = min(timezone.localdate(t.created_at) for t in waiting)
    days = settings.MEMBERS_TRANSFER_RELEASE_WORKDAYS
    calendar = workdays.load_calendar(first, today + dt.timedelta(days=days * 3 + 30))
    escalated = 0
    for transfer in waiting:
        if today <= transfer_release_due(transfer, calendar=calendar):
            continue
        escalated += _escalate(transfer.pk)
    return escalated


@transaction.atomic
def _escalate(transfer_id: int) -> int:
    transfer = locks.transfer_for_update(transfer_id)
    if (
        transfer.status != MemberTransfer.Status.PENDING
        or transfer.released_at is not None
        or transfer.escalated_to_id is not None
    ):
        return 0
    unit = transfer_escalation_unit(transfer)
    if unit is None:
        return 0
    transfer.escalated_to = unit
    transfer.escalated_at = timezone.now()
    transfer.save(update_fields=["escalated_to", "escalated_at"])
    audit_record(actor=None, action="member.transfer_escalate", obj=transfer.member, detail={"to": unit.code})
    role = Role.TOWNSHIP_STAFF if unit.kind == OrgUnit.Kind.TOWNSHIP else Role.DISTRICT_ADMIN
    for user in role_holders(role, at=unit):
        notify(
            user=user,
            event_key=f"transfer:{transfer.pk}:escalated:{user.pk}",
            title=_("A membership transfer waits for your decision"),
            body=_("The member's union did not answer in %(days)s working days: release or refuse the transfer.")
            % {"days": settings.MEMBERS_TRANSFER_RELEASE_WORKDAYS},
            link=f"/members/transfers/{transfer.pk}/",
        )
    return 1

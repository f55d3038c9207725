"""Joining (入会): a worker's application, approved into a membership (or a transfer), or rejected."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from union_portal import identity
from union_portal.audit import audit_record
from union_portal.models import OrgUnit, User
from union_portal.notifications import notify

from .. import locks
from ..models import Enterprise, JoinApplication, Member, MemberTransfer
from ..permissions import can_keep_roll
from ._common import _check_grassroots, _clean_person, _login_free_for_membership
from .roll import holding_membership, member_create
from .transfers import transfer_request

JOIN_CONSENT_VERSION = "2026-12"

JOIN_CONSENT_TEXT = gettext_lazy(
    "The district trade union federation and the union you apply to use your name, resident ID number and "
    "mobile number only to decide your application, keep the membership roll, issue your membership card and "
    "tell you about your membership and its services (by SMS to this number). The ID number is stored "
    "encrypted and shown only masked; only the union staff who keep the roll see it, and it is shared with no "
    "one else except as the law requires. You can ask to see or correct it at your union "
    "(Personal Information Protection Law, arts. 13, 17 and 28)."
)


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
    consent: bool,
    now=None,
) -> JoinApplication:
    """A worker applies to join a grassroots union. One pending application per person. Refused without the
    applicant's consent to the personal information notice (JOIN_CONSENT_TEXT), whose version and time are
    stored with the application."""
    if not consent:
        raise ValidationError(
            {"consent": _("Read the notice on how your ID number and mobile are used and give your consent.")}
        )
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
        consent_version=JOIN_CONSENT_VERSION,
        consent_at=now or timezone.now(),
    )
    audit_record(
        actor=user, action="join.submit", obj=application, detail={"org": org.code, "consent": JOIN_CONSENT_VERSION}
    )
    return application


@transaction.atomic
def join_approve(*, by: User, application: JoinApplication) -> Member | MemberTransfer:
    """Approve a pending join application. A new member gets a member number (returned Member); a person
    already active in another union becomes a transfer request to this union (returned MemberTransfer),
    never a second active membership: it waits for the releasing union's consent, and the applicant's login
    is linked only when it proves to be the person (members.services.transfers)."""
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
            reason=_("Applied to join %(union)s") % {"union": application.org.name},
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

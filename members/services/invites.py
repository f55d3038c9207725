"""A handler invites a worker of the roll to open a login ([Front door]).

The invitation is a one-time link (``onetime.issue_subject_link``: signed, single use, only its hash stored)
sent by SMS to the mobile number on the member's record. Opening it and choosing a password creates the account
with that mobile verified (the link reached it) and links it to that member record: the proof of the person
that [Trust] C1 asks for. The link names the member and a digest of the roll's number when it was sent, so it
opens the account of that member only, and only while the roll still carries that number."""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from union_portal import onetime, selfservice
from union_portal.audit import audit_record
from union_portal.identity import mobile_hash
from union_portal.models import User
from union_portal.sms import SmsError, get_backend

from .. import locks
from ..models import Member
from ..permissions import can_keep_roll

INVITE_PURPOSE = "member_invite"
INVITE_TTL = dt.timedelta(days=7)


def _subject(member: Member) -> str:
    return f"member:{member.pk}:{mobile_hash(member.mobile)[:16]}"


def _invite_refusal(member: Member) -> str | None:
    """Why ``member`` cannot be invited now, or None."""
    if member.user_id is not None:
        return _("This member already has a login: no invitation is needed.")
    if member.status not in Member.HOLDING_STATUSES:
        return _("Only a member of the roll can be invited.")
    if not member.mobile:
        return _("The member's record has no mobile number to send the invitation to.")
    if selfservice.mobile_has_account(member.mobile):
        return _(
            "This mobile number already has an account. The worker logs in with it; the login is linked to the "
            "record when the worker proves to be the member (for example by a transfer)."
        )
    return None


def member_invite_refusal(*, member: Member) -> str | None:
    """What the member page says instead of offering the invitation (None: it may be sent)."""
    return _invite_refusal(member)


@transaction.atomic
def member_invite_send(*, by: User, member: Member, now: dt.datetime | None = None) -> str:
    """Send ``member`` a one-time link (valid INVITE_TTL, once) to open a login, by SMS to the roll's mobile.
    Only the roll keepers of the member's union (or above) may; a member with a login gets none. Earlier
    invitations for the member stop working. Returns the link. Locks the member. Audited."""
    member = locks.member_for_update(member.pk)
    if not can_keep_roll(by, member.org):
        raise PermissionDenied
    refusal = _invite_refusal(member)
    if refusal:
        raise ValidationError(refusal)
    token = onetime.issue_subject_link(purpose=INVITE_PURPOSE, subject=_subject(member), by=by, ttl=INVITE_TTL, now=now)
    url = settings.SITE_URL.rstrip("/") + reverse("members:invite_accept", args=[token])
    text = _(
        "%(union)s invites you to open your union portal account: %(url)s (valid for %(days)s days, once). "
        "If you did not expect this, ignore it."
    ) % {"union": member.org.name, "url": url, "days": INVITE_TTL.days}
    try:
        get_backend().send(member.mobile, text)
    except SmsError as exc:
        raise ValidationError(_("The SMS could not be sent. Try again later.")) from exc
    audit_record(actor=by, action="member.invite", obj=member)
    return url


def _member_of(subject: str) -> Member:
    kind, _sep, rest = subject.partition(":")
    pk, _sep, digest = rest.partition(":")
    member = Member.objects.select_related("org").filter(pk=int(pk)).first() if kind == "member" else None
    if member is None or not member.mobile or mobile_hash(member.mobile)[:16] != digest:
        # The roll's number changed since the invitation was sent: it reached another number.
        raise ValidationError(_("This invitation is no longer valid. Ask your union for a new one."))
    return member


def member_invite_check(*, token: str, now: dt.datetime | None = None) -> Member:
    """The member a valid invitation is for (the link stays usable), or ValidationError."""
    member = _member_of(onetime.check_subject_link(purpose=INVITE_PURPOSE, token=token, now=now))
    refusal = _invite_refusal(member)
    if refusal:
        raise ValidationError(refusal)
    return member


@transaction.atomic
def member_invite_accept(*, token: str, password: str, now: dt.datetime | None = None) -> User:
    """Open the login of the invited member: an account with the member's name and the roll's mobile, verified,
    linked to that member record. The password follows AUTH_PASSWORD_VALIDATORS and is checked before the link
    is used. Uses the link once, locks the member; audited."""
    member = member_invite_check(token=token, now=now)
    user = get_user_model()(username=selfservice.new_username(), full_name=member.name, mobile=member.mobile)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password1": exc.messages}) from None
    subject = onetime.use_subject_link(purpose=INVITE_PURPOSE, token=token, now=now)
    member = locks.member_for_update(_member_of(subject).pk)
    refusal = _invite_refusal(member)
    if refusal:
        raise ValidationError(refusal)
    user.mobile = member.mobile
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            onetime.mark_mobile_verified(user, now=now)
            if not user.mobile_hash:
                raise IntegrityError
    except IntegrityError:
        raise ValidationError(_("This mobile number already has an account.")) from None
    member.user = user
    member.save(update_fields=["user", "updated_at"])
    audit_record(actor=user, action="member.invite_accept", obj=member)
    return user

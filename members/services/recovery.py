"""A lost mobile number ([Front door]): a worker who can no longer receive codes on the number of their login
asks to move it to a new one. A roll keeper of the member's union (or township staff above it) checks the
person's ID document in person and records which; a one-time link sent to the new number then finishes the
change and lets the worker set a password. The request names a member with a login (found by name and ID
number); the answer to the worker is the same whether or not one was found (no enumeration)."""

import datetime as dt

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from union_portal import identity, onetime, selfservice
from union_portal.audit import audit_record
from union_portal.models import User
from union_portal.sms import SmsError, get_backend

from ..models import Member, MobileRecoveryRequest
from ..permissions import can_keep_roll

RECOVERY_PURPOSE = "mobile_recovery"
RECOVERY_TTL = dt.timedelta(days=2)


@transaction.atomic
def mobile_recovery_request(*, name: str, id_number: str, new_mobile: str) -> MobileRecoveryRequest | None:
    """Record a lost-number request for the member with this name and ID number who has a login; None (and
    nothing stored) when there is none, which the caller does not tell apart."""
    new_mobile = selfservice._number(new_mobile, "new_mobile")
    try:
        id_hash = identity.id_number_hash(identity.validate_id_number(id_number))
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from None
    member = (
        Member.objects.filter(id_number_hash=id_hash, status__in=Member.HOLDING_STATUSES, user__isnull=False)
        .select_related("user")
        .first()
    )
    if member is None or member.name.strip() != name.strip():
        return None
    MobileRecoveryRequest.objects.filter(member=member, status=MobileRecoveryRequest.Status.PENDING).update(
        status=MobileRecoveryRequest.Status.REJECTED, decided_at=timezone.now()
    )
    request = MobileRecoveryRequest.objects.create(member=member, new_mobile=new_mobile)
    audit_record(actor=None, action="member.mobile_recovery_request", obj=request)
    return request


@transaction.atomic
def mobile_recovery_confirm(*, by: User, request: MobileRecoveryRequest, id_document: str) -> str:
    """The handler checked the person's ID document in person (``id_document`` says which): a one-time link
    (RECOVERY_TTL, once) goes to the new number. Locks the request. Audited. Returns the link."""
    request = MobileRecoveryRequest.objects.select_for_update().select_related("member__org").get(pk=request.pk)
    if not can_keep_roll(by, request.member.org):
        raise PermissionDenied
    if request.status != MobileRecoveryRequest.Status.PENDING:
        raise ValidationError(_("This request has already been decided."))
    if not id_document.strip():
        raise ValidationError({"id_document": _("Record the ID document you checked.")})
    request.status = MobileRecoveryRequest.Status.CONFIRMED
    request.id_document = id_document.strip()
    request.decided_by = by
    request.decided_at = timezone.now()
    request.save()
    token = onetime.issue_subject_link(
        purpose=RECOVERY_PURPOSE, subject=f"recovery:{request.pk}", by=by, ttl=RECOVERY_TTL
    )
    url = settings.SITE_URL.rstrip("/") + reverse("members:mobile_recovery_finish", args=[token])
    text = _(
        "Union portal: your identity was checked. Open %(url)s to make this number your login's "
        "(valid for %(days)s days, once). If you did not ask for it, ignore it."
    ) % {"url": url, "days": RECOVERY_TTL.days}
    try:
        get_backend().send(request.new_mobile, text)
    except SmsError as exc:
        raise ValidationError(_("The SMS could not be sent. Try again later.")) from exc
    audit_record(
        actor=by, action="member.mobile_recovery_confirm", obj=request, detail={"document": request.id_document}
    )
    return url


def _request_of(subject: str) -> MobileRecoveryRequest:
    kind, _sep, pk = subject.partition(":")
    request = (
        MobileRecoveryRequest.objects.select_related("member__user").filter(pk=int(pk)).first()
        if kind == "recovery"
        else None
    )
    if request is None or request.status != MobileRecoveryRequest.Status.CONFIRMED or request.member.user is None:
        raise ValidationError(_("This link is invalid, has expired or was already used."))
    return request


def mobile_recovery_check(*, token: str) -> MobileRecoveryRequest:
    return _request_of(onetime.check_subject_link(purpose=RECOVERY_PURPOSE, token=token))


@transaction.atomic
def mobile_recovery_finish(*, token: str, password: str) -> User:
    """Finish a confirmed request through the link sent to the new number: the login gets the new number
    (verified: the link reached it) and the new password. Uses the link once; audited."""
    request = mobile_recovery_check(token=token)
    user = request.member.user
    assert user is not None
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password1": exc.messages}) from None
    onetime.use_subject_link(purpose=RECOVERY_PURPOSE, token=token)
    user = selfservice.mobile_set_verified(
        user=user, mobile=request.new_mobile, by=user, detail={"request": request.pk}
    )
    user.set_password(password)
    user.save(update_fields=["password"])
    request.status = MobileRecoveryRequest.Status.DONE
    request.save(update_fields=["status"])
    audit_record(actor=user, action="member.mobile_recovery_done", obj=request)
    return user

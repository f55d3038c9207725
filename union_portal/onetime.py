"""One-time codes by SMS and one-time links: the core's single implementation, for every use of the portal
(2FA enrolment, public objections, founding applications; registration, password reset and changing a mobile
number in [Front door]).

Codes: ``issue_code(purpose=, mobile=)`` sends a 6-digit code through the SMS adapter; ``verify_code(purpose=,
mobile=, code=)`` accepts it once. Only a keyed hash (HMAC with SECRET_KEY and a per-code salt) is stored; a code
expires after ONETIME_CODE_TTL, allows ONETIME_CODE_ATTEMPTS tries, and a new code for the same purpose and
number replaces the old one. Issuing is rate-limited per number and per client address
(``middleware.current_client_ip``, which believes ``X-Forwarded-For`` only from TRUSTED_PROXIES).

Links: ``issue_link(purpose=, user=)`` returns a token (a signed 256-bit random value; only its SHA-256 is
stored) for a URL; ``check_link`` tells whose it is without using it, ``use_link`` uses it once.

Every refusal is a ValidationError with a message people can read (code ``onetime``).

``mark_mobile_verified(user)`` records that this login proved it owns its mobile number (a code sent to it was
entered, or a link sent to it was used); ``mobile_is_verified(user)`` answers whether that still holds for the
number the account carries now."""

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from .identity import mobile_hash, validate_mobile
from .middleware import current_client_ip
from .models import OneTimeCode, OneTimeLink, User
from .sms import SmsError, get_backend

CODE_DIGITS = 6
ERROR_CODE = "onetime"


def _code_hash(salt: str, code: str) -> str:
    return salted_hmac("union_portal.onetime.code", f"{salt}:{code}", algorithm="sha256").hexdigest()


def _failures_key(row: OneTimeCode) -> str:
    return f"onetime:failures:{row.salt}"


def _purpose_label(purpose: str) -> str:
    labels = {
        "objection": _("objection to a candidate"),
        "founding": _("union founding application"),
        "register": _("registration"),
        "password_reset": _("password reset"),
        "mobile_change": _("change of mobile number"),
        "login": _("log-in"),
    }
    return labels.get(purpose, _("verification"))


@transaction.atomic
def issue_code(
    *,
    purpose: str,
    mobile: str,
    ip: str | None = None,
    now: dt.datetime | None = None,
    text: str | None = None,
    deliver: bool = True,
) -> OneTimeCode:
    """Send a new code for ``purpose`` to ``mobile`` by SMS (``deliver=False``: count and store it, send
    nothing; for a number that must not be told apart from one that is sent a code, e.g. a password reset for
    a number without an account). Refused (ValidationError) when the number had a
    code less than ONETIME_CODE_INTERVAL ago or ONETIME_CODES_PER_MOBILE_PER_HOUR in the last hour, or the
    client address asked for ONETIME_CODES_PER_ADDRESS_PER_HOUR codes in the last hour. Earlier unused codes for
    the same purpose and number stop working. ``ip`` defaults to the current request's client address. ``text``:
    the SMS's own wording (with ``%(code)s`` and ``%(minutes)s``) for a code the person is meant to read out to
    someone, such as a member's consent read to their union's handler; default: "do not tell it to anyone"."""
    now = now or timezone.now()
    mobile = validate_mobile(mobile)
    ip = ip if ip is not None else current_client_ip()
    hour_ago = now - dt.timedelta(hours=1)
    recent = OneTimeCode.objects.filter(mobile_hash=mobile_hash(mobile), created_at__gt=hour_ago)
    if recent.filter(created_at__gt=now - settings.ONETIME_CODE_INTERVAL).exists():
        raise ValidationError(_("A code was sent to this number a moment ago. Wait a minute."), code=ERROR_CODE)
    if recent.count() >= settings.ONETIME_CODES_PER_MOBILE_PER_HOUR:
        raise ValidationError(_("Too many codes were sent to this number. Try again in an hour."), code=ERROR_CODE)
    if ip and OneTimeCode.objects.filter(ip=ip, created_at__gt=hour_ago).count() >= (
        settings.ONETIME_CODES_PER_ADDRESS_PER_HOUR
    ):
        raise ValidationError(_("Too many codes were requested from your network. Try again later."), code=ERROR_CODE)
    row, code = _new_code(purpose=purpose, mobile=mobile, ip=ip, now=now)
    minutes = int(settings.ONETIME_CODE_TTL.total_seconds() // 60)
    if text is not None:
        text = text % {"code": code, "minutes": minutes}
    else:
        text = _("Your code for %(purpose)s is %(code)s, valid for %(minutes)s minutes. Do not tell it to anyone.") % {
            "purpose": _purpose_label(purpose),
            "code": code,
            "minutes": minutes,
        }
    if not deliver:
        return row
    try:
        get_backend().send(mobile, text)
    except SmsError as exc:
        raise ValidationError(_("The SMS could not be sent. Try again later."), code=ERROR_CODE) from exc
    return row


def _new_code(*, purpose: str, mobile: str, ip: str | None, now: dt.datetime) -> tuple[OneTimeCode, str]:
    OneTimeCode.objects.filter(purpose=purpose, mobile_hash=mobile_hash(mobile), used_at__isnull=True).update(
        expires_at=now
    )
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    salt = secrets.token_hex(16)
    row = OneTimeCode.objects.create(
        purpose=purpose,
        mobile_hash=mobile_hash(mobile),
        salt=salt,
        code_hash=_code_hash(salt, code),
        ip=ip or None,
        created_at=now,
        expires_at=now + settings.ONETIME_CODE_TTL,
    )
    return row, code


def code_for_seed(*, purpose: str, mobile: str) -> str:
    """A valid code created without an SMS and without the rate limits: for demo data and tests only (the
    person in them has no phone to read it from). Never call it from a view or a service."""
    return _new_code(purpose=purpose, mobile=validate_mobile(mobile), ip=None, now=timezone.now())[1]


def verify_code(*, purpose: str, mobile: str, code: str, now: dt.datetime | None = None) -> None:
    """Accept ``code`` for ``purpose`` and ``mobile`` once, or raise ValidationError. The newest unused code is
    locked while it is checked. A wrong code counts against the code's tries both in its row and in the cache,
    so that a caller's transaction rolled back by the ValidationError cannot give the guesser fresh tries."""
    now = now or timezone.now()
    code = (code or "").strip()
    try:
        mobile = validate_mobile(mobile)
    except ValidationError:
        raise ValidationError(_("The code is wrong or has expired. Ask for a new one."), code=ERROR_CODE) from None
    wrong = False
    with transaction.atomic():
        row = (
            OneTimeCode.objects.select_for_update()
            .filter(purpose=purpose, mobile_hash=mobile_hash(mobile), used_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at", "-id")
            .first()
        )
        if row is None:
            raise ValidationError(_("The code is wrong or has expired. Ask for a new one."), code=ERROR_CODE)
        failures = max(row.attempts, cache.get(_failures_key(row), 0))
        if failures >= settings.ONETIME_CODE_ATTEMPTS:
            raise ValidationError(_("Too many wrong codes. Ask for a new one."), code=ERROR_CODE)
        if not (code.isdigit() and hmac.compare_digest(row.code_hash, _code_hash(row.salt, code))):
            wrong = True
            row.attempts = failures + 1
            row.save(update_fields=["attempts"])
            cache.set(_failures_key(row), row.attempts, timeout=int(settings.ONETIME_CODE_TTL.total_seconds()) + 60)
        else:
            row.used_at = now
            row.save(update_fields=["used_at"])
    if wrong:  # raised after the block, so that the count above is kept when the caller's transaction is not
        raise ValidationError(_("The code is wrong or has expired. Ask for a new one."), code=ERROR_CODE)


# --- one-time links ------------------------------------------------------------------------------------------


def _signer(purpose: str) -> signing.Signer:
    return signing.Signer(salt=f"union_portal.onetime.link.{purpose}")


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _issue(
    *, purpose: str, owner: dict, too_many: str, by: User | None, ttl: dt.timedelta | None, now: dt.datetime | None
) -> str:
    """A new link of ``purpose`` for ``owner`` (``{"user": ...}`` or ``{"subject": ..., "user": None}``): earlier
    unused ones of the same owner stop working; refused with ``too_many`` after ONETIME_LINKS_PER_USER_PER_HOUR
    links in an hour."""
    now = now or timezone.now()
    links = OneTimeLink.objects.filter(purpose=purpose, **owner)
    if links.filter(created_at__gt=now - dt.timedelta(hours=1)).count() >= settings.ONETIME_LINKS_PER_USER_PER_HOUR:
        raise ValidationError(too_many, code=ERROR_CODE)
    links.filter(used_at__isnull=True).update(expires_at=now)
    raw = secrets.token_urlsafe(32)
    OneTimeLink.objects.create(
        purpose=purpose,
        token_hash=_token_hash(raw),
        created_by=by if getattr(by, "is_authenticated", False) else None,
        created_at=now,
        expires_at=now + (ttl or settings.ONETIME_LINK_TTL),
        **owner,
    )
    return _signer(purpose).sign(raw)


@transaction.atomic
def issue_link(
    *, purpose: str, user: User, by: User | None = None, ttl: dt.timedelta | None = None, now: dt.datetime | None = None
) -> str:
    """A new single-use token for ``purpose`` and ``user`` (put it in a URL). Earlier unused links of the same
    purpose for the user stop working. Refused after ONETIME_LINKS_PER_USER_PER_HOUR links in an hour."""
    too_many = _("Too many links were sent for this account. Try again in an hour.")
    return _issue(purpose=purpose, owner={"user": user}, too_many=too_many, by=by, ttl=ttl, now=now)


def _live_links(purpose: str, token: str, now: dt.datetime, *, subject: bool = False):
    try:
        raw = _signer(purpose).unsign(token or "")
    except signing.BadSignature:
        return OneTimeLink.objects.none()
    return OneTimeLink.objects.filter(
        purpose=purpose,
        token_hash=_token_hash(raw),
        used_at__isnull=True,
        expires_at__gt=now,
        user__isnull=subject,
    )


def _use(purpose: str, token: str, now: dt.datetime | None, *, subject: bool) -> OneTimeLink:
    """Lock a live link, mark it used and return it; ValidationError when there is none (or, for a user's link,
    when its user is no longer active). The caller's transaction holds the lock."""
    now = now or timezone.now()
    link = _live_links(purpose, token, now, subject=subject).select_for_update().first()
    if link is None or (not subject and not link.user.is_active):
        raise ValidationError(_("This link is invalid, has expired or was already used."), code=ERROR_CODE)
    link.used_at = now
    link.save(update_fields=["used_at"])
    return link


def check_link(*, purpose: str, token: str, now: dt.datetime | None = None) -> User:
    """The user a valid, unused link belongs to (the link stays usable), or ValidationError."""
    link = _live_links(purpose, token, now or timezone.now()).select_related("user").first()
    if link is None or not link.user.is_active:
        raise ValidationError(_("This link is invalid, has expired or was already used."), code=ERROR_CODE)
    return link.user


@transaction.atomic
def use_link(*, purpose: str, token: str, now: dt.datetime | None = None) -> User:
    """Use a link once: locks it, marks it used, returns its user; ValidationError when it is not valid. Run it
    in the same transaction as what the link allows, so that a failure there leaves the link usable."""
    user = _use(purpose, token, now, subject=False).user
    assert user is not None  # noqa: S101 - a user's link (subject=False) always has one
    return user


@transaction.atomic
def issue_subject_link(
    *,
    purpose: str,
    subject: str,
    by: User | None = None,
    ttl: dt.timedelta | None = None,
    now: dt.datetime | None = None,
) -> str:
    """A single-use token for someone who has no account yet, named by ``subject`` (e.g. ``member:42``, which
    only the app that issued it reads). Earlier unused links of the same purpose and subject stop working.
    Refused after ONETIME_LINKS_PER_USER_PER_HOUR links for the subject in an hour."""
    too_many = _("Too many links were sent for this person. Try again in an hour.")
    owner = {"subject": subject, "user": None}
    return _issue(purpose=purpose, owner=owner, too_many=too_many, by=by, ttl=ttl, now=now)


def check_subject_link(*, purpose: str, token: str, now: dt.datetime | None = None) -> str:
    """The subject of a valid, unused subject link (the link stays usable), or ValidationError."""
    link = _live_links(purpose, token, now or timezone.now(), subject=True).first()
    if link is None:
        raise ValidationError(_("This link is invalid, has expired or was already used."), code=ERROR_CODE)
    return link.subject


@transaction.atomic
def use_subject_link(*, purpose: str, token: str, now: dt.datetime | None = None) -> str:
    """Use a subject link once (locked, marked used) and return its subject; ValidationError when it is not
    valid. Run it in the transaction of what the link allows."""
    return _use(purpose, token, now, subject=True).subject


# --- a login's verified mobile ---------------------------------------------------------------------------------


def mark_mobile_verified(user: User, *, now: dt.datetime | None = None) -> None:
    """Record that ``user`` proved it owns ``user.mobile`` (a code sent there was entered, or a link sent there
    was used). Call it only right after such a proof."""
    if not user.mobile:
        return
    user.mobile_verified_at = now or timezone.now()
    user.mobile_verified_number = user.mobile
    digest = mobile_hash(user.mobile)
    # One verified number, one account (the constraint on User.mobile_hash): a number another account verified
    # first stays that account's login; this one keeps logging in with its username.
    taken = User.objects.filter(mobile_hash=digest).exclude(pk=user.pk).exists()
    user.mobile_hash = "" if taken else digest
    user.save(update_fields=["mobile_verified_at", "mobile_verified_number", "mobile_hash"])


def user_for_mobile(mobile: str) -> User | None:
    """The account whose verified mobile number is ``mobile`` (any spelling), or None."""
    try:
        mobile = validate_mobile(mobile)
    except ValidationError:
        return None
    return User.objects.filter(mobile_hash=mobile_hash(mobile)).first()


def mobile_is_verified(user: User) -> bool:
    """Whether this login proved it owns the mobile number it carries now (a changed number is not)."""
    return bool(user.mobile and user.mobile_verified_at and user.mobile_verified_number == user.mobile)

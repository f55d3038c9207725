"""A worker's own account ([Front door]): registering with a mobile number and an SMS code, resetting a forgotten
password by SMS code, and changing the account's mobile number by a code sent to the new one; logging in by SMS
code (workers only, for the API: issue 17).

The codes are the core's one-time codes (``onetime.issue_code``/``verify_code``: expiry, tries and the rate
limits per number and per address live there). Every function is keyword-only and takes no request, so the
API (issue 17) can call them as the views do. An account registered here holds no role; it is linked to a
member record only by the members app, as [Trust] C1 requires."""

import datetime as dt
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from . import onetime
from .audit import audit_record
from .identity import mobile_hash, validate_mobile
from .models import User

REGISTER = "register"
PASSWORD_RESET = "password_reset"  # noqa: S105 - a code purpose, not a password
MOBILE_CHANGE = "mobile_change"
LOGIN = "login"


class StaffNeedsPassword(Exception):
    """Raised by ``login_by_code`` for an account that can reach staff pages: it logs in with its password and
    second factor only. Raised only after the code was right (the caller owns the number: nothing leaks)."""

    def __init__(self, user: User):
        super().__init__("staff")
        self.user = user


def _number(mobile: str, field: str = "mobile") -> str:
    try:
        return validate_mobile(mobile)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None


def _taken_error() -> ValidationError:
    return ValidationError(
        {
            "mobile": _(
                "This mobile number already has an account. Log in with it, or use “Forgot password” if you "
                "do not remember the password."
            )
        },
        code="mobile_taken",
    )


def mobile_has_account(mobile: str) -> bool:
    return get_user_model().objects.filter(mobile_hash=mobile_hash(mobile)).exists()


def new_username() -> str:
    """A generated username for an account that logs in with its mobile number (never derived from the number,
    which would put it in URLs, the admin and the audit log)."""
    users = get_user_model().objects
    while True:
        candidate = f"w{secrets.token_hex(5)}"
        if not users.filter(username=candidate).exists():
            return candidate


# --- registering ------------------------------------------------------------------------------------------


def register_code_send(
    *, mobile: str, ip: str | None = None, now: dt.datetime | None = None, quiet: bool = False
) -> None:
    """Send a registration code to ``mobile``; refused when the number already has an account. ``quiet`` (the
    API): no refusal; a number that has an account is sent, under the same rate limits, a message saying so
    and no code, so that the answer does not tell whether the number has an account."""
    mobile = _number(mobile)
    if mobile_has_account(mobile):
        if not quiet:
            raise _taken_error()
        notice = _(
            "This mobile number already has an account. Log in with it, or use “Forgot password” if you do not "
            "remember the password."
        )
        onetime.issue_code(purpose=REGISTER, mobile=mobile, ip=ip, now=now, text=notice.replace("%", "%%"))
        return
    onetime.issue_code(purpose=REGISTER, mobile=mobile, ip=ip, now=now)


@transaction.atomic
def account_register(
    *, mobile: str, code: str, full_name: str, password: str, now: dt.datetime | None = None, quiet: bool = False
) -> User:
    """Create a worker's account for ``mobile`` once the registration code is right: no role, the mobile
    verified, a generated username (the person logs in with the number). One account per verified number:
    checked here and held by the constraint on User.mobile_hash. The password follows AUTH_PASSWORD_VALIDATORS
    and is checked before the code, so that a weak password does not use the code up. ``quiet`` (the API):
    a number that has an account is told so only after a right code (whose holder owns the number); before,
    it gets the answer of a wrong code and the try is counted."""
    mobile = _number(mobile)
    full_name = full_name.strip()
    if not full_name:
        raise ValidationError({"full_name": _("Enter your name.")})
    if mobile_has_account(mobile) and not quiet:
        raise _taken_error()
    User = get_user_model()
    user = User(username=new_username(), full_name=full_name, mobile=mobile)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password1": exc.messages}) from None
    try:
        onetime.verify_code(purpose=REGISTER, mobile=mobile, code=code, now=now)
    except ValidationError as exc:
        raise ValidationError({"code": exc.messages}) from None
    if quiet and mobile_has_account(mobile):  # only now: the holder of a right code owns the number
        raise _taken_error()
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            onetime.mark_mobile_verified(user, now=now)
            if not user.mobile_hash:  # another account verified the number in the meantime
                raise IntegrityError
    except IntegrityError:
        raise _taken_error() from None
    audit_record(actor=user, action="account.register", obj=user)
    return user


# --- a forgotten password ---------------------------------------------------------------------------------


def password_reset_code_send(*, mobile: str, ip: str | None = None, now: dt.datetime | None = None) -> None:
    """Send a password-reset code to ``mobile`` when it is an account's verified number. The caller tells the
    person the same thing either way: for a number without an account the code is counted against the same
    rate limits but not sent (``deliver=False``), so neither the answer nor the limits tell the two apart."""
    mobile = _number(mobile)
    user = onetime.user_for_mobile(mobile)
    deliver = user is not None and user.is_active
    onetime.issue_code(purpose=PASSWORD_RESET, mobile=mobile, ip=ip, now=now, deliver=deliver)


@transaction.atomic
def password_reset(*, mobile: str, code: str, password: str, now: dt.datetime | None = None) -> User:
    """Set a new password for the account whose verified number is ``mobile`` once the reset code is right.
    A wrong code and a number without an account get the same answer. Other sessions and the account's API
    tokens end (the password is part of both); the login lockout for the account is lifted; the second factor
    of a staff account is untouched (they still need it to log in). Audited."""
    from . import apitokens

    mobile = _number(mobile)
    user = onetime.user_for_mobile(mobile)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password1": exc.messages}) from None
    try:
        onetime.verify_code(purpose=PASSWORD_RESET, mobile=mobile, code=code, now=now)
    except ValidationError as exc:
        raise ValidationError({"code": exc.messages}) from None
    if user is None or not user.is_active:  # no code was sent: verify_code cannot have passed; belt and braces
        raise ValidationError({"code": _("The code is wrong or has expired. Ask for a new one.")})
    user.set_password(password)
    user.save(update_fields=["password"])
    apitokens.tokens_revoke_all(user=user, reason="password")
    _axes_reset(user.get_username(), mobile)
    audit_record(actor=user, action="auth.password_reset", obj=user)
    return user


# --- logging in by SMS code (the API) ---------------------------------------------------------------------


def login_code_send(*, mobile: str, ip: str | None = None, now: dt.datetime | None = None) -> None:
    """Send a log-in code to ``mobile`` when it is an active account's verified number. The caller tells the
    person the same thing either way: a number without an account is counted against the same rate limits but
    sent nothing, as for a password reset."""
    mobile = _number(mobile)
    user = onetime.user_for_mobile(mobile)
    deliver = user is not None and user.is_active
    onetime.issue_code(purpose=LOGIN, mobile=mobile, ip=ip, now=now, deliver=deliver)


def login_by_code(*, mobile: str, code: str, now: dt.datetime | None = None) -> User:
    """The worker's account whose verified number is ``mobile``, once the log-in code is right. A wrong code
    and a number without an account get the same answer. An account that can reach staff pages raises
    ``StaffNeedsPassword`` (after the code, which is used up): staff log in with password and second factor.
    The caller issues the tokens (``apitokens.token_issue``, audited)."""
    from . import apitokens

    mobile = _number(mobile)
    try:
        onetime.verify_code(purpose=LOGIN, mobile=mobile, code=code, now=now)
    except ValidationError as exc:
        raise ValidationError({"code": exc.messages}) from None
    user = onetime.user_for_mobile(mobile)
    if user is None or not user.is_active:  # no code was sent: verify_code cannot have passed; belt and braces
        raise ValidationError({"code": _("The code is wrong or has expired. Ask for a new one.")})
    if apitokens.is_staff_account(user):
        audit_record(actor=user, action="auth.token", obj=user, result="denied", detail={"reason": "sms_staff"})
        raise StaffNeedsPassword(user)
    return user


def _axes_reset(*usernames: str) -> None:
    from axes.utils import reset
    from django.core.cache import cache

    from .auth import _user_key

    for username in usernames:
        reset(username=username)
        cache.delete(_user_key(username))


# --- changing the mobile number ---------------------------------------------------------------------------


def mobile_change_code_send(
    *, user: User, mobile: str, ip: str | None = None, now: dt.datetime | None = None, quiet: bool = False
) -> None:
    """Send a code to the NEW number ``mobile`` that ``user`` wants to use. ``quiet`` (the API): a number
    that belongs to another account is sent a code too, and ``mobile_change_confirm`` says so only after the
    right code (the answer here does not tell whether the number has an account)."""
    mobile = _number(mobile)
    if user.mobile == mobile and onetime.mobile_is_verified(user):
        raise ValidationError({"mobile": _("This is already your mobile number.")})
    holder = onetime.user_for_mobile(mobile)
    if holder is not None and holder.pk != user.pk and not quiet:
        raise ValidationError({"mobile": _("This mobile number belongs to another account.")})
    onetime.issue_code(purpose=MOBILE_CHANGE, mobile=mobile, ip=ip, now=now)


@transaction.atomic
def mobile_change_confirm(*, user: User, mobile: str, code: str, now: dt.datetime | None = None) -> User:
    """Give ``user`` the new number ``mobile`` once the code sent there is right; it is verified at once.
    Locks the account row. Audited (without the number)."""
    mobile = _number(mobile)
    try:
        onetime.verify_code(purpose=MOBILE_CHANGE, mobile=mobile, code=code, now=now)
    except ValidationError as exc:
        raise ValidationError({"code": exc.messages}) from None
    return _mobile_set(user=user, mobile=mobile, by=user, now=now, action="account.mobile_change")


def _mobile_set(*, user: User, mobile: str, by: User | None, now: dt.datetime | None, action: str, detail=None) -> User:
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    holder = onetime.user_for_mobile(mobile)
    if holder is not None and holder.pk != user.pk:
        raise ValidationError({"mobile": _("This mobile number belongs to another account.")})
    user.mobile = mobile
    user.mobile_hash = ""
    user.save(update_fields=["mobile", "mobile_hash"])
    onetime.mark_mobile_verified(user, now=now)
    audit_record(actor=by, action=action, obj=user, detail=detail or {})
    return user


@transaction.atomic
def mobile_set_verified(*, user: User, mobile: str, by: User | None, detail=None, now=None) -> User:
    """Give ``user`` the number ``mobile`` that a caller has just proven (a code or a link sent to it was
    used): for the members app's lost-number request. Audited as ``account.mobile_replace``."""
    return _mobile_set(
        user=user, mobile=_number(mobile), by=by, now=now, action="account.mobile_replace", detail=detail
    )


def login_username(typed: str) -> str:
    """What the login form passes on as the username: a mobile number that is an account's verified number
    and not itself a username becomes that account's username; anything else is left as typed."""
    typed = (typed or "").strip()
    User = get_user_model()
    if not typed or User.objects.filter(username__iexact=typed).exists():
        return typed
    user = onetime.user_for_mobile(typed)
    return user.get_username() if user is not None else typed

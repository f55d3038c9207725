"""Login lockout on top of django-axes (docs/security.md, 等保 8.1.4.1 b).

- Per account and address (``AXES_LOCKOUT_PARAMETERS``): 5 failures within 15 minutes lock that account from
  that address for 30 minutes. Guesses from elsewhere do not lock the real user out of her own office.
- Per account from all addresses (``LOGIN_USER_FAILURE_LIMIT`` within ``LOGIN_USER_WINDOW``, 50 an hour):
  the account is then locked everywhere until the window has passed, except from an address it logged in
  from successfully in the last ``LOGIN_KNOWN_ADDRESS_DAYS`` days. Attempts refused because of a lock are
  not guesses and are not counted, so one address cannot reach this limit on its own."""

from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from .middleware import client_ip_from


def _username(credentials) -> str | None:
    field = getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")  # axes.conf sets it; not in the stubs
    return (credentials or {}).get(field) or (credentials or {}).get("username") or None


def _user_key(username: str) -> str:
    return f"login-fail-user:{username}"


def account_failures(username: str) -> int:
    """Failed log-ins of ``username`` from all addresses in the current window (LOGIN_USER_WINDOW)."""
    return cache.get(_user_key(username)) or 0


def _count_account_failure(username: str) -> None:
    key, timeout = _user_key(username), int(settings.LOGIN_USER_WINDOW.total_seconds())
    if cache.add(key, 1, timeout=timeout):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=timeout)


def is_known_address(username: str, ip: str | None) -> bool:
    """The account logged in successfully from ``ip`` within LOGIN_KNOWN_ADDRESS_DAYS (from the audit log)."""
    from .models import AuditLog

    if not ip:
        return False
    since = timezone.now() - timedelta(days=settings.LOGIN_KNOWN_ADDRESS_DAYS)
    return AuditLog.objects.filter(
        action="auth.login", result=AuditLog.Result.OK, actor__username=username, ip=ip, at__gte=since
    ).exists()


def account_locked_everywhere(request, credentials) -> bool:
    username = _username(credentials)
    if not username or account_failures(username) < settings.LOGIN_USER_FAILURE_LIMIT:
        return False
    return not is_known_address(username, client_ip_from(request) if request is not None else None)


class WindowedAxesHandler(AxesDatabaseHandler):
    """Axes counts failures until the cool-off passes; we also forget failures older than the window
    (AXES_FAILURE_WINDOW) while the account is not locked, so 5 failures must fall within 15 minutes; and
    we add the slower limit per account from all addresses (module docstring)."""

    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or account_locked_everywhere(request, credentials)

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        username = _username(credentials)
        if username:
            AccessAttempt.objects.filter(
                username=username,
                attempt_time__lt=timezone.now() - settings.AXES_FAILURE_WINDOW,
                failures_since_start__lt=settings.AXES_FAILURE_LIMIT,
            ).delete()
            # An attempt refused by a lock checked no password: it is not a guess.
            if request is not None and not self.is_locked(request, credentials):
                _count_account_failure(username)
        result = super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and not getattr(request, "axes_locked_out", False):
            if account_locked_everywhere(request, credentials):
                from axes.signals import user_locked_out

                request.axes_locked_out = True
                request.axes_credentials = credentials
                user_locked_out.send("axes", request=request, username=username, ip_address=client_ip_from(request))
        return result


def current_password_ok(*, request, user, password: str) -> bool:
    """Check a logged-in user's current password (the password-change form) as a log-in would be checked:
    through django-axes, so a failure counts towards the same locks (per account and address, per account,
    per address) and a locked account is refused whatever the password; a failure is audited."""
    from django.contrib.auth import authenticate

    from .audit import audit_record
    from .models import AuditLog

    if authenticate(request, username=user.get_username(), password=password) is not None:
        return True
    audit_record(actor=user, action="auth.password_change", obj=user, result=AuditLog.Result.FAILED)
    return False

"""Session lifetime, per-IP log-in throttle and no-store caching for pages with personal data."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .middleware import client_ip_from

SESSION_LOGIN_AT = "portal_login_at"
# Every form that checks a password: the log-in page, the API token, the admin's log-in and the password
# change (whose current password is checked like a log-in).
THROTTLED_URL_NAMES = ("login", "api_token", "admin:login", "password_change")


def throttled_paths() -> set[str]:
    return {reverse(name) for name in THROTTLED_URL_NAMES}


def _ip_key(ip: str | None) -> str:
    return f"login-fail-ip:{ip or 'unknown'}"


@receiver(user_logged_in)
def stamp_login_time(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_LOGIN_AT] = int(time.time())


@receiver(user_login_failed)
def count_ip_failure(sender, credentials, request=None, **kwargs):
    if request is None:
        return
    key = _ip_key(client_ip_from(request))
    if cache.add(key, 1, timeout=settings.LOGIN_IP_WINDOW_SECONDS):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=settings.LOGIN_IP_WINDOW_SECONDS)


def ip_is_throttled(request) -> bool:
    return (cache.get(_ip_key(client_ip_from(request))) or 0) >= settings.LOGIN_IP_FAILURE_LIMIT


class PortalSecurityMiddleware:
    """- refuses log-in attempts from an address with too many recent failures (429);
    - ends a session 12 hours after log-in whatever the activity (the idle limit is SESSION_COOKIE_AGE);
    - marks every response to a logged-in user ``Cache-Control: no-store`` (pages carry personal data)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path in throttled_paths() and ip_is_throttled(request):
            message = _("Too many failed log-in attempts from your network. Try again in 15 minutes.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message, "code": "throttled"}, status=429)
            return HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            login_at = request.session.get(SESSION_LOGIN_AT)
            if login_at is None:
                request.session[SESSION_LOGIN_AT] = int(time.time())
            elif time.time() - login_at > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect(f"{reverse('login')}?next={request.path}")
        response = self.get_response(request)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            response["Cache-Control"] = "no-store, private"
        return response

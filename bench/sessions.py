"""Logged-in sessions for the benchmark: a test client or a raw session cookie (for the HTTP load against
gunicorn), past two-factor authentication with a TOTP device created for the run and removed after it."""

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

BENCH_DEVICE_NAME = "benchmark (removed after the run)"


def _verify_two_factor(client: Client, user, cleanups: list[Callable[[], None]]) -> None:
    from django.apps import apps

    if not apps.is_installed("django_otp"):
        return
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, name=BENCH_DEVICE_NAME).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=BENCH_DEVICE_NAME, confirmed=True)
        cleanups.append(lambda: TOTPDevice.objects.filter(pk=device.pk).delete())
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def logged_in_client(username: str, *, cleanups: list[Callable[[], None]]) -> Client:
    user = get_user_model().objects.get(username=username)
    client = Client()
    client.force_login(user)
    cleanups.append(client.logout)  # deletes the session row: runs leave no sessions behind
    _verify_two_factor(client, user, cleanups)
    return client


def session_cookie(username: str, *, cleanups: list[Callable[[], None]]) -> str:
    """``sessionid=...`` for a fresh session of ``username`` (one per simulated browser)."""
    client = logged_in_client(username, cleanups=cleanups)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

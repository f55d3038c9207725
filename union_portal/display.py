"""The large-text mode (适老化): a larger base font size and more spacing, chosen with the switch in the navbar.

A logged-in person's choice is saved on their account (User.large_text) and wins over the device; otherwise the
device remembers it in a cookie. The server renders the class on <html>, so the page never flashes at the
normal size first and no inline script is needed (CSP)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .models import User

LARGE_TEXT_COOKIE = "large_text"
LARGE_TEXT_COOKIE_AGE = 365 * 24 * 3600


def large_text_for(request: HttpRequest | None) -> bool:
    """Whether the page is rendered in large-text mode: the user's saved choice, else the device's cookie."""
    if request is None:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.large_text is not None:
        return bool(user.large_text)
    return request.COOKIES.get(LARGE_TEXT_COOKIE) == "1"


def user_set_large_text(*, user: User, on: bool) -> None:
    """Save the person's choice; it wins over any device's cookie from now on."""
    if user.large_text is not on:
        user.large_text = on
        user.save(update_fields=["large_text"])


def remember_on_device(response: HttpResponse, *, on: bool) -> None:
    response.set_cookie(
        LARGE_TEXT_COOKIE,
        "1" if on else "0",
        max_age=LARGE_TEXT_COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )

"""Login lockout (django-axes), sessions and password rules."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone


def _fail(client, username="handler"):
    return client.post("/accounts/login/", {"username": username, "password": "not-the-password"})


def test_five_failures_lock_the_account_even_for_the_right_password(tree, client, settings):
    for _ in range(4):
        assert _fail(client).status_code == 200  # the form again, with an error

    locked = _fail(client)
    assert locked.status_code == 429

    right = client.post("/accounts/login/", {"username": "handler", "password": settings.DEMO_PASSWORD})
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_four_failures_do_not_lock(tree, client, settings):
    for _ in range(4):
        _fail(client)

    response = client.post("/accounts/login/", {"username": "handler", "password": settings.DEMO_PASSWORD})
    assert response.status_code == 302


def test_the_lock_lifts_after_thirty_minutes(tree, client, settings):
    for _ in range(5):
        _fail(client)
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=31))

    response = client.post("/accounts/login/", {"username": "handler", "password": settings.DEMO_PASSWORD})
    assert response.status_code == 302


def test_failures_older_than_fifteen_minutes_are_forgotten(tree, client, settings):
    for _ in range(4):
        _fail(client)
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))

    assert _fail(client).status_code == 200  # counted afresh: 1, not 5
    response = client.post("/accounts/login/", {"username": "handler", "password": settings.DEMO_PASSWORD})
    assert response.status_code == 302


def test_lockout_is_per_account_not_per_office(tree, client, settings):
    for _ in range(5):
        _fail(client, "handler")

    response = client.post("/accounts/login/", {"username": "huashe_staff", "password": settings.DEMO_PASSWORD})
    assert response.status_code == 302


def test_sessions_end_after_thirty_idle_minutes(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST


@pytest.mark.parametrize("password", ["short1A!", "alllowercaseletters", "1234567890123", "keqiaounion2026"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_strong_password_is_accepted():
    validate_password("Zhigong#Huzhu2026")

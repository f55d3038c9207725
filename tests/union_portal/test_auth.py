"""Login lockout (django-axes), sessions and password rules."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from union_portal.models import AuditLog


def _fail(client, username="handler", ip="127.0.0.1"):
    return client.post("/accounts/login/", {"username": username, "password": "not-the-password"}, REMOTE_ADDR=ip)


def _right(client, settings, username="handler", ip="127.0.0.1"):
    return client.post("/accounts/login/", {"username": username, "password": settings.DEMO_PASSWORD}, REMOTE_ADDR=ip)


def test_five_failures_lock_the_account_from_that_address_even_for_the_right_password(tree, client, settings):
    """Issue 14 M5 replaced the lock by username alone: the lock is on (username, address)."""
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


def test_failures_from_another_address_do_not_lock_the_real_user_out(tree, client, settings):
    """M5: five wrong passwords from an attacker's address lock the account from that address only; the
    finance officer still logs in from her office on payment day."""
    # given: an attacker's five failures
    for _ in range(5):
        _fail(client, "finance", ip="203.0.113.9")

    # when: the attacker, then the real user from her own address, give the right password
    attacker = _right(client, settings, "finance", ip="203.0.113.9")
    real_user = _right(client, settings, "finance", ip="10.20.30.40")

    # then
    assert attacker.status_code == 429
    assert real_user.status_code == 302


def test_many_failures_from_many_addresses_lock_the_account_everywhere(tree, client, settings):
    """M5: the slower limit per account counts failures from all addresses together (50 an hour; 8 here)."""
    settings.LOGIN_USER_FAILURE_LIMIT = 8
    for n in range(8):
        _fail(client, "finance", ip=f"203.0.113.{n}")  # 1 failure each: no address reaches 5

    assert _right(client, settings, "finance", ip="198.51.100.1").status_code == 429
    assert AuditLog.objects.filter(action="auth.lockout", object_repr="finance").exists()


def test_the_account_wide_lock_lets_the_user_in_from_an_address_she_logged_in_from(tree, client, settings):
    """M5: an address the account logged in from (audit log, last 30 days) is not locked by the account-wide
    limit; the (account, address) limit still applies to it."""
    settings.LOGIN_USER_FAILURE_LIMIT = 8
    assert _right(client, settings, "finance", ip="10.20.30.40").status_code == 302
    client.post("/accounts/logout/")
    for n in range(8):
        _fail(client, "finance", ip=f"203.0.113.{n}")

    assert _right(client, settings, "finance", ip="198.51.100.1").status_code == 429
    assert _right(client, settings, "finance", ip="10.20.30.40").status_code == 302


def test_attempts_refused_by_a_lock_are_not_counted_towards_the_account_wide_limit(tree, client, settings):
    """One address cannot reach the account-wide limit alone: once it is locked, its attempts check nothing."""
    settings.LOGIN_USER_FAILURE_LIMIT = 8
    for _ in range(20):
        _fail(client, "finance", ip="203.0.113.9")

    assert _right(client, settings, "finance", ip="198.51.100.1").status_code == 302


def test_wrong_current_passwords_on_the_password_change_form_lock_like_log_ins(tree, login, handler, settings):
    """L6: the password-change form is no oracle for the current password: failures count towards the same
    lock as log-ins, are audited, and the fifth ends the session."""
    client = login(handler)
    form = {"new_password1": "Zhigong#Huzhu2026", "new_password2": "Zhigong#Huzhu2026"}

    answers = [client.post("/accounts/password/", {**form, "old_password": f"guess-{n}"}) for n in range(5)]

    assert [r.status_code for r in answers] == [200, 200, 200, 200, 429]
    assert AuditLog.objects.filter(action="auth.password_change", result="failed", actor=handler).count() == 5
    assert client.get("/inbox/").status_code == 302  # the session ended ("/" is public since issue 16)
    # the right current password, and a log-in from that address, are refused until the lock lifts
    assert _right(client, settings).status_code == 429
    handler.refresh_from_db()
    assert not handler.check_password("Zhigong#Huzhu2026")


def test_a_locked_account_cannot_change_its_password_even_with_the_right_current_one(
    tree, login, handler, client, settings
):
    for _ in range(5):
        _fail(client)
    client = login(handler)

    response = client.post(
        "/accounts/password/",
        {
            "old_password": settings.DEMO_PASSWORD,
            "new_password1": "Zhigong#Huzhu2026",
            "new_password2": "Zhigong#Huzhu2026",
        },
    )

    assert response.status_code == 429
    handler.refresh_from_db()
    assert handler.check_password(settings.DEMO_PASSWORD)


def test_the_right_current_password_changes_it(tree, login, handler, settings):
    client = login(handler)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": settings.DEMO_PASSWORD,
            "new_password1": "Zhigong#Huzhu2026",
            "new_password2": "Zhigong#Huzhu2026",
        },
    )
    assert response.status_code == 302
    handler.refresh_from_db()
    assert handler.check_password("Zhigong#Huzhu2026")


def test_the_password_change_form_is_throttled_per_address(tree, login, handler, settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 2
    client = login(handler)
    form = {"new_password1": "Zhigong#Huzhu2026", "new_password2": "Zhigong#Huzhu2026"}
    for n in range(2):
        client.post("/accounts/password/", {**form, "old_password": f"guess-{n}"})

    response = client.post("/accounts/password/", {**form, "old_password": settings.DEMO_PASSWORD})
    assert response.status_code == 429


def test_sessions_end_after_thirty_idle_minutes(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST


@pytest.mark.parametrize("password", ["short1A!", "alllowercaseletters", "1234567890123", "keqiaounion2026"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_strong_password_is_accepted():
    validate_password("Zhigong#Huzhu2026")

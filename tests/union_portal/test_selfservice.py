"""A worker's own account (issue 16 [Front door]): registering by SMS code, a password reset by SMS code
without account enumeration, a change of mobile number (union_portal.selfservice and its pages)."""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from union_portal import onetime, selfservice
from union_portal.models import AuditLog, OneTimeCode, RoleAssignment
from union_portal.sms import LoggingSmsBackend

MOBILE = "13912345678"
PASSWORD = "Gongren-2026!"


@pytest.fixture
def no_interval(settings):
    """Codes for another purpose right after registering (the core's one-minute interval is per number)."""
    settings.ONETIME_CODE_INTERVAL = dt.timedelta(0)


def _last_code(mobile=MOBILE) -> str:
    phone, text = LoggingSmsBackend.outbox[-1]
    assert phone == mobile
    return re.search(r"(?<!\d)(\d{6})(?!\d)", text).group(1)


def _register(mobile=MOBILE, name="王小工"):
    selfservice.register_code_send(mobile=mobile, ip="10.1.1.1")
    return selfservice.account_register(mobile=mobile, code=_last_code(mobile), full_name=name, password=PASSWORD)


# --- registering --------------------------------------------------------------------------------------------


def test_a_newcomer_registers_with_an_sms_code_and_gets_a_verified_account_without_a_role(db):
    # when
    user = _register()
    # then
    assert user.mobile == MOBILE and onetime.mobile_is_verified(user) and user.check_password(PASSWORD)
    assert MOBILE not in user.username and not RoleAssignment.objects.filter(user=user).exists()
    assert AuditLog.objects.filter(action="account.register", object_id=str(user.pk)).exists()


def test_registration_refuses_a_wrong_code_and_a_weak_password_keeps_the_code(db):
    # given
    selfservice.register_code_send(mobile=MOBILE)
    code = _last_code()
    # when / then: a weak password is refused before the code is used
    with pytest.raises(ValidationError) as weak:
        selfservice.account_register(mobile=MOBILE, code=code, full_name="王", password="12345678")
    assert "password1" in weak.value.message_dict
    with pytest.raises(ValidationError) as wrong:
        selfservice.account_register(
            mobile=MOBILE, code="000000" if code != "000000" else "111111", full_name="王", password=PASSWORD
        )
    assert "code" in wrong.value.message_dict
    # the right code still works
    assert selfservice.account_register(mobile=MOBILE, code=code, full_name="王", password=PASSWORD).pk


def test_an_expired_registration_code_is_refused(db):
    # given
    past = timezone.now() - dt.timedelta(hours=2)
    selfservice.register_code_send(mobile=MOBILE, now=past)
    # when / then
    with pytest.raises(ValidationError):
        selfservice.account_register(mobile=MOBILE, code=_last_code(), full_name="王", password=PASSWORD)


def test_registration_codes_reuse_the_cores_rate_limit_per_number(db):
    # given: a code a moment ago
    selfservice.register_code_send(mobile=MOBILE)
    # when / then: the core's interval applies
    with pytest.raises(ValidationError, match="moment ago|刚刚"):
        selfservice.register_code_send(mobile=MOBILE)
    assert OneTimeCode.objects.filter(purpose="register").count() == 1


def test_one_account_per_mobile_number(db):
    # given
    _register()
    # when / then: a second registration is refused politely, even with a code obtained before
    with pytest.raises(ValidationError) as exc:
        selfservice.register_code_send(mobile=MOBILE)
    assert "忘记密码" in " ".join(exc.value.messages) or "Forgot password" in " ".join(exc.value.messages)
    assert get_user_model().objects.filter(mobile_hash__gt="").count() == 1


def test_the_login_form_accepts_the_mobile_number_and_staff_usernames_still_work(db, client, tree):
    # given
    _register()
    # when: a worker logs in with the number
    response = client.post("/accounts/login/", {"username": MOBILE, "password": PASSWORD})
    # then
    assert response.status_code == 302
    assert client.session["_auth_user_id"]
    # and a staff member logs in with the username
    client.logout()
    staff = get_user_model().objects.get(username="handler")
    staff.set_password(PASSWORD)
    staff.save()
    assert client.post("/accounts/login/", {"username": "handler", "password": PASSWORD}).status_code == 302


# --- a forgotten password -----------------------------------------------------------------------------------


def test_a_password_reset_by_sms_code_sets_the_new_password_and_is_audited(db, no_interval):
    # given
    user = _register()
    # when
    selfservice.password_reset_code_send(mobile=MOBILE)
    selfservice.password_reset(mobile=MOBILE, code=_last_code(), password="Neues-Passwort-1")
    # then
    user.refresh_from_db()
    assert user.check_password("Neues-Passwort-1")
    assert AuditLog.objects.filter(action="auth.password_reset", object_id=str(user.pk)).exists()


def test_a_password_reset_does_not_tell_whether_the_number_has_an_account(db):
    # given: no account for this number
    before = len(LoggingSmsBackend.outbox)
    # when: the code is asked for
    selfservice.password_reset_code_send(mobile="13700001111")
    # then: no SMS, no error, but counted like a real one (the second ask is refused alike)
    assert len(LoggingSmsBackend.outbox) == before
    with pytest.raises(ValidationError, match="moment ago|刚刚"):
        selfservice.password_reset_code_send(mobile="13700001111")
    # and a guessed code gets the same answer as a wrong code
    with pytest.raises(ValidationError) as exc:
        selfservice.password_reset(mobile="13700001111", code="123456", password="Neues-Passwort-1")
    assert "code" in exc.value.message_dict


def test_the_reset_pages_answer_the_same_for_a_number_with_and_without_an_account(db, no_interval, client):
    # given
    _register()
    # when
    known = client.post("/accounts/password/reset/", {"mobile": MOBILE, "send_code": "1"}, follow=True)
    unknown = client.post("/accounts/password/reset/", {"mobile": "13700002222", "send_code": "1"}, follow=True)
    # then
    messages = [[str(m) for m in r.context["messages"]] for r in (known, unknown)]
    assert messages[0] == messages[1]


def test_a_password_reset_lifts_the_login_lockout(db, no_interval, client, settings):
    # given: an account locked out by wrong passwords
    user = _register()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": MOBILE, "password": "wrong-Password-1"})
    assert client.post("/accounts/login/", {"username": MOBILE, "password": PASSWORD}).status_code != 302
    # when
    selfservice.password_reset_code_send(mobile=MOBILE)
    selfservice.password_reset(mobile=MOBILE, code=_last_code(), password="Neues-Passwort-1")
    # then
    assert client.post("/accounts/login/", {"username": MOBILE, "password": "Neues-Passwort-1"}).status_code == 302
    assert str(user.pk) == client.session["_auth_user_id"]


def test_a_staff_account_keeps_its_second_factor_after_a_password_reset(tree, no_interval, client, handler):
    # given: the handler's verified mobile, a confirmed authenticator
    from django_otp.plugins.otp_totp.models import TOTPDevice

    handler.mobile = "13600001234"
    handler.save()
    onetime.mark_mobile_verified(handler)
    TOTPDevice.objects.create(user=handler, name="phone", confirmed=True)
    # when
    selfservice.password_reset_code_send(mobile="13600001234")
    selfservice.password_reset(mobile="13600001234", code=_last_code("13600001234"), password="Neues-Passwort-1")
    # then: the authenticator is still there and the staff pages still ask for it
    assert TOTPDevice.objects.filter(user=handler, confirmed=True).exists()
    client.post("/accounts/login/", {"username": "13600001234", "password": "Neues-Passwort-1"})
    response = client.get("/members/")
    assert response.status_code == 302 and "2fa" in response["Location"]


# --- changing the mobile number -------------------------------------------------------------------------------


def test_a_new_mobile_number_is_confirmed_by_a_code_sent_to_it(db, no_interval):
    # given
    user = _register()
    # when
    selfservice.mobile_change_code_send(user=user, mobile="13511112222")
    selfservice.mobile_change_confirm(user=user, mobile="13511112222", code=_last_code("13511112222"))
    # then
    user.refresh_from_db()
    assert user.mobile == "13511112222" and onetime.mobile_is_verified(user)
    assert onetime.user_for_mobile("13511112222") == user and onetime.user_for_mobile(MOBILE) is None
    assert AuditLog.objects.filter(action="account.mobile_change", object_id=str(user.pk)).exists()


def test_a_number_of_another_account_cannot_be_taken(db, no_interval):
    # given
    _register()
    other = _register(mobile="13511113333", name="李")
    # when / then
    with pytest.raises(ValidationError):
        selfservice.mobile_change_code_send(user=other, mobile=MOBILE)


# --- the pages --------------------------------------------------------------------------------------------


def test_the_register_page_sends_a_code_registers_logs_in_and_follows_next(db, client):
    # when: the code is asked for, without JavaScript
    response = client.post(
        "/accounts/register/", {"mobile": MOBILE, "full_name": "王小工", "next": "/members/join/", "send_code": "1"}
    )
    assert response.status_code == 200 and 'value="王小工"' in response.content.decode()
    code = _last_code()
    response = client.post(
        "/accounts/register/",
        {
            "mobile": MOBILE,
            "code": code,
            "full_name": "王小工",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": "/members/join/",
        },
    )
    # then
    assert response.status_code == 302 and response["Location"] == "/members/join/"
    assert client.session["_auth_user_id"]


def test_the_register_page_never_follows_next_off_the_site(db, client):
    # given
    selfservice.register_code_send(mobile=MOBILE)
    # when
    response = client.post(
        "/accounts/register/",
        {
            "mobile": MOBILE,
            "code": _last_code(),
            "full_name": "王",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": "https://evil.example/",
        },
    )
    # then
    assert response.status_code == 302 and response["Location"] == "/"


def test_the_login_page_links_register_forgot_password_and_join_keeping_next(db, client):
    # when
    body = client.get("/accounts/login/?next=/members/join/5/").content.decode()
    # then
    assert "/accounts/register/?next=%2Fmembers%2Fjoin%2F5%2F" in body
    assert "/accounts/password/reset/" in body and "/members/join/" in body


def test_the_sms_hint_shows_only_in_debug(db, client, settings):
    # given
    settings.DEBUG = False
    assert "服务器日志" not in client.get("/accounts/register/").content.decode()
    # when
    settings.DEBUG = True
    # then
    assert "服务器日志" in client.get("/accounts/register/").content.decode()


def test_the_mobile_change_page_needs_a_login(db, client):
    response = client.get("/accounts/mobile/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_mobile_change_page_changes_the_number(db, no_interval, client):
    # given
    user = _register()
    client.force_login(user)
    # when
    client.post("/accounts/mobile/", {"mobile": "13522223333", "send_code": "1"})
    response = client.post("/accounts/mobile/", {"mobile": "13522223333", "code": _last_code("13522223333")})
    # then
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.mobile == "13522223333"

"""TOTP two-factor authentication for every role holder, with recovery codes; the API token needs it too."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.union_portal.test_views import enrol_by_link, totp_now
from union_portal.models import AuditLog


@pytest.fixture
def password_login(client, settings):
    def _login(username):
        client.post("/accounts/login/", {"username": username, "password": settings.DEMO_PASSWORD})
        return client

    return _login


def _set_up(client, username):
    from django.conf import settings

    return enrol_by_link(client, username, settings.DEMO_PASSWORD)


def test_staff_cannot_reach_any_page_before_the_second_factor(tree, password_login):
    client = password_login("handler")
    for url in ["/", "/members/orgs/", "/inbox/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/setup/")
    assert client.get("/api/v1/members/").status_code in (403, 404)


def test_a_wrong_code_on_the_enrolment_page_confirms_nothing_and_keeps_the_link(tree, client, handler):
    from urllib.parse import urlparse

    from union_portal.twofactor import enrolment_link_send

    path = urlparse(enrolment_link_send(user=handler)).path
    client.get(path)
    response = client.post(
        path, {"new_password1": "Zhigong#Huzhu2027", "new_password2": "Zhigong#Huzhu2027", "code": "000000"}
    )
    assert response.status_code == 200 and not TOTPDevice.objects.get(user=handler).confirmed
    assert client.get(path).status_code == 200  # the link is still usable
    handler.refresh_from_db()
    assert not handler.check_password("Zhigong#Huzhu2027")


def test_next_login_asks_for_the_code_and_accepts_a_recovery_code_once(tree, password_login, client, settings):
    client = password_login("handler")
    _device, codes = _set_up(client, "handler")
    client.post("/accounts/logout/")

    client = password_login("handler")
    assert client.get("/")["Location"].startswith("/accounts/2fa/verify/")
    assert client.post("/accounts/2fa/verify/", {"code": codes[0]}).status_code == 302
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")

    client = password_login("handler")
    client.post("/accounts/2fa/verify/", {"code": codes[0]})  # used already
    assert client.get("/").status_code == 302
    assert AuditLog.objects.filter(action="auth.2fa", result="failed").exists()


def test_workers_need_no_second_factor(tree, password_login):
    assert password_login("worker").get("/").status_code == 200


def test_staff_api_tokens_need_a_two_factor_code(tree, client, settings):
    from django.contrib.auth import get_user_model

    handler = get_user_model().objects.get(username="handler")
    device = TOTPDevice.objects.create(user=handler, name="app", confirmed=True)

    without = client.post("/api/v1/auth/token/", {"username": "handler", "password": settings.DEMO_PASSWORD})
    with_code = client.post(
        "/api/v1/auth/token/", {"username": "handler", "password": settings.DEMO_PASSWORD, "otp": totp_now(device)}
    )
    worker = client.post("/api/v1/auth/token/", {"username": "worker", "password": settings.DEMO_PASSWORD})

    assert without.status_code == 400 and without.json()["code"] == "otp_required"
    assert with_code.status_code == 200 and with_code.json()["access"]
    assert worker.status_code == 200


def test_the_local_demo_can_turn_two_factor_off(tree, password_login, settings):
    settings.OTP_REQUIRED = False
    assert password_login("handler").get("/").status_code == 200


@pytest.fixture
def superuser(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("root", "root@example.cn", "Zhigong#Huzhu2026")


def test_an_account_without_a_role_that_can_reach_the_admin_needs_the_second_factor(tree, client, superuser):
    """H3: a superuser (no role assignment) logging in to the admin with a password alone does not get in."""
    # given: the admin's own log-in form, the right password
    response = client.post(
        "/django-admin/login/?next=/django-admin/",
        {"username": "root", "password": "Zhigong#Huzhu2026", "next": "/django-admin/"},
    )
    assert response.status_code == 302  # the password was right

    # when / then: the admin (and any page) sends it to set up an authenticator first
    for url in ["/django-admin/", "/django-admin/union_portal/user/", "/"]:
        page = client.get(url)
        assert page.status_code == 302 and page["Location"].startswith("/accounts/2fa/setup/"), url


def test_staff_flag_alone_requires_two_factor_and_plain_members_do_not(tree, worker):
    from union_portal.twofactor import requires_two_factor

    assert not requires_two_factor(worker)
    worker.is_staff = True
    assert requires_two_factor(worker)


def test_admin_api_tokens_need_a_two_factor_code_for_a_superuser_too(tree, client, superuser):
    response = client.post("/api/v1/auth/token/", {"username": "root", "password": "Zhigong#Huzhu2026"})
    assert response.status_code == 400 and response.json()["code"] == "otp_required"


def test_the_admin_never_shows_or_exports_otp_secrets_or_recovery_codes(tree, client, superuser, handler):
    """H3: the device pages list who has an authenticator, never its key, QR code or recovery codes."""
    # given: a staff member with an authenticator and recovery codes; a verified superuser in the admin
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    from tests.conftest import verify_two_factor

    totp = TOTPDevice.objects.create(user=handler, name="phone", confirmed=True)
    static = StaticDevice.objects.create(user=handler, name="recovery", confirmed=True)
    StaticToken.objects.create(device=static, token="rcv12345")
    client.force_login(superuser)
    verify_two_factor(client, superuser)

    # when: every page of the device admin, the change pages and the QR code page
    pages = [
        "/django-admin/otp_totp/totpdevice/",
        f"/django-admin/otp_totp/totpdevice/{totp.pk}/change/",
        "/django-admin/otp_static/staticdevice/",
        f"/django-admin/otp_static/staticdevice/{static.pk}/change/",
    ]
    bodies = [client.get(url) for url in pages]

    # then: each is readable, and none carries a key or a code
    assert [response.status_code for response in bodies] == [200, 200, 200, 200]
    for response in bodies:
        body = response.content.decode()
        assert totp.key not in body and "rcv12345" not in body and "qrcode" not in body.lower()
    assert client.get(f"/django-admin/otp_totp/totpdevice/{totp.pk}/config/").status_code in (302, 404)
    assert client.post("/django-admin/otp_totp/totpdevice/add/", {"user": handler.pk}).status_code == 403

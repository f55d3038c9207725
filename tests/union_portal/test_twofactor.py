"""TOTP two-factor authentication for every role holder, with recovery codes; the API token needs it too."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.union_portal.test_views import totp_now
from union_portal.models import AuditLog


@pytest.fixture
def password_login(client, settings):
    def _login(username):
        client.post("/accounts/login/", {"username": username, "password": settings.DEMO_PASSWORD})
        return client

    return _login


def _set_up(client, username):
    client.get("/accounts/2fa/setup/")
    device = TOTPDevice.objects.get(user__username=username)
    return device, client.post("/accounts/2fa/setup/", {"code": totp_now(device)}).context["codes"]


def test_staff_cannot_reach_any_page_before_the_second_factor(tree, password_login):
    client = password_login("handler")
    for url in ["/", "/members/orgs/", "/inbox/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/setup/")
    assert client.get("/api/v1/members/").status_code in (403, 404)


def test_a_wrong_code_does_not_confirm_the_device(tree, password_login):
    client = password_login("handler")
    client.get("/accounts/2fa/setup/")
    response = client.post("/accounts/2fa/setup/", {"code": "000000"})
    assert response.status_code == 200 and not TOTPDevice.objects.get(user__username="handler").confirmed
    assert client.get("/").status_code == 302


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
    assert with_code.status_code == 200 and with_code.json()["token"]
    assert worker.status_code == 200


def test_the_local_demo_can_turn_two_factor_off(tree, password_login, settings):
    settings.OTP_REQUIRED = False
    assert password_login("handler").get("/").status_code == 200

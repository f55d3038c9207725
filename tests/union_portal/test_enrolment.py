"""M6: an authenticator is bound only through a one-time enrolment link sent to the person's own mobile; the
password alone (a manager's, or a thief's) binds none; managers choose no passwords."""

import re
from io import StringIO
from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.union_portal.test_views import totp_now
from union_portal.sms import LoggingSmsBackend

NEW_PASSWORD = "Zhigong#Huzhu2027"


def _link_in_last_sms(mobile: str) -> str:
    phone, text = LoggingSmsBackend.outbox[-1]
    assert phone == mobile
    return urlparse(re.search(r"https?://\S+/accounts/2fa/enrol/\S+/", text).group(0)).path


def _enrol(client, path: str, username: str):
    assert client.get(path).status_code == 200
    device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    return client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD, "code": totp_now(device)})


def test_the_password_alone_binds_no_authenticator_to_an_account_without_one(tree, client, settings, handler):
    # given: a role holder with no authenticator logs in with the right password (or a thief who has it)
    client.post("/accounts/login/", {"username": "handler", "password": settings.DEMO_PASSWORD})
    # when: they open the set-up page and try to confirm a device
    page = client.get("/accounts/2fa/setup/")
    client.post("/accounts/2fa/setup/", {"code": "123456"})
    # then: no secret was shown, no device exists, and they are still held at the set-up page
    assert "qr_svg" not in page.context and "secret" not in page.context
    assert not TOTPDevice.objects.filter(user=handler).exists()
    assert client.get("/")["Location"].startswith("/accounts/2fa/setup/")


def test_a_new_account_sets_its_own_password_and_authenticator_through_the_link_once(tree, login, client, huashe_staff):
    # given: township staff create a handler account (no password chosen by them)
    login(huashe_staff).post(
        "/staff/new/",
        {
            "username": "hs_new",
            "full_name": "新经办人",
            "mobile": "13900000011",
            "role": "handler",
            "node_code": "KQ-HS-002",
        },
    )
    path = _link_in_last_sms("13900000011")
    client.logout()
    # when: the person opens the link from their SMS
    response = _enrol(client, path, "hs_new")
    # then: logged in past the second factor, with their own password and a verified mobile
    assert response.status_code == 200 and len(response.context["codes"]) == 10
    assert client.get("/").status_code == 200
    user = get_user_model().objects.get(username="hs_new")
    assert user.check_password(NEW_PASSWORD) and TOTPDevice.objects.get(user=user).confirmed
    assert user.mobile_verified_at is not None
    # and the link works once
    client.logout()
    assert client.get(path).status_code == 404


def test_after_a_2fa_reset_only_the_link_sent_to_the_persons_mobile_binds_a_new_authenticator(
    tree, login, client, settings, district_admin, handler
):
    # given: handler had an authenticator; the district admin resets it (lost phone)
    handler.mobile = "13900000012"
    handler.save()
    TOTPDevice.objects.create(user=handler, name="old", confirmed=True)
    login(district_admin).post(f"/staff/{handler.pk}/reset-2fa/")
    path = _link_in_last_sms("13900000012")
    client.logout()
    # when: the password is used alone
    client.post("/accounts/login/", {"username": "handler", "password": settings.DEMO_PASSWORD})
    client.get("/accounts/2fa/setup/")
    # then: no authenticator is bound
    assert not TOTPDevice.objects.filter(user=handler).exists()
    # when: the person uses the link
    client.logout()
    assert _enrol(client, path, "handler").status_code == 200
    # then
    assert TOTPDevice.objects.filter(user=handler, confirmed=True).count() == 1


def test_a_role_holder_without_an_authenticator_may_have_a_new_link_sent_to_their_own_mobile(
    tree, client, settings, handler
):
    handler.mobile = "13900000013"
    handler.save()
    client.post("/accounts/login/", {"username": "handler", "password": settings.DEMO_PASSWORD})
    response = client.post("/accounts/2fa/setup/")
    assert response.status_code == 200 and response.context["sent"]
    path = _link_in_last_sms("13900000013")
    assert client.get(path).status_code == 200


def test_createsuperuser_prints_an_enrolment_link(db, client, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", NEW_PASSWORD)
    out = StringIO()
    call_command("createsuperuser", interactive=False, username="root", email="root@example.cn", stdout=out)
    path = urlparse(re.search(r"https?://\S+/accounts/2fa/enrol/\S+/", out.getvalue()).group(0)).path
    assert _enrol(client, path, "root").status_code == 200
    assert TOTPDevice.objects.get(user__username="root").confirmed


@pytest.mark.parametrize("token", ["nonsense", "a:b"])
def test_a_forged_enrolment_link_is_refused(db, client, token):
    assert client.get(f"/accounts/2fa/enrol/{token}/").status_code == 404

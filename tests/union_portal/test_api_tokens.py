"""API tokens (issue 14 M2): staff tokens live like staff sessions, a worker's app gets a short access token and
a single-use refresh token, and every token ends on log-out, password change, 2FA reset, account disable and
role withdrawal; the owner lists and revokes them on their own page."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time
from rest_framework.test import APIClient

from tests.union_portal.test_views import totp_now
from union_portal.apitokens import token_authenticate, token_issue
from union_portal.models import ApiToken, AuditLog, RoleAssignment

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
REFRESH_URL = "/api/v1/auth/token/refresh/"


def _bearer(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def _ok(token: str) -> bool:
    return _bearer(token).get("/api/v1/notifications/").status_code == 200


def _staff_token(handler, settings) -> str:
    device = TOTPDevice.objects.filter(user=handler, confirmed=True).first() or TOTPDevice.objects.create(
        user=handler, name="app", confirmed=True
    )
    response = APIClient().post(
        TOKEN_URL, {"username": handler.username, "password": settings.DEMO_PASSWORD, "otp": totp_now(device)}
    )
    assert response.status_code == 200, response.content
    return response.json()["access"]


def _worker_tokens(worker, settings) -> dict:
    response = APIClient().post(TOKEN_URL, {"username": worker.username, "password": settings.DEMO_PASSWORD})
    assert response.status_code == 200, response.content
    return response.json()


def test_tokens_are_stored_only_as_digests(tree, worker, settings):
    # when the worker's app signs in
    body = _worker_tokens(worker, settings)
    # then the database holds neither token itself
    stored = list(ApiToken.objects.filter(user=worker).values_list("digest", flat=True))
    assert len(stored) == 2 and body["access"] not in stored and body["refresh"] not in stored
    assert body["token_type"] == "Bearer"


def test_staff_token_ends_after_thirty_idle_minutes(tree, handler, settings):
    token = _staff_token(handler, settings)
    start = timezone.now()
    with freeze_time(start + timedelta(minutes=29)):
        assert _ok(token)  # used: the idle limit starts again
    with freeze_time(start + timedelta(minutes=29 + 29)):
        assert _ok(token)
    with freeze_time(start + timedelta(minutes=29 + 29 + 31)):
        assert not _ok(token)


def test_staff_token_ends_twelve_hours_after_issue_however_busy(tree, handler, settings):
    token = _staff_token(handler, settings)
    start = timezone.now()
    for minutes in range(20, 12 * 60, 20):
        with freeze_time(start + timedelta(minutes=minutes)):
            assert _ok(token), minutes
    with freeze_time(start + timedelta(hours=12, minutes=5)):
        assert not _ok(token)


def test_staff_get_no_refresh_token(tree, handler, settings):
    device = TOTPDevice.objects.create(user=handler, name="app", confirmed=True)
    body = (
        APIClient()
        .post(TOKEN_URL, {"username": "handler", "password": settings.DEMO_PASSWORD, "otp": totp_now(device)})
        .json()
    )
    assert body["refresh"] is None


def test_worker_access_token_lasts_about_an_hour_and_refresh_token_renews_it(tree, worker, settings):
    body = _worker_tokens(worker, settings)
    start = timezone.now()
    with freeze_time(start + timedelta(minutes=59)):
        assert _ok(body["access"])
    with freeze_time(start + timedelta(minutes=61)):
        assert not _ok(body["access"])
        renewed = APIClient().post(REFRESH_URL, {"refresh": body["refresh"]})
        assert renewed.status_code == 200
        assert _ok(renewed.json()["access"])
    with freeze_time(start + timedelta(days=31)):
        expired = APIClient().post(REFRESH_URL, {"refresh": renewed.json()["refresh"]})
        assert expired.status_code == 401


def test_refresh_rotates_and_reuse_of_a_rotated_token_revokes_the_family(tree, worker, settings):
    # given an app that refreshed once
    first = _worker_tokens(worker, settings)
    second = APIClient().post(REFRESH_URL, {"refresh": first["refresh"]}).json()
    assert not _ok(first["access"])  # the old access token ended with its refresh token
    assert _ok(second["access"])
    # when someone presents the first (rotated) refresh token again
    reuse = APIClient().post(REFRESH_URL, {"refresh": first["refresh"]})
    # then it is refused and every token of that sign-in ends, the thief's and the app's
    assert reuse.status_code == 401 and reuse.json()["code"] == "reused"
    assert not _ok(second["access"])
    assert APIClient().post(REFRESH_URL, {"refresh": second["refresh"]}).status_code == 401
    assert AuditLog.objects.filter(action="auth.token_reuse", object_id=str(worker.pk)).exists()


def test_refresh_tokens_do_not_authenticate_requests(tree, worker, settings):
    assert not _ok(_worker_tokens(worker, settings)["refresh"])


def test_app_logout_revokes_its_tokens(tree, worker, settings):
    body = _worker_tokens(worker, settings)
    assert _bearer(body["access"]).post("/api/v1/auth/token/revoke/").status_code == 204
    assert not _ok(body["access"])
    assert APIClient().post(REFRESH_URL, {"refresh": body["refresh"]}).status_code == 401


def test_web_logout_revokes_api_tokens(tree, client, worker, settings):
    token = token_issue(user=worker).access
    client.force_login(worker)
    client.post("/accounts/logout/")
    assert token_authenticate(token) is None


def test_password_change_revokes_api_tokens(tree, login, worker, settings):
    token = token_issue(user=worker).access
    response = login(worker).post(
        "/accounts/password/",
        {"old_password": settings.DEMO_PASSWORD, "new_password1": "Xin#Mima2026!", "new_password2": "Xin#Mima2026!"},
    )
    assert response.status_code == 302
    assert token_authenticate(token) is None
    assert ApiToken.objects.filter(user=worker, revoked_reason="password").exists()


def test_password_set_anywhere_ends_api_tokens(tree, worker):
    """Even a password set outside the portal's pages (admin, shell) ends the tokens: they carry the hash."""
    token = token_issue(user=worker).access
    worker.set_password("Another#Mima2026")
    worker.save()
    assert token_authenticate(token) is None


def test_two_factor_reset_ends_sessions_and_tokens(tree, login, client, district_admin, handler, settings):
    token = _staff_token(handler, settings)
    handler_client = type(client)()
    handler_client.force_login(handler)
    login(district_admin).post(f"/staff/{handler.pk}/reset-2fa/")
    assert not _ok(token)
    assert handler_client.get("/members/").status_code == 302
    assert "/accounts/login/" in handler_client.get("/members/")["Location"]


def test_role_withdrawal_ends_sessions_and_tokens(tree, login, client, district_admin, handler, settings):
    # given a handler with a token and a web session
    token = _staff_token(handler, settings)
    handler_client = type(client)()
    handler_client.force_login(handler)
    assert handler_client.get("/accounts/api-tokens/").status_code in (200, 302)
    assignment = RoleAssignment.objects.get(user=handler)
    # when the district admin withdraws the role
    login(district_admin).post(f"/staff/{handler.pk}/roles/{assignment.pk}/withdraw/")
    # then the token and the session have ended
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert not _ok(token)
    response = handler_client.get("/accounts/api-tokens/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_disabled_account_token_is_refused(tree, login, district_admin, handler, settings):
    token = _staff_token(handler, settings)
    login(district_admin).post(f"/staff/{handler.pk}/disable/")
    assert not _ok(token)


def test_owner_lists_and_revokes_their_tokens_on_their_page(tree, login, worker, settings):
    # given two signed-in apps
    first = _worker_tokens(worker, settings)
    second = _worker_tokens(worker, settings)
    client = login(worker)
    page = client.get("/accounts/api-tokens/")
    listed = list(page.context["tokens"])
    assert len(listed) == 2
    # when the owner signs the first one out
    client.post("/accounts/api-tokens/", {"token": listed[0].pk})
    # then that app's tokens end, the other's go on
    alive = [_ok(first["access"]), _ok(second["access"])]
    assert sorted(alive) == [False, True]
    assert len(client.get("/accounts/api-tokens/").context["tokens"]) == 1


def test_nobody_revokes_another_users_token(tree, login, worker, handler, settings):
    body = _worker_tokens(worker, settings)
    victim = ApiToken.objects.filter(user=worker).first()
    response = login(handler).post("/accounts/api-tokens/", {"token": victim.pk})
    assert response.status_code == 404
    assert _ok(body["access"])


def test_the_schema_describes_bearer_tokens_and_refresh(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert "/api/v1/auth/token/refresh/" in schema["paths"]
    assert "refresh" in schema["components"]["schemas"]["TokenResponse"]["properties"]


def test_a_worker_who_became_staff_cannot_refresh(tree, worker, settings):
    from union_portal.models import OrgUnit

    body = _worker_tokens(worker, settings)
    RoleAssignment.objects.create(user=worker, role="handler", node=OrgUnit.objects.first())
    assert APIClient().post(REFRESH_URL, {"refresh": body["refresh"]}).status_code == 401
    assert get_user_model().objects.filter(pk=worker.pk).exists()


def test_a_worker_given_a_first_staff_role_loses_the_app_token_signed_in_without_a_second_factor(
    tree, worker, district_admin, settings
):
    from union_portal import accounts
    from union_portal.models import OrgUnit

    body = _worker_tokens(worker, settings)
    assert _ok(body["access"])
    accounts.role_assign(by=district_admin, target=worker, role="handler", node=OrgUnit.objects.get(code="KQ-HS-001"))
    assert not _ok(body["access"])


def test_sessions_open_before_the_epoch_existed_stay_valid_until_it_is_raised(tree, worker):
    from django.utils.crypto import salted_hmac

    from union_portal.apitokens import user_end_sessions

    djangos = salted_hmac(
        "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash", worker.password, algorithm="sha256"
    ).hexdigest()
    assert worker.get_session_auth_hash() == djangos
    user_end_sessions(user=worker, reason="test")
    assert worker.get_session_auth_hash() != djangos

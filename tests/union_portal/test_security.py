"""Headers, session lifetime, per-IP throttle and the assessor's audit export."""

import io
import time

import pytest
from openpyxl import load_workbook

from tests.mutual_aid.conftest import scheme  # noqa: F401  (the estimator needs a scheme)
from union_portal.models import AuditLog
from union_portal.security import SESSION_LOGIN_AT


def test_pages_carry_a_csp_without_inline_scripts(tree, client):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'self'" in script_src and "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    assert "frame-ancestors 'none'" in policy


def test_no_page_template_has_an_inline_script(tree, login, district_admin):
    client = login(district_admin)
    for url in ["/", "/members/orgs/", "/audit/", "/inbox/", "/api/docs/", "/accounts/login/"]:
        body = client.get(url).content.decode()
        for chunk in body.split("<script")[1:]:
            assert chunk.lstrip().startswith("src=") or " src=" in chunk.split(">")[0], (url, chunk[:80])


def test_pages_for_logged_in_users_are_not_stored(tree, login, handler):
    assert login(handler).get("/").headers["Cache-Control"] == "no-store, private"


def test_a_session_ends_twelve_hours_after_login_even_when_active(tree, login, handler):
    client = login(handler)
    assert client.get("/").status_code == 200
    session = client.session
    session[SESSION_LOGIN_AT] = int(time.time()) - 12 * 3600 - 1
    session.save()

    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/inbox/").status_code == 302  # issue 16: "/" is public; a login page tells


def test_disabled_accounts_lose_their_sessions(tree, login, handler):
    client = login(handler)
    handler.is_active = False
    handler.save()
    assert client.get("/inbox/").status_code == 302  # issue 16: "/" is public


def test_too_many_failures_from_one_address_are_throttled(tree, client, settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 3
    for name in ["handler", "huashe_staff", "qixian_staff"]:  # different accounts: no account lockout
        client.post("/accounts/login/", {"username": name, "password": "wrong"}, REMOTE_ADDR="10.9.9.9")

    blocked = client.post(
        "/accounts/login/", {"username": "finance", "password": settings.DEMO_PASSWORD}, REMOTE_ADDR="10.9.9.9"
    )
    elsewhere = client.post(
        "/accounts/login/", {"username": "finance", "password": settings.DEMO_PASSWORD}, REMOTE_ADDR="10.9.9.8"
    )
    assert blocked.status_code == 429 and elsewhere.status_code == 302


def test_admins_export_the_filtered_audit_log_and_the_export_is_audited(tree, login, district_admin, client):
    client.post("/accounts/login/", {"username": "handler", "password": "wrong"})
    admin = login(district_admin)

    response = admin.get("/audit/export.xlsx?action=auth.login&result=failed")

    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    # issue 16: the same words as the page (action, result), not codes
    assert rows[0][0] == "时间" and len(rows) == 2 and rows[1][2] == "登录" and rows[1][6] == "失败"
    # issue 15: the time is a date cell in local time, not text
    at = load_workbook(io.BytesIO(response.content)).active["A2"]
    assert at.data_type == "d" and at.number_format == "yyyy-mm-dd hh:mm:ss"
    assert AuditLog.objects.filter(action="audit.export", actor=district_admin).exists()


def test_audit_export_is_for_admins_only(tree, login, huashe_staff):
    assert login(huashe_staff).get("/audit/export.xlsx").status_code == 403


def test_the_admin_login_is_throttled_per_address_like_the_login_page(tree, client, settings):
    """M3: failures on /django-admin/login/ count, and block that form, as on /accounts/login/."""
    settings.LOGIN_IP_FAILURE_LIMIT = 3
    for name in ["handler", "huashe_staff", "qixian_staff"]:
        client.post("/django-admin/login/", {"username": name, "password": "wrong"}, REMOTE_ADDR="10.9.9.9")

    blocked = client.post(
        "/django-admin/login/", {"username": "finance", "password": settings.DEMO_PASSWORD}, REMOTE_ADDR="10.9.9.9"
    )
    login_page = client.post(
        "/accounts/login/", {"username": "finance", "password": settings.DEMO_PASSWORD}, REMOTE_ADDR="10.9.9.9"
    )
    assert blocked.status_code == 429 and login_page.status_code == 429


def test_a_client_cannot_choose_its_address_with_x_forwarded_for(tree, client, settings):
    """M4: with no trusted proxy configured, a rotated X-Forwarded-For is ignored by the log-in throttle."""
    settings.LOGIN_IP_FAILURE_LIMIT = 3
    for n, name in enumerate(["handler", "huashe_staff", "qixian_staff"]):
        client.post(
            "/accounts/login/",
            {"username": name, "password": "wrong"},
            REMOTE_ADDR="10.9.9.9",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
            HTTP_X_REAL_IP=f"198.51.100.{n}",
        )

    response = client.post(
        "/accounts/login/",
        {"username": "finance", "password": settings.DEMO_PASSWORD},
        REMOTE_ADDR="10.9.9.9",
        HTTP_X_FORWARDED_FOR="192.0.2.99",
        HTTP_X_REAL_IP="198.51.100.99",
    )
    assert response.status_code == 429


def test_the_forwarded_address_is_believed_only_from_a_trusted_proxy(rf, settings):
    from union_portal.middleware import client_ip_from

    settings.BEHIND_PROXY = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    spoofed = "203.0.113.7, 198.51.100.4"  # the client wrote the first; our proxies appended the rest

    def ip(remote, forwarded=None, real=None):
        meta = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            meta["HTTP_X_FORWARDED_FOR"] = forwarded
        if real is not None:
            meta["HTTP_X_REAL_IP"] = real
        return client_ip_from(rf.get("/", **meta))

    assert ip("198.51.100.4", forwarded="203.0.113.7", real="203.0.113.7") == "198.51.100.4"  # not a proxy
    assert ip("127.0.0.1", forwarded=spoofed) == "198.51.100.4"
    assert ip("127.0.0.1", forwarded=f"{spoofed}, 10.1.2.3") == "198.51.100.4"  # two proxies of ours
    assert ip("127.0.0.1", forwarded="not-an-address") == "127.0.0.1"
    assert ip("127.0.0.1") == "127.0.0.1"


def test_a_proxy_that_is_not_trusted_is_reported_by_the_deploy_checks(settings):
    from union_portal.checks import trusted_proxies_check

    settings.BEHIND_PROXY, settings.TRUSTED_PROXIES = True, []
    assert [w.id for w in trusted_proxies_check(None)] == ["union_portal.W001"]
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert trusted_proxies_check(None) == []


@pytest.fixture
def throttle_rates(settings):
    """throttle_rates(anon="2/minute", ...): the DRF rates for this test. DRF copies them into its throttle
    classes when they are defined, so the copy every throttle reads is replaced, and restored after."""
    from rest_framework.throttling import SimpleRateThrottle

    saved = SimpleRateThrottle.THROTTLE_RATES

    def _set(**rates):
        rest = dict(settings.REST_FRAMEWORK)
        rest["DEFAULT_THROTTLE_RATES"] = {**rest["DEFAULT_THROTTLE_RATES"], **rates}
        settings.REST_FRAMEWORK = rest
        SimpleRateThrottle.THROTTLE_RATES = rest["DEFAULT_THROTTLE_RATES"]

    yield _set
    SimpleRateThrottle.THROTTLE_RATES = saved


def test_rotating_x_forwarded_for_does_not_escape_the_api_estimator_limit(scheme, client, throttle_rates):  # noqa: F811
    """M4: the estimator (and every DRF throttle) keys on the client's address, not on its own header."""
    throttle_rates(estimate="2/minute")
    codes = [
        client.post(
            "/api/v1/mutual-aid/estimate/",
            {"benefit": "inpatient", "base": "1"},
            content_type="application/json",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        ).status_code
        for n in range(3)
    ]
    assert codes == [200, 200, 429]


def test_rotating_x_forwarded_for_does_not_escape_the_token_or_anonymous_limits(tree, client, throttle_rates):
    throttle_rates(token="2/minute", anon="2/minute")
    token = [
        client.post(
            "/api/v1/auth/token/", {"username": "nobody", "password": "x"}, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"
        ).status_code
        for n in range(3)
    ]
    anon = [client.get("/api/v1/awards/honours/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(3)]
    assert token[-1] == 429 and anon[-1] == 429


def test_the_web_estimator_is_throttled_with_the_api_estimator(scheme, client, throttle_rates):  # noqa: F811
    """M4: the web form 互助金试算 draws on the same per-address budget as the API estimator."""
    throttle_rates(estimate="2/minute")
    api = client.post(
        "/api/v1/mutual-aid/estimate/", {"benefit": "inpatient", "base": "1"}, content_type="application/json"
    )
    blank = client.get("/mutual-aid/estimate/")  # the empty form costs nothing
    web = [
        client.get("/mutual-aid/estimate/", {"benefit": "inpatient", "base": "1"}, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
        for n in range(2)
    ]
    assert api.status_code == 200 and blank.status_code == 200
    assert [r.status_code for r in web] == [200, 429] and "Retry-After" in web[1]

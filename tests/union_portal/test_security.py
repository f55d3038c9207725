"""Headers, session lifetime, per-IP throttle and the assessor's audit export."""

import io
import time

from openpyxl import load_workbook

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
    assert client.get("/").status_code == 302


def test_disabled_accounts_lose_their_sessions(tree, login, handler):
    client = login(handler)
    handler.is_active = False
    handler.save()
    assert client.get("/").status_code == 302


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

    response = admin.get("/audit/export.xlsx?action=auth.&result=failed")

    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][0] == "时间" and len(rows) == 2 and rows[1][2] == "auth.login"
    assert AuditLog.objects.filter(action="audit.export", actor=district_admin).exists()


def test_audit_export_is_for_admins_only(tree, login, huashe_staff):
    assert login(huashe_staff).get("/audit/export.xlsx").status_code == 403

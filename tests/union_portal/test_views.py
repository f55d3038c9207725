"""Every demo account logs in and sees a home page fit for its role; views are scoped."""

import pytest
from django.urls import reverse

from union_portal.demo import ACCOUNTS
from union_portal.models import OrgUnit

ALL_USERNAMES = [username for username, *_ in ACCOUNTS]


def totp_now(device) -> str:
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def enrol_by_link(client, username: str, password: str):
    """What the person does with the enrolment link sent to their mobile: open it, choose a password, scan the
    QR code, enter the app's code. Returns (device, recovery codes); the client is then logged in, verified."""
    from urllib.parse import urlparse

    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from union_portal.twofactor import enrolment_link_send

    path = urlparse(enrolment_link_send(user=get_user_model().objects.get(username=username))).path
    assert client.get(path).status_code == 200
    device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    response = client.post(path, {"new_password1": password, "new_password2": password, "code": totp_now(device)})
    assert response.status_code == 200, response.content.decode()[:2000]
    device.refresh_from_db()
    return device, response.context["codes"]


@pytest.mark.parametrize("username", ALL_USERNAMES)
def test_every_demo_account_logs_in_and_sees_its_home_page(tree, client, settings, username):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    response = client.post("/accounts/login/", {"username": username, "password": settings.DEMO_PASSWORD})
    assert response.status_code == 302

    if username != "worker":  # every role holder sets up two-factor authentication first
        # ... through the one-time enrolment link sent to their mobile, never by the password alone
        setup = client.get("/")
        assert setup.status_code == 302 and setup["Location"].startswith("/accounts/2fa/setup/")
        assert not TOTPDevice.objects.filter(user__username=username).exists()
        _device, codes = enrol_by_link(client, username, settings.DEMO_PASSWORD)
        assert len(codes) == 10

    home = client.get("/")
    assert home.status_code == 200
    assert "欢迎" in home.content.decode()


def test_home_shows_each_role_what_it_may_do(tree, login, district_admin, worker):
    admin_page = login(district_admin).get("/").content.decode()
    assert reverse("audit_list") in admin_page and reverse("members:org_list") in admin_page

    worker_page = login(worker).get("/").content.decode()
    assert reverse("audit_list") not in worker_page and reverse("members:org_list") not in worker_page


def test_anonymous_users_are_sent_to_login(tree, client):
    # issue 16: "/" is the public front page now (tests/union_portal/test_front_door.py); the rest still log in
    for url in ["/members/orgs/", "/audit/", "/inbox/", f"/members/orgs/{tree['KQ-HS'].pk}/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_english_is_available(tree, client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert "Log in to the Union Portal" in client.get("/accounts/login/").content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/accounts/login/"})
    assert "登录" in client.get("/accounts/login/").content.decode()


# --- organisation views ----------------------------------------------------------------------------------


def test_org_list_shows_only_the_staff_subtree(tree, login, huashe_staff):
    body = login(huashe_staff).get("/members/orgs/").content.decode()
    assert "华舍街道工会" in body and "齐贤街道工会" not in body


def test_org_detail_of_a_sibling_township_is_404(tree, login, huashe_staff):
    assert login(huashe_staff).get(f"/members/orgs/{tree['KQ-QX-001'].pk}/").status_code == 404


@pytest.mark.parametrize("action", ["edit", "move", "new"])
def test_org_writes_on_a_sibling_township_are_404(tree, login, huashe_staff, action):
    assert login(huashe_staff).get(f"/members/orgs/{tree['KQ-QX'].pk}/{action}/").status_code == 404


def test_a_handler_sees_but_cannot_manage_their_union(tree, login, handler):
    client = login(handler)
    assert client.get(f"/members/orgs/{tree['KQ-HS-001'].pk}/").status_code == 200
    assert client.get(f"/members/orgs/{tree['KQ-HS-001'].pk}/edit/").status_code == 403


def test_org_list_queries_do_not_grow_with_rows(tree, login, district_admin, django_assert_num_queries):
    client = login(district_admin)
    client.get("/members/orgs/")  # warm the session

    # session, user, the verified OTP device, assignments, the page of units; the idle-timeout session
    # save (savepoint, update, release)
    with django_assert_num_queries(7):
        client.get("/members/orgs/")
    parent = tree["KQ-HS"]
    for i in range(30):
        OrgUnit.objects.add_child(parent, {"code": f"KQ-HS-X{i:02d}", "name": f"测试工会{i}", "kind": "grassroots"})
    with django_assert_num_queries(7):
        client.get("/members/orgs/")


def test_township_staff_create_a_union_in_the_browser(tree, login, huashe_staff):
    client = login(huashe_staff)
    response = client.post(
        f"/members/orgs/{tree['KQ-HS'].pk}/new/",
        {"code": "KQ-HS-050", "name": "华舍测试公司工会", "kind": "grassroots"},
    )
    node = OrgUnit.objects.get(code="KQ-HS-050")
    assert response.status_code == 302 and OrgUnit.objects.get_parent(node).code == "KQ-HS"


def test_a_wrong_kind_below_a_township_is_a_clear_error(tree, login, huashe_staff):
    client = login(huashe_staff)
    response = client.post(
        f"/members/orgs/{tree['KQ-HS'].pk}/new/", {"code": "KQ-HS-051", "name": "x", "kind": "district"}
    )
    assert response.status_code == 200 and not OrgUnit.objects.filter(code="KQ-HS-051").exists()


def test_moving_a_union_into_another_township_outside_scope_is_refused(tree, login, huashe_staff):
    client = login(huashe_staff)
    response = client.post(f"/members/orgs/{tree['KQ-HS-003'].pk}/move/", {"new_parent_code": "KQ-QX", "reason": "x"})
    assert response.status_code == 200
    assert OrgUnit.objects.get_parent(tree["KQ-HS-003"]).code == "KQ-HS"


def test_district_admin_moves_a_union_in_the_browser(tree, login, district_admin):
    client = login(district_admin)
    response = client.post(
        f"/members/orgs/{tree['KQ-HS-003'].pk}/move/", {"new_parent_code": "KQ-QX", "reason": "区划调整"}
    )
    assert response.status_code == 302
    assert OrgUnit.objects.get_parent(OrgUnit.objects.get(code="KQ-HS-003")).code == "KQ-QX"


def test_a_unit_cannot_move_under_itself(tree, login, district_admin):
    client = login(district_admin)
    response = client.post(f"/members/orgs/{tree['KQ-HS'].pk}/move/", {"new_parent_code": "KQ-HS-001", "reason": "x"})
    assert response.status_code == 200 and OrgUnit.objects.get_parent(OrgUnit.objects.get(code="KQ-HS")).code == "SX-KQ"


# --- audit log -------------------------------------------------------------------------------------------


def test_audit_log_is_for_admins_only(tree, login, handler, district_admin):
    assert login(handler).get("/audit/").status_code == 403
    assert login(district_admin).get("/audit/").status_code == 200


def test_audit_log_filters_by_action(tree, login, district_admin, client, settings):
    client.post("/accounts/login/", {"username": "handler", "password": "bad"})
    page = login(district_admin).get("/audit/?action=auth.login&result=failed").content.decode()
    # issue 16: the action by its name, not its code (the code is only the drop-down's value)
    assert "<td>登录</td>" in page and ">auth.login<" not in page


def test_audit_log_names_actions_and_objects_and_filters_by_drop_downs(tree, login, district_admin, handler):
    # given an audited change of a staff account
    from union_portal.audit import audit_record

    audit_record(actor=district_admin, action="account.disable", obj=handler)
    # when the admin opens the audit log in Chinese
    page = login(district_admin).get("/audit/?object_type=union_portal.user").content.decode()
    # then the action and the object are in words, and the filters are drop-downs of names
    assert "停用账号" in page and "union_portal.user" not in page.split("<tbody>")[1]
    assert str(handler) in page
    assert '<select name="action"' in page and '<option value="account.disable">停用账号</option>' in page
    assert '<select name="object_type"' in page


def test_every_audit_action_written_in_the_code_has_a_name():
    # given every action code the project's code writes to the audit log
    import re
    from pathlib import Path

    from django.conf import settings

    from union_portal.audit_words import action_labels

    codes = set()
    for path in Path(settings.BASE_DIR).glob("*/**/*.py"):
        if path.parts[len(Path(settings.BASE_DIR).parts)] in ("tests", ".venv", "bench"):
            continue
        codes |= set(re.findall(r'\baction="([a-z_]+\.[a-z_]+)"', path.read_text(encoding="utf-8")))
    # then each one has a readable name
    assert codes and sorted(codes - set(action_labels())) == []


def test_inbox_shows_only_own_messages(tree, login, worker, handler):
    from union_portal.models import Notification

    Notification.objects.create(user=worker, event_key="w", title="给会员的消息", body="x")
    Notification.objects.create(user=handler, event_key="h", title="给经办人的消息", body="x")
    body = login(worker).get("/inbox/").content.decode()
    assert "给会员的消息" in body and "给经办人的消息" not in body

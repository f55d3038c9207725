"""Issue 16 [Front door]: the public front page, tiles by who the user is, the footer (terms, privacy, ICP),
branded error pages, SITE_URL in production and the unread count on 消息中心."""

import pytest
from django.core.cache.backends.base import BaseCache
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection
from django.test import RequestFactory, override_settings
from django.urls import reverse

from union_portal import notifications
from union_portal.nav import public_nav_items

# --- the public front page -----------------------------------------------------------------------------------


def test_an_anonymous_visitor_sees_the_public_tiles_on_the_front_page(tree, client):
    # when
    response = client.get("/")
    body = response.content.decode()
    # then
    assert response.status_code == 200
    for label in ["申请入会", "申请建会", "互助金试算", "公示", "表彰荣誉榜", "竞赛荣誉", "竞赛排行榜", "登录", "注册"]:
        assert label in body, label
    for name in [
        "mutual_aid:estimate",
        "awards:public_notices",
        "awards:public_honours",
        "competitions:board_index",
        "labour:rating_public_notices",
        "labour:rating_honours",
    ]:
        assert f'href="{reverse(name)}"' in body
    # joining and founding need an account: the tile logs in first and comes back
    assert 'href="/accounts/login/?next=%2Fmembers%2Fjoin%2F"' in body
    assert 'href="/accounts/login/?next=%2Fmembers%2Ffounding%2Fnew%2F"' in body


def test_the_front_page_tiles_come_from_the_apps_nav_modules(tree):
    # when
    names = [item.url_name for item in public_nav_items()]
    # then each app offers its own public pages, the core its log-in and sign-up, last
    assert names == [
        "members:join_start",
        "members:founding_new",
        "mutual_aid:estimate",
        "competitions:board_index",
        "competitions:honour_roll",
        "labour:rating_public_notices",
        "labour:rating_honours",
        "awards:public_notices",
        "awards:public_honours",
        "login",
        "register",
    ]


def test_the_public_pages_the_tiles_lead_to_open_without_logging_in(tree, client):
    for name in [
        "mutual_aid:estimate",
        "awards:public_notices",
        "awards:public_honours",
        "competitions:board_index",
        "labour:rating_public_notices",
        "labour:rating_honours",
    ]:
        assert client.get(reverse(name)).status_code == 200, name
    for name in ["terms", "privacy"]:
        assert client.get(reverse(name)).status_code == 200, name


def test_the_front_page_costs_no_query_for_a_visitor(tree, client, django_assert_num_queries):
    # given the session is not even loaded for a visitor without a cookie
    # when / then
    with django_assert_num_queries(0):
        assert client.get("/").status_code == 200


def test_every_public_page_offers_log_in_and_sign_up(tree, client):
    for url in ["/", reverse("awards:public_notices"), reverse("competitions:board_index"), reverse("privacy")]:
        body = client.get(url).content.decode()
        assert 'href="/accounts/login/' in body and "注册" in body, url


def test_a_page_s_log_in_link_comes_back_to_it(tree, client):
    body = client.get(reverse("competitions:board_index")).content.decode()
    assert 'href="/accounts/login/?next=/competitions/board/"' in body


# --- tiles by who the user is --------------------------------------------------------------------------------


def test_a_member_is_not_offered_to_join_and_sees_the_card(tree, login, worker):
    # given the demo worker holds membership
    body = login(worker).get("/").content.decode()
    # then
    assert reverse("members:my_card") in body and f'href="{reverse("members:join_start")}"' not in body


def test_a_worker_without_membership_is_offered_to_join_and_no_card(tree, login, django_user_model):
    # given
    user = django_user_model.objects.create_user("newcomer", password="x")
    # when
    body = login(user).get("/").content.decode()
    # then
    assert f'href="{reverse("members:join_start")}"' in body and reverse("members:my_card") not in body


def test_a_judge_sees_no_worker_tiles(tree, login, judge1):
    body = login(judge1).get("/").content.decode()
    for name in ["members:join_start", "members:my_card", "members:founding_new", "competitions:report_create"]:
        assert f'href="{reverse(name)}"' not in body, name
    for name in ["mutual_aid:my_aid", "mutual_aid:claim_new", "surveys:mine"]:
        assert f'href="{reverse(name)}"' not in body, name
    assert reverse("competitions:my_assignments") in body


def test_the_two_honour_rolls_have_their_own_names(tree, login, worker):
    body = login(worker).get("/").content.decode()
    assert "竞赛荣誉" in body and "表彰荣誉榜" in body and ">荣誉榜<" not in body


def test_a_worker_s_home_page_costs_a_fixed_number_of_queries(
    tree, login, worker, django_user_model, django_assert_num_queries
):
    # given a member and a newcomer without membership, each logged in (the unread count is counted at log-in)
    newcomer = django_user_model.objects.create_user("newcomer2", password="x")
    for user in (worker, newcomer):
        client = login(user)
        # when / then: session, user, OTP device, assignments; the membership once, with its union (the page's
        # member badge, which the menu and the tiles reuse); the assignments list; the session save (3)
        with django_assert_num_queries(4 + 1 + 1 + 3):
            client.get("/")


# --- footer: terms, privacy, ICP -----------------------------------------------------------------------------


def test_the_footer_links_terms_and_privacy(tree, client):
    body = client.get("/").content.decode()
    assert f'href="{reverse("terms")}"' in body and f'href="{reverse("privacy")}"' in body
    assert "用户协议" in body and "隐私政策" in body


def test_the_footer_shows_the_icp_number_when_set(tree, client, settings):
    # given
    settings.ICP_NUMBER = "浙ICP备12345678号-1"
    # when
    body = client.get(reverse("awards:public_notices")).content.decode()
    # then
    assert "浙ICP备12345678号-1" in body and 'href="https://beian.miit.gov.cn/"' in body


def test_no_icp_link_when_the_number_is_unset(tree, client, settings):
    settings.ICP_NUMBER = ""
    assert "beian.miit.gov.cn" not in client.get("/").content.decode()


def test_the_privacy_policy_says_what_is_collected_why_who_sees_it_how_long_and_the_rights(tree, client):
    body = client.get(reverse("privacy")).content.decode()
    for words in ["身份证号码", "手机号码", "银行账号", "健康信息", "个人信息保护法", "保存", "撤回同意", "联系我们"]:
        assert words in body, words


def test_the_legal_pages_are_in_english_when_switched(tree, client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "What we collect" in client.get(reverse("privacy")).content.decode()
    assert "Your account" in client.get(reverse("terms")).content.decode()


# --- error pages -----------------------------------------------------------------------------------------------


@override_settings(DEBUG=False)
def test_a_missing_page_is_the_branded_404_in_chinese(tree, client):
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in body and "返回首页" in body and 'name="viewport"' in body and "柯桥区总工会" in body


@override_settings(DEBUG=False)
def test_the_404_page_is_in_english_when_switched(tree, client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Page not found" in client.get("/no-such-page/").content.decode()


@override_settings(DEBUG=False)
def test_a_forbidden_page_is_the_branded_403(tree, login, handler):
    response = login(handler).get(f"/members/orgs/{tree['KQ-HS-001'].pk}/edit/")
    assert response.status_code == 403 and "无权操作" in response.content.decode()


@override_settings(DEBUG=False)
def test_a_form_without_its_csrf_token_gets_the_branded_page(tree, django_user_model):
    from django.test import Client

    # given a browser that checks CSRF
    client = Client(enforce_csrf_checks=True)
    # when
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    # then
    body = response.content.decode()
    assert response.status_code == 403 and "表单已过期" in body and "返回首页" in body


class _DownCache(BaseCache):
    """A cache whose server is down: every call fails."""

    def __init__(self, *args, **kwargs):
        super().__init__({})

    def _down(self, *args, **kwargs):
        raise ConnectionError("cache down")

    get = set = add = delete = get_many = set_many = delete_many = clear = incr = has_key = touch = _down


@override_settings(DEBUG=False, CACHES={"default": {"BACKEND": "tests.union_portal.test_front_door._DownCache"}})
def test_the_500_page_renders_without_the_database_and_the_cache(tree, settings):
    from union_portal.views import server_error

    settings.ICP_NUMBER = "浙ICP备12345678号-1"
    request = RequestFactory().get("/anything/")

    def refuse(execute, sql, params, many, context):
        raise AssertionError(f"the 500 page ran a query: {sql}")

    # given the database and the cache are unavailable
    with connection.execute_wrapper(refuse):
        # when
        response = server_error(request)
    # then
    body = response.content.decode()
    assert response.status_code == 500
    assert "系统出错了" in body and "返回首页" in body and 'name="viewport"' in body and "浙ICP备12345678号-1" in body


@override_settings(DEBUG=False)
def test_an_error_in_a_view_shows_the_branded_500(tree, client, monkeypatch):
    # given a page that fails
    from union_portal import views

    def broken(request):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "render", lambda *a, **k: broken(None))
    client.raise_request_exception = False
    # when
    response = client.get(reverse("terms"))
    # then
    assert response.status_code == 500 and "系统出错了" in response.content.decode()


# --- SITE_URL in production ---------------------------------------------------------------------------------


def test_check_deploy_fails_without_site_url(settings):
    from union_portal.checks import site_url_check

    for value in ["", "http://127.0.0.1:8000", "localhost"]:
        settings.SITE_URL = value
        errors = site_url_check(None)
        assert [e.id for e in errors] == ["union_portal.E001"], value
    settings.SITE_URL = "https://gh.keqiao.gov.cn"
    assert site_url_check(None) == []


def test_check_deploy_runs_the_site_url_check(settings):
    settings.SITE_URL = ""
    with pytest.raises(SystemCheckError, match="SITE_URL"):
        call_command("check", "--deploy", "--fail-level", "ERROR", "--tag", "security")


# --- the unread count on 消息中心 ------------------------------------------------------------------------------


def test_the_inbox_link_shows_the_unread_count(tree, login, worker):
    # given two unread messages
    for n in range(2):
        notifications.notify(user=worker, event_key=f"test:{n}", title="t", body="b")
    client = login(worker)
    # when
    body = client.get("/").content.decode()
    # then
    assert 'inbox-unread">2<' in body


def test_reading_the_inbox_clears_the_count(tree, login, worker, django_capture_on_commit_callbacks):
    # given
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(user=worker, event_key="test:read", title="t", body="b")
    client = login(worker)
    assert 'inbox-unread">1<' in client.get("/").content.decode()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("inbox"))
    # then
    assert "inbox-unread" not in client.get("/").content.decode()


def test_a_new_message_raises_the_count_on_the_next_page(tree, login, worker, django_capture_on_commit_callbacks):
    client = login(worker)
    assert "inbox-unread" not in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(user=worker, event_key="test:new", title="t", body="b")
    assert 'inbox-unread">1<' in client.get("/").content.decode()


def test_the_unread_count_is_read_from_the_cache_between_changes(tree, worker, django_assert_num_queries):
    # given the count was asked once
    notifications.unread_count(worker)
    # when / then
    with django_assert_num_queries(0):
        assert notifications.unread_count(worker) == 0

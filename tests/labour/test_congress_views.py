"""Pages of workers' congresses and open factory affairs: the handler records (bad input gets a Chinese message,
nothing saved), staff see their subtree only (404 beyond it), the lists' queries do not grow with rows, and the
dashboard's share of unionised enterprises that held a congress this year, by township."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from labour.models import CongressSession
from labour.selectors.congress import congress_held_counts_by_township
from labour.services.congress import ResolutionInput, congress_session_record, open_affairs_record
from members.models import Enterprise

pytestmark = pytest.mark.django_db


@pytest.fixture
def hs_firm(tree):
    return Enterprise.objects.get(union=tree["KQ-HS-001"])


@pytest.fixture
def qx_firm(tree):
    return Enterprise.objects.get(union=tree["KQ-QX-001"])


def _session(by, firm, today, days=5, **fields):
    return congress_session_record(
        by=by,
        enterprise=firm,
        held_on=today - dt.timedelta(days=days),
        delegates=fields.pop("delegates", 30),
        present=fields.pop("present", 25),
        agenda=fields.pop("agenda", "审议工资集体协议草案"),
        resolutions=fields.pop("resolutions", [ResolutionInput(title="工资集体协议草案", votes_for=20)]),
        today=today,
    )


def _post_data(firm, held_on, delegates, present, votes_for=20, against=0):
    return {
        "enterprise": firm.pk,
        "held_on": held_on.isoformat(),
        "delegates": delegates,
        "present": present,
        "agenda": "审议工资集体协议草案",
        "res-TOTAL_FORMS": 3,
        "res-INITIAL_FORMS": 0,
        "res-MIN_NUM_FORMS": 0,
        "res-MAX_NUM_FORMS": 20,
        "res-0-title": "工资集体协议草案",
        "res-0-votes_for": votes_for,
        "res-0-votes_against": against,
        "res-0-abstentions": 0,
    }


def test_handler_records_a_session_from_the_page(login, handler, hs_firm, today):
    # given
    client = login(handler)
    # when
    response = client.post(reverse("labour:congress_create"), _post_data(hs_firm, today, 30, 24), follow=True)
    # then
    session = CongressSession.objects.get()
    assert response.redirect_chain[-1][0] == reverse("labour:congress_detail", args=[session.pk])
    assert "工资集体协议草案" in response.content.decode()
    assert session.resolutions.get().passed


@pytest.mark.parametrize(
    ("delegates", "present", "votes_for", "against", "days", "words"),
    [
        (30, 31, 20, 0, 0, "出席"),  # more present than delegates
        (30, 24, 20, 5, 0, "超过"),  # 25 votes for 24 present
        (30, 24, 20, 0, -3, "晚于今天"),  # a date in the future
    ],
    ids=["more-present-than-delegates", "votes-over-present", "future-date"],
)
def test_bad_input_gets_a_chinese_message_and_nothing_is_saved(
    login, handler, hs_firm, today, delegates, present, votes_for, against, days, words
):
    client = login(handler)
    with translation.override("zh-hans"):
        response = client.post(
            reverse("labour:congress_create"),
            _post_data(hs_firm, today - dt.timedelta(days=days), delegates, present, votes_for, against),
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
    assert response.status_code == 200
    assert words in response.content.decode()
    assert not CongressSession.objects.exists()


def test_the_form_offers_only_the_handlers_own_firm(login, handler, hs_firm, qx_firm, today):
    client = login(handler)
    response = client.post(reverse("labour:congress_create"), _post_data(qx_firm, today, 30, 24))
    assert response.status_code == 200 and not CongressSession.objects.exists()


def test_staff_see_their_own_townships_sessions_only(
    login, handler, handler_qixian, huashe_staff, qixian_staff, district_admin, hs_firm, qx_firm, today
):
    # given a session in each township
    hs = _session(handler, hs_firm, today, agenda="华舍议程")
    qx = _session(handler_qixian, qx_firm, today, agenda="齐贤议程")
    # when / then 华舍's staff see 华舍's only; the other's page is 404
    client = login(huashe_staff)
    page = client.get(reverse("labour:congress_list")).content.decode()
    assert hs_firm.name in page and qx_firm.name not in page
    assert client.get(reverse("labour:congress_detail", args=[hs.pk])).status_code == 200
    assert client.get(reverse("labour:congress_detail", args=[qx.pk])).status_code == 404
    # and the district sees both
    client = login(district_admin)
    page = client.get(reverse("labour:congress_list")).content.decode()
    assert hs_firm.name in page and qx_firm.name in page
    # staff do not record (the handler does)
    client = login(qixian_staff)
    assert client.get(reverse("labour:congress_create")).status_code == 403


def test_anonymous_goes_to_log_in_and_a_worker_is_refused(client, login, worker, handler, hs_firm, today):
    session = _session(handler, hs_firm, today)
    response = client.get(reverse("labour:congress_detail", args=[session.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client = login(worker)
    assert client.get(reverse("labour:congress_detail", args=[session.pk])).status_code == 403


def test_congress_list_queries_do_not_grow_with_rows(
    login, district_admin, handler, hs_firm, today, django_assert_num_queries
):
    _session(handler, hs_firm, today, days=5)
    client = login(district_admin)
    url = reverse("labour:congress_list")
    client.get(url)
    # session (+ the verified OTP device), user, the page of sessions (enterprise and union joined, resolutions
    # counted); the idle-timeout session save (savepoint, update, release)
    with django_assert_num_queries(7):
        client.get(url)
    _session(handler, hs_firm, today, days=40)
    _session(handler, hs_firm, today, days=80)
    with django_assert_num_queries(7):
        client.get(url)


def test_open_affairs_list_queries_do_not_grow_with_rows(
    login, huashe_staff, handler, hs_firm, today, django_assert_num_queries
):
    def item(days):
        open_affairs_record(
            by=handler,
            enterprise=hs_firm,
            subject=f"公开事项{days}",
            published_on=today - dt.timedelta(days=days),
            channel="online",
            today=today,
        )

    item(1)
    client = login(huashe_staff)
    url = reverse("labour:open_affairs_list")
    client.get(url)
    # session (+ OTP device), user, the page of items (enterprise and union joined); the session save (3)
    with django_assert_num_queries(7):
        client.get(url)
    item(2)
    item(3)
    with django_assert_num_queries(7):
        client.get(url)
    assert "公开事项3" in client.get(url).content.decode()


def test_handler_records_an_open_affairs_item_from_the_page(login, handler, hs_firm, today):
    client = login(handler)
    response = client.post(
        reverse("labour:open_affairs_create"),
        {"enterprise": hs_firm.pk, "subject": "年度调薪方案", "published_on": today.isoformat(), "channel": "meeting"},
    )
    assert response.status_code == 302
    assert "年度调薪方案" in client.get(reverse("labour:open_affairs_list")).content.decode()


def test_share_of_unionised_firms_that_held_a_congress_this_year_by_township(
    tree, handler, handler_qixian, hs_firm, qx_firm, today
):
    # given 华舍's first firm met this year and 齐贤's first firm only last year
    _session(handler, hs_firm, today, days=0)
    congress_session_record(
        by=handler_qixian,
        enterprise=qx_firm,
        held_on=dt.date(today.year - 1, 6, 1),
        delegates=10,
        present=8,
        agenda="去年",
        today=today,
    )
    # when
    rows = {r["path"]: (r["n"], r["d"]) for r in congress_held_counts_by_township(year=today.year)}
    # then 1 of 华舍's 3 unionised firms, none of 齐贤's 2
    assert rows[tree["KQ-HS"].path] == (1, 3)
    assert rows[tree["KQ-QX"].path] == (0, 2)


def test_the_dashboard_metric_rolls_the_share_up(tree, handler, hs_firm, today):
    from dashboard.registry import FigureContext, get_metric

    _session(handler, hs_firm, today, days=0)
    metric = get_metric("labour.congress_held_share")
    contributions = list(metric.provider(FigureContext(year=today.year, today=today)))
    hs = next(c for c in contributions if c.path == tree["KQ-HS"].path)
    assert (hs.numerator, hs.denominator) == (1, 3)
    assert metric.value(hs.numerator, hs.denominator) == Decimal("33.3333")

"""Pages and API of collective contracts: scoping (owner, sibling township, anonymous), the actions, bad input
shown in Chinese, the deadline rules page, and the query counts of every list for N and N+k rows."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from labour.models import BargainingRound, CollectiveContract, DeadlineRule
from labour.services import contracts as services
from members.models import Enterprise
from tests.factories.lb_contracts import make_contract

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def firm(tree):
    return Enterprise.objects.get(union=tree["KQ-HS-001"])


@pytest.fixture
def contract(firm, handler):
    return make_contract(by=handler, enterprise=firm, signed_on=D(2026, 3, 10), upto="signed")


def test_the_owner_sees_the_contract_a_sibling_township_gets_404_and_anonymous_logs_in(
    client, login, contract, handler, qixian_staff
):
    # given
    url = reverse("labour:contract_detail", args=[contract.pk])
    # when
    anonymous = client.get(url)
    own = login(handler).get(url)
    stranger = login(qixian_staff).get(url)
    # then
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    assert own.status_code == 200 and contract.title in own.content.decode()
    assert stranger.status_code == 404


def test_a_stranger_township_cannot_file_anothers_contract(login, contract, qixian_staff):
    # given / when
    response = login(qixian_staff).post(reverse("labour:contract_file", args=[contract.pk]), {"filed_on": "2026-03-12"})
    # then
    assert response.status_code == 404
    contract.refresh_from_db()
    assert contract.status == CollectiveContract.Status.SIGNED


def test_the_city_admin_sees_a_contract_but_may_not_change_it(login, contract, city_admin):
    # given / when
    page = login(city_admin).get(reverse("labour:contract_detail", args=[contract.pk]))
    post = login(city_admin).post(reverse("labour:contract_file", args=[contract.pk]), {"filed_on": "2026-03-12"})
    # then
    assert page.status_code == 200
    assert post.status_code == 403


def test_a_filing_before_the_signing_shows_a_chinese_message(login, contract, handler, settings):
    # given
    settings.LANGUAGE_CODE = "zh-hans"
    client = login(handler)
    # when
    response = client.post(reverse("labour:contract_file", args=[contract.pk]), {"filed_on": "2026-03-01"}, follow=True)
    # then
    assert "备案日期不能早于签订日期" in response.content.decode()
    contract.refresh_from_db()
    assert contract.filed_on is None


def test_filing_from_the_page_sets_the_objection_window(login, contract, handler):
    # given / when
    response = login(handler).post(reverse("labour:contract_file", args=[contract.pk]), {"filed_on": "2026-03-12"})
    # then
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.status == CollectiveContract.Status.FILED
    assert contract.objection_ends == D(2026, 3, 27)


def test_a_bargaining_request_from_the_page_opens_a_round(login, firm, handler):
    # given
    today = timezone.localdate()
    # when
    response = login(handler).post(
        reverse("labour:round_create"),
        {"enterprise": firm.pk, "requested_by": "union", "received_on": today.isoformat(), "subject": "工资协商"},
    )
    # then
    round_ = BargainingRound.objects.get()
    assert response.status_code == 302 and response["Location"] == round_.get_absolute_url()
    assert round_.org == firm.union


def test_the_district_admin_edits_a_deadline_rule_and_township_staff_may_not(login, district_admin, huashe_staff):
    # given
    url = reverse("labour:deadline_rules")
    data = {"key": "contract_filing", "length": "15", "unit": "calendar"}
    # when
    denied = login(huashe_staff).post(url, data)
    page = login(district_admin).get(url)
    saved = login(district_admin).post(url, data)
    # then
    assert denied.status_code == 403
    assert page.status_code == 200
    assert saved.status_code == 302
    assert DeadlineRule.objects.get(key="contract_filing").length == 15


def _contracts(by, firm, n):
    for i in range(n):
        make_contract(by=by, enterprise=firm, signed_on=D(2025, 1 + i, 1), upto="draft", title=f"合同{i}")


@pytest.mark.parametrize("extra", [0, 3])
def test_the_contract_list_runs_the_same_queries_for_more_rows(login, firm, handler, django_assert_num_queries, extra):
    # given
    _contracts(handler, firm, 2 + extra)
    client = login(handler)
    url = reverse("labour:contract_list")
    client.get(url)  # warm the per-user caches (assignments, nav)
    # when / then: see _LIST_QUERIES; the same for N and N+k rows
    with django_assert_num_queries(_LIST_QUERIES["contracts"]):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("extra", [0, 3])
def test_the_round_list_runs_the_same_queries_for_more_rows(login, firm, handler, django_assert_num_queries, extra):
    # given
    for i in range(2 + extra):
        services.round_request(by=handler, enterprise=firm, requested_by="union", received_on=D(2026, 1, 1 + i))
    client = login(handler)
    url = reverse("labour:round_list")
    client.get(url)
    # when / then: one query for the page of rounds (org and enterprise joined)
    with django_assert_num_queries(_LIST_QUERIES["rounds"]):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("extra", [0, 3])
def test_the_officer_list_runs_the_same_queries_for_more_rows(
    login, tree, firm, huashe_staff, django_assert_num_queries, extra
):
    # given
    for i in range(2 + extra):
        services.officer_register(by=huashe_staff, name=f"协商员{i}", org=tree["KQ-HS"], enterprises=[firm])
    client = login(huashe_staff)
    url = reverse("labour:officer_list")
    client.get(url)
    # when / then: the page of officers with their firm count (one grouped query), plus the form's choices
    with django_assert_num_queries(_LIST_QUERIES["officers"]):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("extra", [0, 3])
def test_the_api_contract_list_runs_the_same_queries_for_more_rows(
    login, firm, handler, django_assert_num_queries, extra
):
    # given
    _contracts(handler, firm, 2 + extra)
    client = login(handler)
    url = "/api/v1/labour/contracts/"
    client.get(url)
    # when / then: the session's user, assignments, one page of contracts with org and enterprise joined
    with django_assert_num_queries(_LIST_QUERIES["api"]):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.json()["results"]) == 2 + extra


def test_the_api_lists_only_the_users_area(login, firm, handler, qixian_staff):
    # given
    make_contract(by=handler, enterprise=firm, signed_on=D(2026, 3, 1), upto="draft")
    # when
    response = login(qixian_staff).get("/api/v1/labour/contracts/")
    # then
    assert response.status_code == 200 and response.json()["results"] == []


# Measured and fixed here; N and N+k rows give the same number. A page: the request's fixed queries (session,
# user, two-factor check, inbox badge, ...) plus ONE query for the page of rows, org and enterprise joined; the
# officers' page adds the form's two choice lists (unions, firms); the API has no page chrome.
_LIST_QUERIES = {"contracts": 7, "rounds": 7, "officers": 9, "api": 7}

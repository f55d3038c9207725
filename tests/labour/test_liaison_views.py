"""Pages of cadres' liaison: the cadre's page (firms, last visit, open issues, overdue highlighted), the
assignments of an area, logging a visit, following up; another township's staff get 404, people without a
cadre role 403, anonymous visitors the log-in page; list queries do not grow with rows."""

import datetime as dt

import pytest
from django.urls import reverse

from labour.models import IssueStatus, LiaisonAssignment, LiaisonVisit
from labour.services.liaison import IssueInput, assignment_create, visit_log
from members.models import Enterprise

pytestmark = pytest.mark.django_db


@pytest.fixture
def hs_firm(tree):
    return Enterprise.objects.get(union=tree["KQ-HS-001"])


@pytest.fixture
def qx_firm(tree):
    return Enterprise.objects.get(union=tree["KQ-QX-001"])


def _assign(by, cadre, firm, today, days_ago=30):
    return assignment_create(by=by, cadre=cadre, enterprise=firm, today=today - dt.timedelta(days=days_ago))


def _visit(assignment, today, days_ago=2, issue="加班费未按规定计发"):
    return visit_log(
        by=assignment.cadre,
        assignment=assignment,
        visited_on=today - dt.timedelta(days=days_ago),
        met_whom="工会主席",
        issues=[IssueInput(kind="rights", description=issue)] if issue else [],
        today=today,
    )


def test_the_cadres_page_lists_firms_last_visit_open_issues_and_overdue(
    login, district_admin, huashe_staff, hs_firm, today
):
    # given a visited firm with an open issue, and a firm assigned 200 days ago and never visited
    visited = _assign(district_admin, huashe_staff, hs_firm, today)
    _visit(visited, today, issue="食堂伙食差")
    never = _assign(district_admin, huashe_staff, Enterprise.objects.get(union__code="KQ-HS-002"), today, 200)
    # when
    page = login(huashe_staff).get(reverse("labour:liaison_mine")).content.decode()
    # then
    assert hs_firm.name in page and never.enterprise.name in page
    assert (today - dt.timedelta(days=2)).isoformat() in page and "食堂伙食差" in page
    # the overdue firm is marked in words (not by a row colour)
    assert page.count('<span class="badge text-bg-danger">') == 1


def test_a_cadre_logs_a_visit_with_an_issue_from_the_page(login, district_admin, huashe_staff, hs_firm, today):
    assignment = _assign(district_admin, huashe_staff, hs_firm, today)
    client = login(huashe_staff)
    response = client.post(
        reverse("labour:liaison_visit", args=[assignment.pk]),
        {
            "visited_on": today.isoformat(),
            "met_whom": "车间职工代表",
            "notes": "",
            "issue-TOTAL_FORMS": 2,
            "issue-INITIAL_FORMS": 0,
            "issue-MIN_NUM_FORMS": 0,
            "issue-MAX_NUM_FORMS": 10,
            "issue-0-kind": "bargaining",
            "issue-0-description": "希望启动工资集体协商",
            "issue-1-kind": "",
            "issue-1-description": "",
        },
    )
    assert response.status_code == 302
    visit = LiaisonVisit.objects.get()
    assert [i.kind for i in visit.issues.all()] == ["bargaining"]


def test_a_visit_form_with_an_issue_without_words_saves_nothing(login, district_admin, huashe_staff, hs_firm, today):
    assignment = _assign(district_admin, huashe_staff, hs_firm, today)
    client = login(huashe_staff)
    response = client.post(
        reverse("labour:liaison_visit", args=[assignment.pk]),
        {
            "visited_on": today.isoformat(),
            "met_whom": "厂长",
            "issue-TOTAL_FORMS": 1,
            "issue-INITIAL_FORMS": 0,
            "issue-0-kind": "rights",
            "issue-0-description": "",
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 200 and "请填写问题内容" in response.content.decode()
    assert not LiaisonVisit.objects.exists()


def test_another_townships_staff_get_404_and_others_403_or_log_in(
    client, login, district_admin, huashe_staff, qixian_staff, handler, worker, hs_firm, today
):
    assignment = _assign(district_admin, huashe_staff, hs_firm, today)
    issue = _visit(assignment, today).issues.get()
    urls = [
        reverse("labour:liaison_assignment", args=[assignment.pk]),
        reverse("labour:liaison_visit", args=[assignment.pk]),
        reverse("labour:liaison_issue_case", args=[issue.pk]),
        reverse("labour:liaison_issue_round", args=[issue.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # anonymous: the log-in page
    stranger = login(qixian_staff)
    for url in urls:
        assert stranger.get(url).status_code == 404
    assert stranger.post(reverse("labour:liaison_issue_close", args=[issue.pk]), {"note": "x"}).status_code == 404
    assert stranger.post(reverse("labour:liaison_end", args=[assignment.pk])).status_code == 404
    for person in (handler, worker):
        other = login(person)
        for url in urls:
            assert other.get(url).status_code == 403
    issue.refresh_from_db()
    assert issue.status == IssueStatus.OPEN
    assert LiaisonAssignment.objects.get().ended_on is None


def test_the_assigner_sees_the_visit_but_only_the_cadre_logs_one(login, district_admin, huashe_staff, hs_firm, today):
    assignment = _assign(district_admin, huashe_staff, hs_firm, today)
    client = login(district_admin)
    assert client.get(reverse("labour:liaison_assignment", args=[assignment.pk])).status_code == 200
    assert client.get(reverse("labour:liaison_visit", args=[assignment.pk])).status_code == 403


def test_township_staff_assign_from_the_page_within_their_township(login, huashe_staff, hs_firm, qx_firm, today):
    client = login(huashe_staff)
    # a 齐贤 firm is not offered
    response = client.post(reverse("labour:liaison_assign"), {"cadre": huashe_staff.pk, "enterprise": qx_firm.pk})
    assert response.status_code == 200 and not LiaisonAssignment.objects.exists()
    response = client.post(reverse("labour:liaison_assign"), {"cadre": huashe_staff.pk, "enterprise": hs_firm.pk})
    assert response.status_code == 302 and LiaisonAssignment.objects.get().cadre == huashe_staff


def test_closing_an_issue_from_the_page(login, district_admin, huashe_staff, hs_firm, today):
    assignment = _assign(district_admin, huashe_staff, hs_firm, today)
    issue = _visit(assignment, today).issues.get()
    client = login(huashe_staff)
    client.post(reverse("labour:liaison_issue_close", args=[issue.pk]), {"note": "企业已补发"})
    issue.refresh_from_db()
    assert issue.status == IssueStatus.CLOSED and issue.closing_note == "企业已补发"


def test_liaison_lists_queries_do_not_grow_with_rows(
    login, district_admin, huashe_staff, hs_firm, today, django_assert_num_queries
):
    first = _assign(district_admin, huashe_staff, hs_firm, today)
    _visit(first, today)
    mine, area = login(huashe_staff), reverse("labour:liaison_assignments")
    mine_url = reverse("labour:liaison_mine")
    mine.get(mine_url)
    mine.get(area)
    # session (+ OTP device), user, the cadre's firms (last visit and open issues aggregated, township joined),
    # the open issues (firm and case joined); the idle-timeout session save (savepoint, update, release)
    with django_assert_num_queries(8):
        mine.get(mine_url)
    # session (+ OTP device), user, the page of assignments (aggregated, cadre and township joined); session save
    with django_assert_num_queries(7):
        mine.get(area)
    for code in ("KQ-HS-002", "KQ-HS-003"):
        more = _assign(district_admin, huashe_staff, Enterprise.objects.get(union__code=code), today)
        _visit(more, today)
        _visit(more, today, days_ago=5)
    with django_assert_num_queries(8):
        mine.get(mine_url)
    with django_assert_num_queries(7):
        mine.get(area)

"""Cadres' liaison: assignments within the assigner's subtree, visits by the cadre, issues followed up (a rights
case or a bargaining round through the other parts' services) and closed; the overdue rule."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

import labour.services.cases
import labour.services.contracts
from labour import rules_liaison
from labour.models import IssueStatus, LiaisonAssignment, LiaisonIssue, LiaisonVisit, RightsCase
from labour.selectors.liaison import assignment_rows, cadre_assignments
from labour.services.liaison import (
    IssueInput,
    assignment_create,
    assignment_end,
    issue_close,
    issue_open_case,
    issue_open_round,
    visit_log,
)
from members.models import Enterprise
from union_portal.models import AuditLog, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def hs_firm(tree):
    return Enterprise.objects.get(union=tree["KQ-HS-001"])


@pytest.fixture
def qx_firm(tree):
    return Enterprise.objects.get(union=tree["KQ-QX-001"])


@pytest.fixture
def assignment(district_admin, huashe_staff, hs_firm, today):
    return assignment_create(
        by=district_admin, cadre=huashe_staff, enterprise=hs_firm, today=today - dt.timedelta(days=60)
    )


@pytest.fixture
def issue(assignment, huashe_staff, today):
    visit = visit_log(
        by=huashe_staff,
        assignment=assignment,
        visited_on=today - dt.timedelta(days=2),
        met_whom="工会主席",
        issues=[IssueInput(kind="rights", description="三名职工反映加班费未按规定计发")],
        today=today,
    )
    return visit.issues.get()


def test_district_admin_assigns_a_township_cadre_who_is_told(assignment, huashe_staff, district_admin, hs_firm):
    # then the assignment is scoped to the firm's township, audited, and the cadre has a message
    assert assignment.org == hs_firm.township and assignment.cadre == huashe_staff
    assert AuditLog.objects.filter(action="labour.liaison.assign", actor=district_admin).exists()
    assert Notification.objects.filter(user=huashe_staff, event_key=f"labour.liaison.assign.{assignment.pk}").exists()


def test_township_staff_cannot_assign_a_firm_of_another_township(huashe_staff, qx_firm, today):
    with pytest.raises(PermissionDenied):
        assignment_create(by=huashe_staff, cadre=huashe_staff, enterprise=qx_firm, today=today)


def test_a_cadre_must_be_staff_over_the_firm(district_admin, qixian_staff, handler, hs_firm, today):
    # given 齐贤's staff and a grassroots handler: neither is a cadre over a 华舍 firm
    for person in (qixian_staff, handler):
        with pytest.raises(ValidationError) as caught:
            assignment_create(by=district_admin, cadre=person, enterprise=hs_firm, today=today)
        assert "cadre" in caught.value.message_dict
    assert not LiaisonAssignment.objects.exists()


def test_the_same_firm_is_not_assigned_twice_to_one_cadre_until_the_first_ends(
    assignment, district_admin, huashe_staff, hs_firm, today
):
    with pytest.raises(ValidationError):
        assignment_create(by=district_admin, cadre=huashe_staff, enterprise=hs_firm, today=today)
    assignment_end(by=district_admin, assignment=assignment, today=today)
    again = assignment_create(by=district_admin, cadre=huashe_staff, enterprise=hs_firm, today=today)
    assert again.pk != assignment.pk
    with pytest.raises(ValidationError):
        assignment_end(by=district_admin, assignment=assignment, today=today)


def test_the_cadre_logs_a_visit_with_issues_and_the_assigner_is_told(issue, assignment, district_admin):
    # then
    assert issue.status == IssueStatus.OPEN and issue.visit.met_whom == "工会主席"
    assert Notification.objects.filter(user=district_admin, event_key=f"labour.liaison.visit.{issue.visit_id}").exists()


@pytest.mark.parametrize(
    ("days", "met", "field"),
    [(-1, "工会主席", "visited_on"), (61, "工会主席", "visited_on"), (1, "  ", "met_whom")],
    ids=["future", "before-the-assignment", "nobody-met"],
)
def test_a_bad_visit_is_refused_whole(assignment, huashe_staff, today, days, met, field):
    # when a visit in the future, before the assignment (60 days ago) or with nobody met is logged with an issue
    with pytest.raises(ValidationError) as caught:
        visit_log(
            by=huashe_staff,
            assignment=assignment,
            visited_on=today - dt.timedelta(days=days),
            met_whom=met,
            issues=[IssueInput(kind="rights", description="欠薪")],
            today=today,
        )
    # then nothing is saved
    assert field in caught.value.message_dict
    assert not LiaisonVisit.objects.exists() and not LiaisonIssue.objects.exists()


def test_only_the_cadre_logs_visits_even_the_assigner_may_not(assignment, district_admin, today):
    with pytest.raises(PermissionDenied):
        visit_log(by=district_admin, assignment=assignment, visited_on=today, met_whom="厂长", today=today)


def test_an_issue_is_closed_once_with_a_note(issue, huashe_staff, qixian_staff, today):
    with pytest.raises(PermissionDenied):
        issue_close(by=qixian_staff, issue=issue, note="已解决", today=today)
    with pytest.raises(ValidationError):
        issue_close(by=huashe_staff, issue=issue, note=" ", today=today)
    closed = issue_close(by=huashe_staff, issue=issue, note="企业已补发加班费", today=today)
    assert closed.status == IssueStatus.CLOSED and closed.closed_on == today
    with pytest.raises(ValidationError):
        issue_close(by=huashe_staff, issue=issue, note="再次关闭", today=today)


def test_opening_a_case_links_what_case_record_returned(issue, huashe_staff, hs_firm, today, monkeypatch):
    # given the cases part's service (stood in for here: it is written on another branch)
    calls = []

    def fake_case_record(**kwargs):
        calls.append(kwargs)
        return RightsCase.objects.create(
            number="WQ-T-0001",
            case_type=kwargs["case_type"],
            org=kwargs["township"],
            enterprise=kwargs["enterprise"],
            received_on=today,
        )

    monkeypatch.setattr(labour.services.cases, "case_record", fake_case_record, raising=False)
    # when
    followed = issue_open_case(
        by=huashe_staff,
        issue=issue,
        case_type="overtime",
        worker_name="王小明",
        worker_mobile="13900000001",
        today=today,
    )
    # then the call names the source and the firm, and the issue links the case
    assert calls[0]["source"] == "liaison" and calls[0]["enterprise"] == hs_firm and calls[0]["confidential"] is True
    assert calls[0]["facts"] == issue.description
    assert followed.rights_case.number == "WQ-T-0001" and followed.status == IssueStatus.FOLLOWED_UP
    with pytest.raises(ValidationError):
        issue_open_case(
            by=huashe_staff, issue=issue, case_type="other", worker_name="甲", worker_mobile="13900000002", today=today
        )


def test_a_failing_case_record_leaves_the_issue_open(issue, huashe_staff, today, monkeypatch):
    def refusing(**kwargs):
        raise ValidationError({"worker_mobile": "bad"})

    monkeypatch.setattr(labour.services.cases, "case_record", refusing, raising=False)
    with pytest.raises(ValidationError):
        issue_open_case(
            by=huashe_staff, issue=issue, case_type="other", worker_name="甲", worker_mobile="1", today=today
        )
    issue.refresh_from_db()
    assert issue.status == IssueStatus.OPEN and issue.rights_case is None


def test_opening_a_round_stores_its_id_and_kind(issue, huashe_staff, hs_firm, today, monkeypatch):
    calls = []

    class Round:
        pk = 4711

    def fake_round_request(**kwargs):
        calls.append(kwargs)
        return Round()

    monkeypatch.setattr(labour.services.contracts, "round_request", fake_round_request, raising=False)
    followed = issue_open_round(by=huashe_staff, issue=issue, today=today)
    assert calls[0]["requested_by"] == "union" and calls[0]["enterprise"] == hs_firm
    assert calls[0]["received_on"] == today
    assert (followed.followup_kind, followed.followup_id) == ("bargaining_round", 4711)


def test_opening_a_case_makes_a_real_rights_case_from_liaison(issue, huashe_staff, today):
    followed = issue_open_case(
        by=huashe_staff,
        issue=issue,
        case_type="overtime",
        worker_name="王小明",
        worker_mobile="13900000001",
        today=today,
    )
    assert followed.rights_case is not None and followed.rights_case.enterprise == issue.visit.assignment.enterprise


def test_opening_a_round_makes_a_real_bargaining_request(issue, huashe_staff, today):
    followed = issue_open_round(by=huashe_staff, issue=issue, today=today)
    assert followed.followup_id is not None and followed.status == IssueStatus.FOLLOWED_UP


def test_next_visit_is_due_every_n_months_and_month_ends_are_kept():
    assert rules_liaison.add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert rules_liaison.add_months(dt.date(2025, 11, 30), 3) == dt.date(2026, 2, 28)
    assert rules_liaison.visit_due_on(assigned_on=dt.date(2026, 1, 5), last_visit=None, every_months=3) == dt.date(
        2026, 4, 5
    )
    assert not rules_liaison.is_overdue(
        assigned_on=dt.date(2026, 1, 5), last_visit=dt.date(2026, 6, 1), every_months=3, today=dt.date(2026, 9, 1)
    )
    assert rules_liaison.is_overdue(
        assigned_on=dt.date(2026, 1, 5), last_visit=dt.date(2026, 6, 1), every_months=3, today=dt.date(2026, 9, 2)
    )


def test_the_cadres_rows_flag_an_overdue_visit_by_the_setting(
    assignment, huashe_staff, issue, district_admin, hs_firm, today, settings
):
    # given a second firm never visited, assigned 100 days ago, and a 3-month rule
    other = Enterprise.objects.get(union__code="KQ-HS-002")
    assignment_create(by=district_admin, cadre=huashe_staff, enterprise=other, today=today - dt.timedelta(days=100))
    settings.LABOUR_LIAISON_VISIT_MONTHS = 3
    # when
    rows = {r.assignment.enterprise_id: r for r in assignment_rows(cadre_assignments(user=huashe_staff), today=today)}
    # then the visited firm is not overdue and shows its open issue; the other is
    assert not rows[hs_firm.pk].overdue and rows[hs_firm.pk].open_issues == 1
    assert rows[hs_firm.pk].last_visit == today - dt.timedelta(days=2)
    assert rows[other.pk].overdue and rows[other.pk].last_visit is None
    # and with a 6-month rule it is not
    settings.LABOUR_LIAISON_VISIT_MONTHS = 6
    rows = {r.assignment.enterprise_id: r for r in assignment_rows(cadre_assignments(user=huashe_staff), today=today)}
    assert not rows[other.pk].overdue

"""Rights cases (维权): filing, routing, confidentiality, handling, closing, satisfaction, group cases,
escalation and the timers across the 2026 Mid-Autumn and National Day holidays."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from labour.models import CaseSettings, CaseStatus, CaseStep, RightsCase
from labour.selectors import cases as selectors
from labour.services import cases as services
from tests.factories.lb_cases import make_case, make_officer
from tests.labour.conftest_cases import *  # noqa: F403
from union_portal import hooks
from union_portal.models import AuditLog, Notification
from union_portal.roles import SUBTREE_ROLES, Role

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 2)  # a Monday without holidays near


def _file(worker, member, *, enterprise=None, **extra):
    fields = {
        "case_type": "unpaid_wages",
        "facts": "三个月没发工资",
        "requests": "补发工资",
        "enterprise": enterprise,
        "today": DAY,
    }
    fields.update(extra)
    return services.case_file(by=worker, member=member, **fields)


def test_worker_request_is_routed_to_the_employers_township_and_hidden_from_its_union(
    worker, worker_member, employer, tree
):
    # when
    case = _file(worker, worker_member, enterprise=employer)
    # then
    assert case.org == tree["KQ-HS"]
    assert case.employer_union == tree["KQ-HS-001"]
    assert case.confidential is True
    assert case.number.startswith("WQ2026")
    assert (case.accept_due, case.answer_due, case.close_due) == (
        dt.date(2026, 11, 3),
        dt.date(2026, 11, 5),
        dt.date(2026, 12, 2),
    )


def test_typed_employer_goes_to_the_named_township_or_the_district_queue(worker, worker_member, tree):
    # when
    named = _file(worker, worker_member, employer_name="无名工地", township=tree["KQ-QX"])
    unnamed = _file(worker, worker_member, employer_name="无名工地")
    # then
    assert named.org == tree["KQ-QX"] and named.employer_union is None
    assert unnamed.org == tree["SX-KQ"]


def test_a_request_without_facts_or_employer_is_refused_and_nothing_is_saved(worker, worker_member):
    # when
    with pytest.raises(ValidationError) as exc:
        _file(worker, worker_member, facts=" ", employer_name="")
    # then
    assert {"facts", "employer_name"} <= set(exc.value.message_dict)
    assert not RightsCase.objects.exists()


def test_only_the_member_themself_files_online(handler, worker_member, employer):
    with pytest.raises(PermissionDenied):
        _file(handler, worker_member, enterprise=employer)


def test_confidential_case_is_invisible_to_the_employers_union_handler(
    worker, worker_member, employer, handler, officer_huashe, officer_qixian, officer_district
):
    # given
    case = _file(worker, worker_member, enterprise=employer)
    # then
    assert list(selectors.cases_visible(user=handler)) == []
    assert list(selectors.cases_visible(user=officer_qixian)) == []
    assert list(selectors.cases_visible(user=officer_huashe)) == [case]
    assert list(selectors.cases_visible(user=officer_district)) == [case]
    assert list(selectors.cases_visible(user=worker)) == [case]


def test_a_rights_officer_holding_a_role_at_the_employers_union_does_not_see_its_confidential_case(
    worker, worker_member, employer, tree, officer_huashe
):
    # given: the township's rights officer also handles the employer's union
    officer_huashe.assignments.create(role=Role.HANDLER, node=tree["KQ-HS-001"])
    case = _file(worker, worker_member, enterprise=employer)
    other = _file(worker, worker_member, enterprise=employer, confidential=False)
    # then
    assert list(selectors.cases_visible(user=officer_huashe)) == [other]
    with pytest.raises(PermissionDenied):
        services.case_accept(by=officer_huashe, case=case, today=DAY)


def test_a_case_the_worker_lets_the_employer_learn_of_is_read_by_its_union_handler(
    worker, worker_member, employer, handler, handler_qixian
):
    # given
    case = _file(worker, worker_member, enterprise=employer, confidential=False)
    # then
    assert list(selectors.cases_visible(user=handler)) == [case]
    assert list(selectors.cases_visible(user=handler_qixian)) == []


def test_rights_officer_is_a_case_only_role():
    assert Role.RIGHTS_OFFICER not in SUBTREE_ROLES
    assert Role.LAWYER not in SUBTREE_ROLES


def test_case_walks_from_accepted_to_closed_and_the_worker_rates_it(
    worker, worker_member, employer, officer_huashe, lawyer
):
    # given
    case = _file(worker, worker_member, enterprise=employer)
    # when
    services.case_accept(by=officer_huashe, case=case, today=DAY)
    services.case_add_step(
        by=officer_huashe, case=case, kind=CaseStep.Kind.LEGAL_AID, on=DAY, notes="指派律师", lawyer=lawyer, today=DAY
    )
    services.case_add_step(by=lawyer.user, case=case, kind=CaseStep.Kind.ARBITRATION, on=DAY, today=DAY)
    services.case_close(
        by=officer_huashe, case=case, outcome="resolved", money_recovered="12345.675", today=DAY + dt.timedelta(days=3)
    )
    services.case_satisfaction(by=worker, case=case, rating=5, comment="谢谢", today=DAY + dt.timedelta(days=4))
    # then
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.accepted_on == DAY and case.first_answer_on == DAY
    assert case.money_recovered == Decimal("12345.68")
    assert case.satisfaction == 5
    assert not case.lawyer_assignments.filter(ended_on__isnull=True).exists()
    assert set(AuditLog.objects.filter(object_id=str(case.pk)).values_list("action", flat=True)) >= {
        "labour.case_file",
        "labour.case_accept",
        "labour.case_step",
        "labour.case_lawyer",
        "labour.case_close",
        "labour.case_satisfaction",
    }
    assert Notification.objects.filter(user=worker, event_key=f"labour.case.closed.{case.pk}").exists()


def test_steps_and_closing_check_the_transition(worker, worker_member, employer, officer_huashe):
    # given
    case = _file(worker, worker_member, enterprise=employer)
    # then: not accepted yet
    with pytest.raises(ValidationError):
        services.case_add_step(by=officer_huashe, case=case, kind="advice", on=DAY, today=DAY)
    with pytest.raises(ValidationError):
        services.case_close(by=officer_huashe, case=case, outcome="resolved", today=DAY)
    services.case_accept(by=officer_huashe, case=case, today=DAY)
    with pytest.raises(ValidationError):
        services.case_accept(by=officer_huashe, case=case, today=DAY)
    with pytest.raises(ValidationError) as exc:
        services.case_add_step(by=officer_huashe, case=case, kind="advice", on=DAY + dt.timedelta(days=1), today=DAY)
    assert "on" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.case_close(by=officer_huashe, case=case, outcome="resolved", money_recovered="abc", today=DAY)
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED and case.outcome == ""
    with pytest.raises(ValidationError):
        services.case_satisfaction(by=worker, case=case, rating=4, today=DAY)


def test_a_stranger_township_officer_cannot_accept(worker, worker_member, employer, officer_qixian):
    case = _file(worker, worker_member, enterprise=employer)
    with pytest.raises(PermissionDenied):
        services.case_accept(by=officer_qixian, case=case, today=DAY)


def test_lawyer_sees_only_the_cases_assigned_to_them(worker, worker_member, employer, officer_huashe, lawyer):
    # given
    assigned = _file(worker, worker_member, enterprise=employer)
    _file(worker, worker_member, enterprise=employer)
    services.case_accept(by=officer_huashe, case=assigned, today=DAY)
    services.case_assign_lawyer(by=officer_huashe, case=assigned, lawyer=lawyer, today=DAY)
    # then
    assert list(selectors.cases_visible(user=lawyer.user)) == [assigned]
    assert selectors.lawyer_roster().get(pk=lawyer.pk).workload == 1


def test_hotline_call_texts_the_caller_a_follow_link(officer_huashe, employer):
    # when
    case = make_case(by=officer_huashe, enterprise=employer, today=DAY)
    # then
    note = Notification.objects.get(event_key__startswith=f"labour.case.follow.{case.pk}.")
    assert note.user is None
    assert case.number in note.body
    assert [d.address for d in note.deliveries.filter(channel="sms")] == ["13800000001"]
    token = note.link.rstrip("/").rsplit("/", 1)[-1]
    assert services.case_for_follow_token(token=token) == case


def test_hotline_call_with_a_bad_mobile_is_refused(officer_huashe, employer):
    with pytest.raises(ValidationError) as exc:
        make_case(by=officer_huashe, enterprise=employer, worker_mobile="123", today=DAY)
    assert "worker_mobile" in exc.value.message_dict
    assert not RightsCase.objects.exists()


def test_case_record_keeps_the_keyword_signature_the_liaison_part_calls(officer_huashe, tree):
    # when
    case = services.case_record(
        by=officer_huashe,
        case_type="contract",
        facts="走访发现合同未签",
        employer_name="某小作坊",
        township=tree["KQ-HS"],
        worker_name="王五",
        worker_mobile="13900000002",
        source="visit",
        today=DAY,
    )
    # then
    assert case.source == "visit" and case.org == tree["KQ-HS"]


def test_group_wage_case_fires_the_hook_and_warns_the_district_from_the_threshold(
    officer_huashe, employer, district_admin, django_capture_on_commit_callbacks
):
    # given
    seen = []
    hooks.subscribe(services.GROUP_WAGE_EVENT, lambda **kw: seen.append(kw))
    CaseSettings.objects.create(group_warning_threshold=12)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        lead = make_case(by=officer_huashe, enterprise=employer, worker_count=8, today=DAY)
    # then: a group, under the threshold
    assert lead.is_group and seen == [{"case_id": lead.pk}]
    assert not Notification.objects.filter(
        user=district_admin, event_key__startswith="labour.case.group_warning"
    ).exists()
    # when: another worker's case of the same employer joins the group
    other = make_case(by=officer_huashe, enterprise=employer, worker_count=4, today=DAY)
    services.case_link_group(by=officer_huashe, case=other, lead=lead, today=DAY)
    # then
    assert selectors.group_size(case=lead) == 12
    assert Notification.objects.filter(
        user=district_admin, event_key=f"labour.case.group_warning.{lead.pk}.{district_admin.pk}"
    ).exists()


def test_group_links_only_cases_of_one_employer(officer_huashe, employer, tree):
    lead = make_case(by=officer_huashe, enterprise=employer, today=DAY)
    other = make_case(by=officer_huashe, employer_name="别的厂", township=tree["KQ-HS"], today=DAY)
    with pytest.raises(ValidationError):
        services.case_link_group(by=officer_huashe, case=other, lead=lead, today=DAY)


def test_settings_threshold_is_checked(district_admin, officer_huashe):
    with pytest.raises(ValidationError):
        services.case_settings_update(by=district_admin, group_warning_threshold=1)
    with pytest.raises(PermissionDenied):
        services.case_settings_update(by=officer_huashe, group_warning_threshold=5)
    assert services.case_settings_update(by=district_admin, group_warning_threshold=5).group_warning_threshold == 5


def test_overdue_cases_escalate_to_the_district_once(officer_huashe, officer_district, district_admin, employer):
    # given: received Thursday 24 September 2026, to be accepted by Monday 28 (Mid-Autumn 25–27 off)
    case = make_case(by=officer_huashe, enterprise=employer, today=dt.date(2026, 9, 24))
    # when
    on_time = services.escalate_overdue(today=dt.date(2026, 9, 28))
    late = services.escalate_overdue(today=dt.date(2026, 9, 29))
    again = services.escalate_overdue(today=dt.date(2026, 9, 30))
    # then
    assert (on_time, late, again) == (0, 1, 0)
    case.refresh_from_db()
    assert case.escalated_on == dt.date(2026, 9, 29)
    for person in (officer_district, district_admin):
        assert (
            Notification.objects.filter(user=person, event_key__startswith=f"labour.case.escalated.{case.pk}.").count()
            == 1
        )


def test_overdue_filter_lists_only_late_open_cases(officer_huashe, employer):
    late = make_case(by=officer_huashe, enterprise=employer, today=dt.date(2026, 9, 24))
    make_case(by=officer_huashe, enterprise=employer, today=dt.date(2026, 9, 28))
    qs = selectors.case_list(user=officer_huashe, today=dt.date(2026, 9, 29), overdue=True)
    assert list(qs) == [late]


@pytest.mark.parametrize(
    ("received", "accept", "answer", "close"),
    [
        # Friday before the make-up Sunday 20 September: the Sunday is a working day
        (dt.date(2026, 9, 18), dt.date(2026, 9, 20), dt.date(2026, 9, 22), dt.date(2026, 10, 18)),
        # Thursday before Mid-Autumn (25–27 September off)
        (dt.date(2026, 9, 24), dt.date(2026, 9, 28), dt.date(2026, 9, 30), dt.date(2026, 10, 24)),
        # the eve of National Day (1–7 October off; Saturday 10 October is a make-up working day)
        (dt.date(2026, 9, 30), dt.date(2026, 10, 8), dt.date(2026, 10, 10), dt.date(2026, 10, 30)),
        # received during the holiday
        (dt.date(2026, 10, 3), dt.date(2026, 10, 8), dt.date(2026, 10, 10), dt.date(2026, 11, 2)),
    ],
)
def test_case_timers_count_working_days_across_the_2026_autumn_holidays(
    officer_huashe, employer, received, accept, answer, close
):
    # when
    case = make_case(by=officer_huashe, enterprise=employer, today=received)
    # then
    assert (case.accept_due, case.answer_due, case.close_due) == (accept, answer, close)


def test_timers_read_the_deadline_rule_data(officer_huashe, employer):
    # given: the district counts 2 working days to accept
    from labour.models import DeadlineRule

    DeadlineRule.objects.create(key="case_accept", length=2, unit="working", first_day_counts=False)
    # when
    case = make_case(by=officer_huashe, enterprise=employer, today=dt.date(2026, 9, 30))
    # then
    assert case.accept_due == dt.date(2026, 10, 9)
    timers = selectors.case_timers(case=case, today=dt.date(2026, 10, 12))
    assert timers[0].overdue and timers[0].days_over == 3


def test_serious_cases_per_enterprise_for_the_ratings(officer_huashe, employer, employer_qixian, officer_qixian):
    # given
    make_case(by=officer_huashe, enterprise=employer, worker_count=5, case_type="contract", today=DAY)
    make_case(by=officer_huashe, enterprise=employer, today=DAY)
    resolved = make_case(by=officer_qixian, enterprise=employer_qixian, today=DAY)
    services.case_accept(by=officer_qixian, case=resolved, today=DAY)
    services.case_close(by=officer_qixian, case=resolved, outcome="resolved", today=DAY)
    make_case(by=officer_huashe, enterprise=employer, today=dt.date(2025, 1, 5))
    # when
    result = selectors.serious_cases_for(
        enterprise_ids=[employer.pk, employer_qixian.pk], start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
    )
    # then
    assert result == {employer.pk: 2}


def test_reveal_is_audited_and_refused_to_a_handler(worker, worker_member, employer, officer_huashe, handler):
    case = _file(worker, worker_member, enterprise=employer, confidential=False, health_details="左手骨折")
    assert services.case_reveal(by=officer_huashe, case=case)["health"] == "左手骨折"
    assert AuditLog.objects.filter(action="labour.case_reveal", actor=officer_huashe).count() == 1
    with pytest.raises(PermissionDenied):
        services.case_reveal(by=handler, case=case)


def test_the_group_wage_event_is_known_to_the_core():
    assert "labour.group_wage_case" in hooks.EVENTS


def test_officers_are_told_of_a_new_case(worker, worker_member, employer, tree):
    officer = make_officer("rights_hs2", tree["KQ-HS"])
    case = _file(worker, worker_member, enterprise=employer)
    assert Notification.objects.filter(user=officer, event_key=f"labour.case.new.{case.pk}.{officer.pk}").exists()


def test_a_case_without_an_employer_union_is_seen_by_the_townships_officer(officer_huashe, handler, tree):
    # given: an employer not on the roll (no employer union to hide it from)
    case = make_case(by=officer_huashe, employer_name="无名工地", township=tree["KQ-HS"], today=DAY)
    # then
    assert list(selectors.cases_visible(user=officer_huashe)) == [case]
    assert list(selectors.cases_visible(user=handler)) == []


def test_a_new_holiday_moves_the_timers_of_open_cases(officer_huashe, employer, django_capture_on_commit_callbacks):
    # given: received Friday 6 November 2026, to be accepted by Monday 9
    from union_portal.workdays import HolidayDay

    case = make_case(by=officer_huashe, enterprise=employer, today=dt.date(2026, 11, 6))
    assert case.accept_due == dt.date(2026, 11, 9)
    # when: the district declares Monday 9 a day off (the core's calendar_changed event runs after commit)
    with django_capture_on_commit_callbacks(execute=True):
        HolidayDay.objects.create(date=dt.date(2026, 11, 9), is_workday=False, name="test")
    # then: the handler moved the timer, and running it again moves nothing
    case.refresh_from_db()
    assert case.accept_due == dt.date(2026, 11, 10)
    assert services.cases_reevaluate_deadlines() == 0

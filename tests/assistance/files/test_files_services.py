"""Hardship files after opening: the yearly review, closure, the follow-up, the full view, and the two daily jobs
(review reminder, roll sweep)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assistance.models import CloseReason, FilePerson, FileReview, FileStatus, HardshipFile
from assistance.selectors.files import rules_in_force
from assistance.services import files as services
from assistance.services.files import add_months
from members import services as member_services
from tests.factories import holder
from union_portal.models import AuditLog, Notification
from union_portal.roles import Role

pytestmark = pytest.mark.django_db


def _review(file, by, today, **kw):
    args = {
        "income_12m": Decimal("30000"),
        "spending_12m": Decimal("0"),
        "household_size": 3,
        "outcome": FileReview.Outcome.KEPT,
        "today": today,
    }
    args.update(kw)
    return services.file_review(by=by, file=file, **args)


def test_add_months_keeps_the_last_day_of_a_shorter_month():
    assert add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2025, 11, 30), 3) == dt.date(2026, 2, 28)


def test_rules_in_force_fall_back_to_the_defaults_without_a_rule_set(tree, today):
    # given no RuleSet
    # when
    rules = rules_in_force(org=tree["KQ-HS-001"], on=today)
    # then
    assert rules["review_reminder_days"] == 30 and rules["poverty_line"] == "1062.00"


def test_rules_in_force_take_the_latest_version_effective_on_the_day(tree, today, district_admin):
    from assistance.models import RuleSet
    from assistance.rules import DEFAULT_RULES
    from union_portal.models import OrgUnit

    # given two versions at the district, the second effective tomorrow
    district = OrgUnit.objects.get(depth=2, path=tree["KQ-HS-001"].path[: 2 * OrgUnit.steplen])
    RuleSet.objects.create(
        org=district, effective_from=today - dt.timedelta(days=10), rules={**DEFAULT_RULES, "poverty_line": "1100.00"}
    )
    RuleSet.objects.create(
        org=district, effective_from=today + dt.timedelta(days=1), rules={**DEFAULT_RULES, "poverty_line": "1200.00"}
    )
    # when / then
    assert rules_in_force(org=tree["KQ-HS-001"], on=today)["poverty_line"] == "1100.00"
    assert rules_in_force(org=tree["KQ-HS-001"], on=today + dt.timedelta(days=1))["poverty_line"] == "1200.00"


def test_keeping_the_category_extends_the_file_by_a_year_and_records_the_review(hardship_file, huashe_staff, today):
    # given a deep-hardship file whose validity ends in 20 days; the re-check still gives deep hardship
    file = hardship_file(valid_until=today + dt.timedelta(days=20))
    old_until = file.valid_until
    # when
    review = _review(file, huashe_staff, today, income_12m=Decimal("30000"))
    # then
    file.refresh_from_db()
    assert review.outcome == "kept" and review.category_after == "deep"
    assert file.valid_until == add_months(old_until, 12)
    assert file.last_reviewed_on == today
    assert file.per_capita_income == Decimal("833.33")
    assert AuditLog.objects.filter(action="assistance.file_review", object_id=str(file.pk)).exists()


def test_keeping_a_category_the_rules_no_longer_give_needs_a_reason(hardship_file, huashe_staff, today):
    # given the household's income rose above both lines
    file = hardship_file()
    # when / then
    with pytest.raises(ValidationError):
        _review(file, huashe_staff, today, income_12m=Decimal("90000"))
    assert not FileReview.objects.filter(file=file).exists()


def test_changing_the_category_needs_a_reason_and_a_different_category(hardship_file, huashe_staff, today):
    file = hardship_file()
    with pytest.raises(ValidationError):
        _review(file, huashe_staff, today, outcome="changed", category="relative")
    with pytest.raises(ValidationError):
        _review(file, huashe_staff, today, outcome="changed", category="deep", note="同上")
    # when
    _review(file, huashe_staff, today, outcome="changed", category="relative", note="配偶病情好转")
    # then
    file.refresh_from_db()
    assert file.category == "relative"


def test_review_that_closes_the_file_closes_it_with_its_people(hardship_file, huashe_staff, today):
    # given
    file = hardship_file()
    # when the income rose above the lines and the staff close the file as recovered
    _review(
        file, huashe_staff, today, income_12m=Decimal("90000"), outcome="closed", close_reason="recovered", note="就业"
    )
    # then
    file.refresh_from_db()
    assert file.status == FileStatus.CLOSED and file.close_reason == "recovered" and file.closed_on == today
    assert not FilePerson.objects.filter(file=file, is_open=True).exists()


def test_negative_income_is_refused_and_nothing_is_saved(hardship_file, huashe_staff, today):
    file = hardship_file()
    with pytest.raises(ValidationError):
        _review(file, huashe_staff, today, income_12m=Decimal("-1"))
    assert not FileReview.objects.exists()


def test_staff_of_a_sibling_township_may_not_review(hardship_file, qixian_staff, today):
    file = hardship_file()
    with pytest.raises(PermissionDenied):
        _review(file, qixian_staff, today)


def test_closing_sets_reason_date_and_frees_the_people_for_a_new_file(hardship_file, huashe_staff, today):
    # given
    file = hardship_file()
    # when
    services.file_close(by=huashe_staff, file=file, reason=CloseReason.DECEASED, closed_on=today, today=today)
    # then
    file.refresh_from_db()
    assert (file.status, file.close_reason, file.closed_by) == ("closed", "deceased", huashe_staff)
    assert FilePerson.objects.filter(file=file).count() == 3
    assert not FilePerson.objects.filter(file=file, is_open=True).exists()


@pytest.mark.parametrize("days", [1, -400])
def test_closing_date_in_the_future_or_before_opening_is_refused(hardship_file, huashe_staff, today, days):
    file = hardship_file(opened_days_ago=300)
    with pytest.raises(ValidationError):
        services.file_close(
            by=huashe_staff,
            file=file,
            reason=CloseReason.RETIRED,
            closed_on=today + dt.timedelta(days=days),
            today=today,
        )
    file.refresh_from_db()
    assert file.status == FileStatus.OPEN


def test_closing_twice_is_refused(hardship_file, huashe_staff, today):
    file = hardship_file()
    services.file_close(by=huashe_staff, file=file, reason=CloseReason.RETIRED, closed_on=today, today=today)
    with pytest.raises(ValidationError):
        services.file_close(by=huashe_staff, file=file, reason=CloseReason.RETIRED, closed_on=today, today=today)


def test_follow_up_is_for_recovered_households_only(hardship_file, huashe_staff, today):
    # given a file closed on recovery with a follow-up, and one closed on retirement
    recovered = hardship_file()
    services.file_close(
        by=huashe_staff,
        file=recovered,
        reason=CloseReason.RECOVERED,
        closed_on=today,
        follow_up_on=today + dt.timedelta(days=90),
        today=today,
    )
    retired = hardship_file()
    services.file_close(by=huashe_staff, file=retired, reason=CloseReason.RETIRED, closed_on=today, today=today)
    # when
    services.file_follow_up_set(
        by=huashe_staff, file=recovered, follow_up_on=today + dt.timedelta(days=180), note="稳定"
    )
    # then
    recovered.refresh_from_db()
    assert recovered.follow_up_on == today + dt.timedelta(days=180) and recovered.follow_up_note == "稳定"
    with pytest.raises(ValidationError):
        services.file_follow_up_set(by=huashe_staff, file=retired, follow_up_on=today)


def test_full_view_is_audited_and_refused_to_a_stranger(hardship_file, huashe_staff, qixian_staff):
    file = hardship_file()
    details = services.file_reveal(by=huashe_staff, file=file)
    assert any(p.health_note for p in details.people)
    assert AuditLog.objects.filter(action="assistance.file_reveal", actor=huashe_staff, result="ok").count() == 1
    with pytest.raises(PermissionDenied):
        services.file_reveal(by=qixian_staff, file=file)
    assert AuditLog.objects.filter(action="assistance.file_reveal", actor=qixian_staff, result="denied").count() == 1


def test_reminder_goes_once_to_worker_and_staff_30_days_before_and_names_no_category(
    hardship_file, make_member, worker, today
):
    # given a file ending in 30 days (due), one ending in 31 days (not yet)
    due = hardship_file(valid_until=today + dt.timedelta(days=30))
    later = hardship_file(valid_until=today + dt.timedelta(days=31))
    # when the daily task runs twice
    first = services.file_remind_due(today=today)
    second = services.file_remind_due(today=today)
    # then
    assert (first, second) == (1, 0)
    due.refresh_from_db()
    assert due.reminded_for == due.valid_until
    later.refresh_from_db()
    assert later.reminded_for is None
    notes = Notification.objects.filter(event_key__startswith=f"assistance.file.{due.pk}.due")
    assert notes.filter(user__username="handler").exists() and notes.filter(user__username="huashe_staff").exists()
    worker_note = notes.get(event_key=f"assistance.file.{due.pk}.due.{due.valid_until.isoformat()}")
    for word in ("深度", "困难职工档案类别", "尿毒症", "30000"):
        assert word not in worker_note.title + worker_note.body


def test_after_a_review_the_next_period_is_reminded_again(hardship_file, huashe_staff, today):
    file = hardship_file(valid_until=today + dt.timedelta(days=10))
    assert services.file_remind_due(today=today) == 1
    _review(file, huashe_staff, today)
    file.refresh_from_db()
    later = file.valid_until - dt.timedelta(days=30)
    assert services.file_remind_due(today=later) == 1


def test_sweep_flags_files_of_members_who_left_once_and_tells_the_staff(hardship_file, make_member, today):
    # given one member who left and one still active
    leaver = make_member("KQ-HS-001")
    left_file = hardship_file(member=leaver)
    kept = hardship_file()
    member_services.member_change_status(
        by=holder(Role.HANDLER, leaver.org), member=leaver, status="left", effective_on=today, reason="离职"
    )
    # when
    first = services.file_sweep_roll(today=today)
    second = services.file_sweep_roll(today=today)
    # then
    assert (first, second) == (1, 0)
    left_file.refresh_from_db()
    kept.refresh_from_db()
    assert left_file.attention == "left" and left_file.attention_since == today
    assert kept.attention == ""
    assert Notification.objects.filter(event_key__startswith=f"assistance.file.{left_file.pk}.flagged").exists()


def test_sweep_flags_a_member_whose_union_is_now_outside_the_district(hardship_file, tree, today):
    from members.models import Member
    from tests.factories import GrassrootsUnionFactory

    file = hardship_file()
    elsewhere = GrassrootsUnionFactory()
    Member.objects.filter(pk=file.member_id).update(org=elsewhere)
    assert services.file_sweep_roll(today=today) == 1
    file.refresh_from_db()
    assert file.attention == "outside_district"


def test_clearing_the_flag_needs_a_note_and_keeps_the_file_open(hardship_file, huashe_staff, today):
    file = hardship_file(attention="retired")
    with pytest.raises(ValidationError):
        services.file_attention_clear(by=huashe_staff, file=file, note=" ")
    services.file_attention_clear(by=huashe_staff, file=file, note="退休后仍困难，继续帮扶")
    file.refresh_from_db()
    assert file.attention == "" and file.status == "open"


def test_a_closed_file_is_not_reminded_nor_swept(hardship_file, huashe_staff, today):
    file = hardship_file(valid_until=today + dt.timedelta(days=5))
    services.file_close(by=huashe_staff, file=file, reason=CloseReason.RETIRED, closed_on=today, today=today)
    assert services.file_remind_due(today=today) == 0
    assert HardshipFile.objects.get(pk=file.pk).reminded_for is None

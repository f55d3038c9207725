"""Working days of the public notice: statutory holidays, make-up working days, the editable table, and a
clear warning (not a crash) for a year the chinese-calendar package does not know."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from awards import services
from awards.models import Round
from union_portal import workdays
from union_portal.models import HolidayDay, Notification


@pytest.mark.django_db
def test_five_working_days_across_national_day_count_the_makeup_sunday():
    # Fri 26 Sep 2025; Sun 28 Sep is a make-up working day; 1-8 Oct is the National Day holiday
    end, warnings = workdays.add_working_days(dt.date(2025, 9, 26), 5)
    assert end == dt.date(2025, 10, 9)  # 26, 28, 29, 30 Sep, 9 Oct
    assert warnings == []


@pytest.mark.django_db
def test_a_makeup_working_saturday_counts():
    # Sat 11 Oct 2025 is a make-up working day after the National Day holiday
    end, _w = workdays.add_working_days(dt.date(2025, 10, 9), 5)
    assert end == dt.date(2025, 10, 14)  # 9, 10, 11 (Sat), 13, 14
    count, _w = workdays.working_days_between(dt.date(2025, 10, 1), dt.date(2025, 10, 12))
    assert count == 3  # 1-8 Oct holiday, 9, 10, 11 (Sat) working, 12 Sunday


@pytest.mark.django_db
def test_the_district_table_overrides_the_package():
    # given the district declares Fri 10 Oct 2025 a holiday (a local decision) in the table
    HolidayDay.objects.create(date=dt.date(2025, 10, 10), is_workday=False, name="本地调休")
    end, _w = workdays.add_working_days(dt.date(2025, 10, 9), 5)
    assert end == dt.date(2025, 10, 15)  # 9, 11 (Sat), 13, 14, 15


@pytest.mark.django_db
def test_a_notice_running_into_an_unknown_year_warns_instead_of_failing():
    # Mon 28 Dec 2026: 28-31 Dec are known; 2027 is not announced yet
    end, warnings = workdays.add_working_days(dt.date(2026, 12, 28), 5)
    assert end == dt.date(2027, 1, 4)  # New Year's Day is a holiday every year; then Monday to Friday
    assert len(warnings) == 1 and "2027" in warnings[0]


@pytest.mark.django_db
def test_a_year_entered_by_hand_no_longer_warns():
    HolidayDay.objects.create(date=dt.date(2027, 1, 1), is_workday=False, name="元旦")
    end, warnings = workdays.add_working_days(dt.date(2026, 12, 28), 5)
    assert end == dt.date(2027, 1, 4) and warnings == []


def test_fill_from_package_keeps_hand_rows(district_admin):
    HolidayDay.objects.create(date=dt.date(2025, 10, 8), is_workday=True, name="手工")
    written = services.holidays_fill_from_package(by=district_admin, year=2025)
    days = {d.date: d for d in HolidayDay.objects.filter(date__year=2025)}
    assert written == len(days) - 1
    assert days[dt.date(2025, 10, 8)].source == HolidayDay.Source.MANUAL
    assert days[dt.date(2025, 10, 11)].is_workday and days[dt.date(2025, 10, 11)].name == "国庆节"
    assert not days[dt.date(2025, 10, 1)].is_workday
    # idempotent
    assert services.holidays_fill_from_package(by=district_admin, year=2025) == written


def test_fill_for_an_unknown_year_is_a_clear_error(district_admin):
    with pytest.raises(ValidationError) as exc:
        services.holidays_fill_from_package(by=district_admin, year=2027)
    assert "2027" in str(exc.value)


def test_notice_into_2027_keeps_the_warning_on_the_round(
    tree, handler, huashe_staff, district_admin, make_member, nominate, award_round
):
    member = make_member(tree["KQ-HS-001"], sex="F", is_migrant=True)
    nomination = nominate(handler, member)
    services.nomination_review(by=huashe_staff, nomination=nomination, decision="pass")
    services.nomination_review(by=district_admin, nomination=nomination, decision="pass")
    round_ = services.round_start_notice(
        by=district_admin, round_=award_round, starts_on=dt.date(2026, 12, 28), today=dt.date(2026, 12, 1)
    )
    assert round_.status == Round.Status.NOTICE and round_.notice_ends == dt.date(2027, 1, 4)
    assert "2027" in round_.notice_warnings[0]


def _on_notice_from_28_december_2026(tree, handler, huashe_staff, district_admin, make_member, nominate, award_round):
    member = make_member(tree["KQ-HS-001"], sex="F", is_migrant=True)
    nomination = nominate(handler, member)
    services.nomination_review(by=huashe_staff, nomination=nomination, decision="pass")
    services.nomination_review(by=district_admin, nomination=nomination, decision="pass")
    return services.round_start_notice(
        by=district_admin, round_=award_round, starts_on=dt.date(2026, 12, 28), today=dt.date(2026, 12, 1)
    )


def test_filling_the_table_later_moves_the_notice_and_tells_its_owner_once(
    tree,
    handler,
    huashe_staff,
    district_admin,
    make_member,
    nominate,
    award_round,
    django_capture_on_commit_callbacks,
):
    # given a round on notice from Mon 28 Dec 2026 for 5 working days: 28-31 Dec and Mon 4 Jan 2027
    round_ = _on_notice_from_28_december_2026(
        tree, handler, huashe_staff, district_admin, make_member, nominate, award_round
    )
    assert round_.notice_ends == dt.date(2027, 1, 4)

    def told():
        return Notification.objects.filter(user=district_admin, event_key__startswith=f"notice:{round_.notice_id}:")

    # when the State Council's 2027 arrangement is entered: 4 January is a day off (a new holiday)
    with django_capture_on_commit_callbacks(execute=True):
        services.holiday_set(by=district_admin, date=dt.date(2027, 1, 4), is_workday=False, name="元旦")

    # then the derived end moves (the cached value was invalidated), so does the stored copy, and the owner is told
    round_ = Round.objects.get(pk=round_.pk)
    assert round_.notice_ends == dt.date(2027, 1, 5) and round_.notice.ends_on == dt.date(2027, 1, 5)
    assert round_.notice_warnings == []
    assert [n.body for n in told()] == [
        f"公示《{round_.title}》的截止日期由2027年1月4日改为2027年1月5日（放假安排调整）"
    ]

    # when the same row is saved again, nobody is told anything
    with django_capture_on_commit_callbacks(execute=True):
        services.holiday_set(by=district_admin, date=dt.date(2027, 1, 4), is_workday=False, name="元旦")
    assert told().count() == 1

    # when a make-up working Saturday (2 January) is entered, the notice ends earlier, and the owner is told again
    with django_capture_on_commit_callbacks(execute=True):
        services.holiday_set(by=district_admin, date=dt.date(2027, 1, 2), is_workday=True, name="元旦")
    round_ = Round.objects.get(pk=round_.pk)
    assert round_.notice_ends == dt.date(2027, 1, 2) and told().count() == 2

    # when the hand row is deleted again, the end date moves back
    with django_capture_on_commit_callbacks(execute=True):
        services.holiday_delete(by=district_admin, day=HolidayDay.objects.get(date=dt.date(2027, 1, 2)))
    assert Round.objects.get(pk=round_.pk).notice_ends == dt.date(2027, 1, 5) and told().count() == 3


def test_the_nightly_close_catches_up_a_lost_calendar_event(
    tree, handler, huashe_staff, district_admin, make_member, nominate, award_round
):
    round_ = _on_notice_from_28_december_2026(
        tree, handler, huashe_staff, district_admin, make_member, nominate, award_round
    )
    # given a holiday row whose after-commit event never ran (the test transaction never commits)
    HolidayDay.objects.create(date=dt.date(2027, 1, 4), is_workday=False, name="元旦")
    workdays._bump_calendar_version()  # what the lost event would have done first

    # when the notice would have closed under the old stored date, it is not closed but moved
    assert services.close_due_notices(today=dt.date(2027, 1, 5)) == []
    round_ = Round.objects.get(pk=round_.pk)
    assert round_.status == Round.Status.NOTICE and round_.notice.ends_on == dt.date(2027, 1, 5)
    assert services.close_due_notices(today=dt.date(2027, 1, 6)) == [round_.pk]

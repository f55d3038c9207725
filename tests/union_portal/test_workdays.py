"""The working-day calendar of the core (union_portal.workdays): fixed-date statutory holidays in every year,
whatever the package or the table knows; end dates derived from start, length and calendar, cached until the
holiday table changes; one ``workdays.calendar_changed`` event per transaction that changes the table.

The calendar is the subject here, so the dates are explicit."""

import datetime as dt

import chinese_calendar
import pytest
from django.db import transaction

from union_portal import hooks, workdays
from union_portal.models import HolidayDay

pytestmark = pytest.mark.django_db


@pytest.fixture
def package_stops_at_2026(monkeypatch):
    """The package as it is today, whatever later release is installed: it knows no year after 2026."""
    known = chinese_calendar.is_workday

    def is_workday(day):
        if day.year > 2026:
            raise NotImplementedError(f"no data for {day.year}")
        return known(day)

    monkeypatch.setattr(workdays.chinese_calendar, "is_workday", is_workday)


@pytest.fixture
def calendar_events():
    received = []

    def handler(**kwargs):
        received.append(kwargs)

    hooks.subscribe(workdays.CALENDAR_CHANGED, handler)
    yield received
    hooks._handlers[workdays.CALENDAR_CHANGED].remove(handler)


@pytest.mark.parametrize("year", [2027, 2028, 2030])
def test_new_years_day_is_a_holiday_in_a_year_nobody_knows(package_stops_at_2026, year):
    # given an empty holiday table and a package that does not know the year
    assert not HolidayDay.objects.exists()
    calendar = workdays.load_calendar(dt.date(year, 1, 1), dt.date(year, 1, 31))

    # then 1 January is a holiday (and the year still warns: its make-up days are unknown)
    assert not calendar.is_workday(dt.date(year, 1, 1))
    assert calendar.unknown_years == set()  # the fixed rule answered without asking the package
    count, warnings = workdays.working_days_between(dt.date(year, 1, 1), dt.date(year, 1, 7))
    weekdays = sum(dt.date(year, 1, d).weekday() < 5 for d in range(2, 8))
    assert count == weekdays and len(warnings) == 1 and str(year) in warnings[0]


def test_fixed_date_holidays_hold_in_a_far_year_whatever_the_table_says(package_stops_at_2026):
    # given the table wrongly marks 2 October 2035 a working day
    HolidayDay.objects.create(date=dt.date(2035, 10, 2), is_workday=True, name="误录")
    calendar = workdays.load_calendar(dt.date(2035, 1, 1), dt.date(2035, 12, 31))
    for month, day in [(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)]:
        assert not calendar.is_workday(dt.date(2035, month, day)), (month, day)
    assert workdays.fixed_holiday(dt.date(2035, 5, 2)) == "劳动节"
    # 2 May became a statutory holiday with the 2024 revision (in force from 2025)
    assert workdays.fixed_holiday(dt.date(2024, 5, 2)) == ""
    assert calendar.is_workday(dt.date(2035, 10, 8))  # Monday after the fixed days: the plain week


def test_a_notice_of_five_working_days_from_28_december_2026_ends_on_4_january(package_stops_at_2026):
    # Mon 28 Dec 2026: 28, 29, 30, 31 Dec; 1 Jan 2027 New Year's Day; 2-3 Jan weekend; 4 Jan the fifth
    end, warnings = workdays.end_date(dt.date(2026, 12, 28), 5)
    assert end == dt.date(2027, 1, 4)
    assert len(warnings) == 1 and "2027" in warnings[0]


def test_a_legal_deadline_counts_from_the_day_after():
    # DOMAIN: a bargaining request received on Fri 2026-09-18 has its 10-working-day reply due on 2026-10-09
    # (20 Sep a make-up Sunday; 25-27 Sep Mid-Autumn and 1-7 Oct National Day off)
    assert workdays.deadline_after(dt.date(2026, 9, 18), 10) == (dt.date(2026, 10, 9), [])
    # a public notice counts its first day: opened Tue 2026-12-01 for 5 working days, it ends Mon 2026-12-07
    assert workdays.end_date(dt.date(2026, 12, 1), 5) == (dt.date(2026, 12, 7), [])


def test_the_derived_end_is_cached_until_the_table_changes(
    package_stops_at_2026, django_assert_num_queries, django_capture_on_commit_callbacks
):
    start = dt.date(2026, 12, 28)
    assert workdays.end_date(start, 5)[0] == dt.date(2027, 1, 4)
    with django_assert_num_queries(0):  # read again: from the cache
        assert workdays.end_date(start, 5)[0] == dt.date(2027, 1, 4)
    version = workdays.calendar_version()

    # when the district enters 4 January 2027 as a holiday (any save of the table)
    with django_capture_on_commit_callbacks(execute=True):
        HolidayDay.objects.create(date=dt.date(2027, 1, 4), is_workday=False, name="元旦")

    # then the calendar has a new version and the end date follows the table
    assert workdays.calendar_version() != version
    assert workdays.end_date(start, 5) == (dt.date(2027, 1, 5), [])  # 2027 is in the table now: no warning


def test_one_event_per_transaction_however_many_rows_change(calendar_events, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        HolidayDay.objects.create(date=dt.date(2027, 2, 16), is_workday=False, name="春节")
        HolidayDay.objects.create(date=dt.date(2027, 2, 17), is_workday=False, name="春节")
        HolidayDay.objects.filter(date=dt.date(2027, 2, 17)).delete()
        assert calendar_events == []  # not before the commit
    assert calendar_events == [{"dates": ["2027-02-16", "2027-02-17"]}]

    # a change in a transaction that rolls back is not announced; the next one is
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            HolidayDay.objects.create(date=dt.date(2027, 2, 18), is_workday=False, name="春节")
            raise RuntimeError
        HolidayDay.objects.create(date=dt.date(2027, 2, 19), is_workday=False, name="春节")
    assert calendar_events[1:] == [{"dates": ["2027-02-19"]}]


def test_the_computed_lunar_holidays_agree_with_every_year_the_state_council_announced():
    # the computation (lunardate's tables, chinese-calendar's solar terms) against the package's real years
    for year in range(2008, 2027):
        days = workdays._lunar_holidays(year)
        assert len(days) == (7 if year >= 2025 else 6), year
        for day, name in days.items():
            assert chinese_calendar.is_holiday(day), (year, day, name)


def test_lunar_holidays_are_computed_for_a_year_nobody_knows(package_stops_at_2026):
    calendar = workdays.load_calendar(dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    # 2027: 除夕 Fri 5 Feb, 春节 6-8 Feb, 清明 Mon 5 Apr, 端午 Wed 9 Jun, 中秋 Wed 15 Sep
    for day in ["2027-02-05", "2027-02-08", "2027-04-05", "2027-06-09", "2027-09-15"]:
        assert not calendar.is_workday(dt.date.fromisoformat(day)), day
    assert workdays.lunar_holiday(dt.date(2035, 2, 8)) == "春节"  # 春节 2035: Thu 8 February
    # the table still corrects a computed day (the district's word wins over the computation)
    HolidayDay.objects.create(date=dt.date(2027, 6, 9), is_workday=True, name="更正")
    assert workdays.load_calendar(dt.date(2027, 6, 1), dt.date(2027, 6, 30)).is_workday(dt.date(2027, 6, 9))

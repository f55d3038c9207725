"""The labour app's deadlines (labour/deadlines.py) across the 2026 Mid-Autumn (9-25..9-27) and National Day
(10-1..10-7) holidays, with the make-up working days Sunday 9-20 and Saturday 10-10 (chinese_calendar), and
the district admin's rules (DeadlineRule) overriding the shipped defaults."""

import datetime as dt

import pytest

from labour.deadlines import DEFAULTS, Rule, due, due_date
from labour.models import DeadlineKey, DeadlineRule

K = DeadlineKey
D = dt.date


def test_the_calendar_of_autumn_2026_has_the_make_up_days_and_holidays_the_tests_assume():
    import chinese_calendar

    # given / when / then
    assert chinese_calendar.is_workday(D(2026, 9, 20))  # Sunday, make-up working day
    assert chinese_calendar.is_workday(D(2026, 10, 10))  # Saturday, make-up working day
    assert not any(chinese_calendar.is_workday(D(2026, 9, d)) for d in (25, 26, 27))
    assert not any(chinese_calendar.is_workday(D(2026, 10, d)) for d in range(1, 8))


# (deadline, event day, due day): every shipped deadline from Friday 9-18 (before both holidays, the
# make-up Sunday two days later) and from Wednesday 9-30 (the eve of National Day, the make-up Saturday after)
CASES = [
    (K.CASE_ACCEPT, D(2026, 9, 18), D(2026, 9, 20)),  # the make-up Sunday is the first working day
    (K.CASE_FIRST_ANSWER, D(2026, 9, 18), D(2026, 9, 22)),
    (K.CASE_CLOSE, D(2026, 9, 18), D(2026, 10, 18)),  # 30 calendar days: the holidays count
    (K.BARGAINING_REPLY, D(2026, 9, 18), D(2026, 10, 9)),  # DOMAIN.md's example
    (K.BARGAINING_FINISH, D(2026, 9, 18), D(2026, 11, 17)),
    (K.CONTRACT_RENEWAL, D(2026, 9, 18), D(2026, 12, 17)),
    (K.CONTRACT_FILING, D(2026, 9, 18), D(2026, 9, 28)),
    (K.CONTRACT_OBJECTION, D(2026, 9, 18), D(2026, 10, 3)),
    (K.CONTRACT_PUBLISH, D(2026, 9, 18), D(2026, 9, 24)),
    (K.RATING_NOTICE, D(2026, 9, 18), D(2026, 9, 23)),  # a notice counts its first day (Friday)
    (K.CASE_ACCEPT, D(2026, 9, 30), D(2026, 10, 8)),
    (K.CASE_FIRST_ANSWER, D(2026, 9, 30), D(2026, 10, 10)),  # ends on the make-up Saturday
    (K.CASE_CLOSE, D(2026, 9, 30), D(2026, 10, 30)),
    (K.BARGAINING_REPLY, D(2026, 9, 30), D(2026, 10, 20)),  # 10-10 counts
    (K.BARGAINING_FINISH, D(2026, 9, 30), D(2026, 11, 29)),
    (K.CONTRACT_RENEWAL, D(2026, 9, 30), D(2026, 12, 29)),
    (K.CONTRACT_FILING, D(2026, 9, 30), D(2026, 10, 10)),
    (K.CONTRACT_OBJECTION, D(2026, 9, 30), D(2026, 10, 15)),
    (K.CONTRACT_PUBLISH, D(2026, 9, 30), D(2026, 10, 13)),
    (K.RATING_NOTICE, D(2026, 9, 30), D(2026, 10, 12)),
]


def test_every_shipped_deadline_has_a_case_on_both_event_days():
    # given / when
    keys = {(key, event.day) for key, event, _due in CASES}
    # then
    assert keys == {(key, day) for key in DEFAULTS for day in (18, 30)}


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "event_on", "expected"), CASES)
def test_shipped_deadline_falls_on_the_day_the_holiday_calendar_gives(key, event_on, expected):
    # given: no rule of the district's (the shipped default)
    # when
    due_on, warnings = due(key, event_on)
    # then
    assert due_on == expected
    assert warnings == []


@pytest.mark.django_db
def test_a_bargaining_request_received_friday_before_the_holidays_is_answered_by_9_october():
    # given: DOMAIN.md "Working days"
    # when
    due_on, _warnings = due(K.BARGAINING_REPLY, D(2026, 9, 18))
    # then: 9-20 (make-up Sunday) counts, 9-25..27 and 10-1..7 do not
    assert due_on == D(2026, 10, 9)


@pytest.mark.django_db
def test_a_district_rule_overrides_the_shipped_default():
    # given: the district counts the bargaining reply in calendar days, the first day counting
    DeadlineRule.objects.create(
        key=K.BARGAINING_REPLY, length=15, unit=DeadlineRule.Unit.CALENDAR, first_day_counts=True
    )
    # when
    due_on, _warnings = due(K.BARGAINING_REPLY, D(2026, 9, 18))
    # then
    assert due_on == D(2026, 10, 2)


@pytest.mark.django_db
def test_a_notice_opened_on_a_tuesday_for_five_working_days_ends_on_the_monday():
    # given: DOMAIN.md's notice example (2026-12-01, first day counts)
    rule = Rule(5, DeadlineRule.Unit.WORKING, True)
    # when
    due_on, _warnings = due_date(rule, D(2026, 12, 1))
    # then
    assert due_on == D(2026, 12, 7)


@pytest.mark.django_db
def test_a_working_day_period_into_a_year_without_holiday_data_warns():
    # given: a year the State Council has not announced (the package knows up to 2026)
    rule = Rule(10, DeadlineRule.Unit.WORKING, False)
    # when
    due_on, warnings = due_date(rule, D(2028, 12, 25))
    # then: the fixed-date 1 January (a Monday) is still a holiday, and the reader is warned
    assert due_on == D(2029, 1, 9)
    assert warnings

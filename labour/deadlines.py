"""Due dates of the labour app's deadlines, from the rules in ``DeadlineRule`` (or the shipped defaults) and the
core's working-day calendar. Two ways of counting (DOMAIN.md "Working days"): a legal deadline starts on the day
after the event; a notice counts its first day. A period that runs into a year without holiday data is computed
with the fixed-date holidays and returns a warning, never an error."""

import datetime as dt
from dataclasses import dataclass

from union_portal import workdays

from .models import DeadlineKey, DeadlineRule


@dataclass(frozen=True)
class Rule:
    length: int
    unit: str  # DeadlineRule.Unit
    first_day_counts: bool


WORKING = DeadlineRule.Unit.WORKING
CALENDAR = DeadlineRule.Unit.CALENDAR

# DOMAIN.md "Labour relations": the shipped defaults. An administrator's row in DeadlineRule overrides one.
DEFAULTS: dict[str, Rule] = {
    DeadlineKey.CASE_ACCEPT: Rule(1, WORKING, False),
    DeadlineKey.CASE_FIRST_ANSWER: Rule(3, WORKING, False),
    DeadlineKey.CASE_CLOSE: Rule(30, CALENDAR, False),
    DeadlineKey.BARGAINING_REPLY: Rule(10, WORKING, False),
    DeadlineKey.BARGAINING_FINISH: Rule(60, CALENDAR, False),
    DeadlineKey.CONTRACT_RENEWAL: Rule(90, CALENDAR, False),
    DeadlineKey.CONTRACT_FILING: Rule(10, CALENDAR, False),
    DeadlineKey.CONTRACT_OBJECTION: Rule(15, CALENDAR, False),
    DeadlineKey.CONTRACT_PUBLISH: Rule(5, WORKING, False),
    DeadlineKey.RATING_NOTICE: Rule(5, WORKING, True),
}


def rule_for(key: str) -> Rule:
    row = DeadlineRule.objects.filter(key=key).first()
    if row is None:
        return DEFAULTS[key]
    return Rule(row.length, row.unit, row.first_day_counts)


def due_date(rule: Rule, event_on: dt.date) -> tuple[dt.date, list[str]]:
    """The last day of the period that ``rule`` gives from ``event_on``, and the calendar's warnings."""
    start = event_on if rule.first_day_counts else event_on + dt.timedelta(days=1)
    if rule.unit == CALENDAR:
        return start + dt.timedelta(days=rule.length - 1), []
    return workdays.end_date(start, rule.length)


def due(key: str, event_on: dt.date) -> tuple[dt.date, list[str]]:
    """``due_date`` with the rule in force for ``key``."""
    return due_date(rule_for(key), event_on)

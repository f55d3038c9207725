"""Pure rules of cadres' liaison (no ORM): when the next visit is due."""

import calendar
import datetime as dt

# Visit each assigned enterprise at least every N months (settings.LABOUR_LIAISON_VISIT_MONTHS overrides).
DEFAULT_VISIT_EVERY_MONTHS = 3


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day (31 January + 1 month = 28/29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def visit_due_on(*, assigned_on: dt.date, last_visit: dt.date | None, every_months: int) -> dt.date:
    """The next visit is due ``every_months`` after the last one (or after the assignment, before any visit)."""
    return add_months(last_visit or assigned_on, every_months)


def is_overdue(*, assigned_on: dt.date, last_visit: dt.date | None, every_months: int, today: dt.date) -> bool:
    return today > visit_due_on(assigned_on=assigned_on, last_visit=last_visit, every_months=every_months)

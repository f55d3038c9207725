"""Working days (public notices, deadlines): the fixed-date statutory holidays, then the district's editable
holiday table (HolidayDay), then the chinese-calendar package (statutory holidays and make-up working days as
announced by the State Council), then the Monday-to-Friday week.

- Fixed-date statutory holidays (全国年节及纪念日放假办法, as revised by State Council Order No. 795 of
  10 November 2024, in force from 1 January 2025): 1 January (元旦), 1-2 May (劳动节; 2 May from 2025),
  1-3 October (国庆节). They are holidays in every year, whatever the package or the table says.
- The other statutory holidays move with the lunar calendar or the solar terms: 春节 (除夕 and the first three
  days of the first lunar month), 清明 (the Qingming solar term), 端午 (5th of the 5th lunar month), 中秋
  (15th of the 8th lunar month). For a year neither the table nor the package knows they are computed
  (``lunar_holiday``: the pinned ``lunardate`` package's tables for 1900-2099, chinese-calendar's solar terms
  for Qingming; both checked against the package's announced years 2008-2026 in the tests); the table can
  still correct them. What nobody can compute is the year's arrangement: the extra days off and the make-up
  working days, which the State Council announces late in the year before.
- The package only knows the years already announced; for a later year it raises NotImplementedError. We
  never let that crash a notice: apart from the fixed-date holidays, a day in a year neither the table nor
  the package knows is counted by the Monday-to-Friday rule and a warning names the year, so staff can fill
  the table by hand.
- An end date or deadline is derived from its start, its length and the calendar when it is read
  (``end_date``, ``deadline_after``), cached under a calendar version that changes whenever the holiday table
  changes (``calendar_changed``, called by the HolidayDay signals and by bulk writes). The change also fires the
  ``workdays.calendar_changed`` hook (union_portal.hooks) after commit, so each app re-evaluates its open
  notices and deadlines and tells the owners of a date that moved.
- Two ways of counting: a public notice counts its first day (``end_date``); a legal deadline starts on the day
  after the event (``deadline_after``)."""

import datetime as dt
import functools
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

import chinese_calendar
from django.core.cache import cache
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lunardate import LunarDate

from . import hooks

logger = logging.getLogger(__name__)

# (month, day, name, in force from year): the statutory holidays on a fixed Gregorian date.
FIXED_HOLIDAYS: tuple[tuple[int, int, str, int], ...] = (
    (1, 1, "元旦", 1949),
    (5, 1, "劳动节", 1949),
    (5, 2, "劳动节", 2025),  # added by the 2024 revision (State Council Order No. 795)
    (10, 1, "国庆节", 1949),
    (10, 2, "国庆节", 1949),
    (10, 3, "国庆节", 1949),
)
_FIXED = {(month, day): (name, since) for month, day, name, since in FIXED_HOLIDAYS}

CALENDAR_CHANGED = "workdays.calendar_changed"
_VERSION_KEY = "workdays:calendar-version"
# Derived dates are also keyed by the calendar version, so this only bounds the memory of stale entries.
_CACHE_SECONDS = 7 * 24 * 3600


class HolidayDay(models.Model):
    """A day that differs from the Monday-to-Friday week: a statutory holiday on a weekday or a make-up
    working day on a weekend. Filled from the chinese-calendar package; the district admin may edit it."""

    class Source(models.TextChoices):
        PACKAGE = "package", gettext_lazy("State Council holiday schedule")
        MANUAL = "manual", gettext_lazy("Entered by hand")

    date = models.DateField(gettext_lazy("date"), unique=True)
    is_workday = models.BooleanField(gettext_lazy("working day"))
    name = models.CharField(gettext_lazy("name"), max_length=50, blank=True)
    source = models.CharField(gettext_lazy("source"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = gettext_lazy("holiday calendar day")
        verbose_name_plural = gettext_lazy("holiday calendar")

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


def fixed_holiday(day: dt.date) -> str:
    """The name of the fixed-date statutory holiday on ``day`` ("" when it is none)."""
    entry = _FIXED.get((day.month, day.day))
    if entry is None or day.year < entry[1]:
        return ""
    return entry[0]


@functools.cache
def _lunar_holidays(year: int) -> dict[dt.date, str]:
    """The year's statutory holidays on a lunar date or a solar term (2008 on: Qingming, Dragon Boat and
    Mid-Autumn became holidays then; 除夕 again from 2025); {} outside the years the tables cover."""
    if not 2008 <= year <= 2099:
        return {}
    new_year = LunarDate(year, 1, 1).to_solar_date()
    days = {new_year + dt.timedelta(days=n): "春节" for n in range(3)}
    if year >= 2025:
        days[new_year - dt.timedelta(days=1)] = "春节"  # 除夕, added by the 2024 revision
    days[LunarDate(year, 5, 5).to_solar_date()] = "端午节"
    days[LunarDate(year, 8, 15).to_solar_date()] = "中秋节"
    for day, term in chinese_calendar.get_solar_terms(dt.date(year, 4, 1), dt.date(year, 4, 30)):
        if term == "清明":
            days[day] = "清明节"
    return days


def lunar_holiday(day: dt.date) -> str:
    """The name of the statutory holiday on a lunar date or solar term on ``day`` ("" when it is none)."""
    return _lunar_holidays(day.year).get(day, "")


def package_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def package_special_days(year: int) -> list[tuple[dt.date, bool, str]]:
    """(date, is_workday, name) for the year's statutory holidays on weekdays and make-up working days on
    weekends, from the package; [] for a year it does not know."""
    if not package_knows(year):
        return []
    days = []
    current = dt.date(year, 1, 1)
    while current.year == year:
        weekend = current.weekday() >= 5
        on, name = chinese_calendar.get_holiday_detail(current)
        workday = not on
        if workday == weekend:  # differs from the plain week
            days.append((current, workday, _holiday_label(name)))
        current += dt.timedelta(days=1)
    return days


def _holiday_label(name: str | None) -> str:
    """The package names holidays in English; its Holiday enum pairs each with the Chinese name."""
    if not name:
        return ""
    chinese = {h.value: h.chinese for h in chinese_calendar.Holiday}
    return chinese.get(name, name)


@dataclass
class Calendar:
    """Answers "is this a working day?": a fixed-date statutory holiday never is; then the table rows (the
    district's edits), then the package, then, for a year nobody knows, the computed lunar statutory holidays
    and the plain Monday-to-Friday week (with a warning)."""

    overrides: dict[dt.date, bool]
    table_years: set[int]
    unknown_years: set[int] = field(default_factory=set)

    def is_workday(self, day: dt.date) -> bool:
        if fixed_holiday(day):
            return False
        if day in self.overrides:
            return self.overrides[day]
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            # A year the State Council has not announced: the plain week, and a warning unless the district
            # has already entered that year's days in the table.
            if day.year not in self.table_years:
                self.unknown_years.add(day.year)
        if lunar_holiday(day):
            return False
        return day.weekday() < 5

    def warnings(self) -> list[str]:
        return unknown_year_warnings(self.unknown_years)


def unknown_year_warnings(years: Iterable[int]) -> list[str]:
    """The warning for each year without holiday data, in the active language (stored values keep the years)."""
    return [
        _(
            "No holiday arrangement for %(year)s yet: apart from the statutory holidays themselves, its days were "
            "counted Monday to Friday; the extra days off and the make-up working days are not known yet. Enter "
            "the year's arrangement in the holiday table and check the dates."
        )
        % {"year": year}
        for year in sorted(years)
    ]


def load_calendar(start: dt.date, end: dt.date) -> Calendar:
    """The table rows between start and end (with a margin) in one query."""
    rows = list(HolidayDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "is_workday"))
    years = set(
        HolidayDay.objects.filter(date__year__gte=start.year, date__year__lte=end.year)
        .values_list("date__year", flat=True)
        .distinct()
    )
    return Calendar(overrides=dict(rows), table_years=years)


def add_working_days(start: dt.date, days: int, *, calendar: Calendar | None = None) -> tuple[dt.date, list[str]]:
    """The date of the ``days``-th working day counting ``start`` itself when it is one, and the warnings.

    A notice of 5 working days starting on Friday 26 Sept 2025 runs 26, 28 (make-up Sunday), 29, 30 Sept and
    9 Oct (after the National Day holiday)."""
    if days < 1:
        raise ValueError("days must be positive")
    calendar = calendar or load_calendar(start, start + dt.timedelta(days=days * 3 + 30))
    current = start
    counted = 0
    while True:
        if calendar.is_workday(current):
            counted += 1
            if counted == days:
                return current, calendar.warnings()
        current += dt.timedelta(days=1)


def working_days_between(start: dt.date, end: dt.date, *, calendar: Calendar | None = None) -> tuple[int, list[str]]:
    """Working days from start to end, both included."""
    calendar = calendar or load_calendar(start, end)
    count = 0
    current = start
    while current <= end:
        count += calendar.is_workday(current)
        current += dt.timedelta(days=1)
    return count, calendar.warnings()


# --- derived dates, cached by calendar version -----------------------------------------------------------------


def calendar_version() -> str:
    """The current version of the calendar: a token that changes after every committed change of the holiday
    table. Read it before reading the table, so a value computed from old rows is cached under an old version."""
    version = cache.get(_VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(_VERSION_KEY, version, timeout=None):
            version = cache.get(_VERSION_KEY) or version
    return version


def _bump_calendar_version() -> None:
    cache.set(_VERSION_KEY, uuid.uuid4().hex, timeout=None)


def _end_and_unknown_years(start: dt.date, working_days: int) -> tuple[dt.date, list[int]]:
    key = f"workdays:end:{calendar_version()}:{start.isoformat()}:{working_days}"
    hit = cache.get(key)
    if hit is not None:
        return dt.date.fromisoformat(hit[0]), list(hit[1])
    calendar = load_calendar(start, start + dt.timedelta(days=working_days * 3 + 30))
    end, _warnings = add_working_days(start, working_days, calendar=calendar)
    years = sorted(calendar.unknown_years)
    cache.set(key, (end.isoformat(), years), timeout=_CACHE_SECONDS)
    return end, years


def end_date(start: dt.date, working_days: int) -> tuple[dt.date, list[str]]:
    """The last day of a period of ``working_days`` working days that counts ``start`` itself when it is one
    (a public notice), and the warnings (years without holiday data). Derived from the calendar as it is now,
    cached until the holiday table changes."""
    end, years = _end_and_unknown_years(start, working_days)
    return end, unknown_year_warnings(years)


def end_date_unknown_years(start: dt.date, working_days: int) -> list[int]:
    """The years without holiday data that the period runs through (the codes behind ``end_date``'s warnings)."""
    return _end_and_unknown_years(start, working_days)[1]


def deadline_after(event_on: dt.date, working_days: int) -> tuple[dt.date, list[str]]:
    """A legal deadline of ``working_days`` working days, counted from the day after ``event_on`` (a bargaining
    request received on Friday 2026-09-18 has its 10-working-day reply due on 2026-10-09)."""
    return end_date(event_on + dt.timedelta(days=1), working_days)


class _PendingChange:
    """The calendar changes of one transaction: after commit, one new calendar version and one hook event."""

    def __init__(self) -> None:
        self.dates: set[dt.date] = set()
        self.done = False

    def __call__(self) -> None:
        self.done = True
        try:
            _bump_calendar_version()
        except Exception:  # the cache is down: entries expire, and the hook still re-evaluates the stored dates
            logger.exception("could not bump the working-day calendar version")
        hooks.fire(CALENDAR_CHANGED, dates=sorted(day.isoformat() for day in self.dates))


def calendar_changed(dates: Iterable[dt.date]) -> None:
    """Record that the holiday table changed on ``dates``. After the surrounding transaction commits (now,
    outside one), the cached derived dates are invalidated and ``workdays.calendar_changed`` is fired, once per
    transaction however many rows changed. Called by the HolidayDay save/delete signals; a bulk write
    (bulk_create, QuerySet.update) must call it itself."""
    connection = transaction.get_connection()
    pending: _PendingChange | None = getattr(connection, "_workdays_pending_change", None)
    # The pending change is still queued unless it ran or its transaction (or savepoint) was rolled back.
    if (
        pending is None
        or pending.done
        or not any(callback is pending for _sids, callback, _robust in connection.run_on_commit)
    ):
        pending = _PendingChange()
        pending.dates.update(dates)
        setattr(connection, "_workdays_pending_change", pending)  # noqa: B010  (a private slot on the connection)
        transaction.on_commit(pending, robust=True)
        return
    pending.dates.update(dates)

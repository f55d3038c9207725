"""Working days (public notices, deadlines): the chinese-calendar package (statutory holidays and make-up working
days as announced by the State Council) overlaid day by day by the district's editable holiday table (HolidayDay).

The package only knows the years already announced; for a later year it raises NotImplementedError. We
never let that crash a notice: a day in a year neither the table nor the package knows is counted by the
Monday-to-Friday rule and a warning names the year, so staff can fill the table by hand."""

import datetime as dt
from dataclasses import dataclass, field

import chinese_calendar
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class HolidayDay(models.Model):
    """A day that differs from the Monday-to-Friday week: a statutory holiday on a weekday or a make-up
    working day on a weekend. Filled from the chinese-calendar package; the district admin may edit it."""

    class Source(models.TextChoices):
        PACKAGE = "package", gettext_lazy("chinese-calendar package")
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
    """Answers "is this a working day?" from the table rows first (the district's edits), then the package,
    then the plain Monday-to-Friday week (with a warning)."""

    overrides: dict[dt.date, bool]
    table_years: set[int]
    unknown_years: set[int] = field(default_factory=set)

    def is_workday(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            # A year the State Council has not announced: the plain week, and a warning unless the district
            # has already entered that year's days in the table.
            if day.year not in self.table_years:
                self.unknown_years.add(day.year)
        return day.weekday() < 5

    def warnings(self) -> list[str]:
        return [
            _(
                "No holiday data for %(year)s: its days were counted Monday to Friday. Enter the year's "
                "holidays in the holiday table and check the dates."
            )
            % {"year": year}
            for year in sorted(self.unknown_years)
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

"""The holiday table (holidays and make-up working days) the public notice's working days are counted on."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from union_portal import workdays
from union_portal.audit import audit_record
from union_portal.models import HolidayDay, User
from union_portal.roles import Role
from union_portal.scoping import has_role


@transaction.atomic
def holidays_fill_from_package(*, by: User, year: int) -> int:
    """Copy the package's holidays and make-up working days of ``year`` into the table; rows entered by
    hand are kept. Returns the number of rows written; raises for a year the package does not know."""
    if not has_role(by, Role.DISTRICT_ADMIN):
        raise PermissionDenied
    if not workdays.package_knows(year):
        raise ValidationError(
            _("The State Council's holiday schedule for %(year)s is not known yet; enter that year's days by hand.")
            % {"year": year},
            code="no_data",
        )
    manual = set(
        HolidayDay.objects.filter(date__year=year, source=HolidayDay.Source.MANUAL).values_list("date", flat=True)
    )
    HolidayDay.objects.filter(date__year=year, source=HolidayDay.Source.PACKAGE).delete()
    rows = [
        HolidayDay(date=day, is_workday=workday, name=name, source=HolidayDay.Source.PACKAGE)
        for day, workday, name in workdays.package_special_days(year)
        if day not in manual
    ]
    HolidayDay.objects.bulk_create(rows)
    workdays.calendar_changed(row.date for row in rows)  # bulk_create sends no save signal
    audit_record(
        actor=by,
        action="awards.holidays_fill",
        object_type="union_portal.holidayday",
        object_id=year,
        detail={"rows": len(rows)},
    )
    return len(rows)


@transaction.atomic
def holiday_set(*, by: User, date: dt.date, is_workday: bool, name: str = "") -> HolidayDay:
    if not has_role(by, Role.DISTRICT_ADMIN):
        raise PermissionDenied
    day, _created = HolidayDay.objects.update_or_create(
        date=date, defaults={"is_workday": is_workday, "name": name, "source": HolidayDay.Source.MANUAL}
    )
    audit_record(actor=by, action="awards.holiday_set", obj=day, detail={"workday": is_workday})
    return day


@transaction.atomic
def holiday_delete(*, by: User, day: HolidayDay) -> None:
    if not has_role(by, Role.DISTRICT_ADMIN):
        raise PermissionDenied
    audit_record(actor=by, action="awards.holiday_delete", obj=day)
    day.delete()

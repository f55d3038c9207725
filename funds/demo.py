"""Demo data for union funds: a ratio set, the last ten months of payroll and collections for the demo
enterprises (a few months missing, to show shortfalls), founding reserves of the enterprises without a
union, and dues of the demo worker with two months in arrears. Idempotent: what exists is left alone.
Dated relative to today: the ten months are those before the current one; no collection is dated after
today."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from members.models import Enterprise, Member
from union_portal.models import OrgUnit

from .models import AllocationRatioSet, DuesPayment, FundsCollection, PayrollDeclaration
from .services import (
    collection_record,
    dues_record,
    funds_due_for_payroll,
    payroll_declare,
    ratio_set_create,
)


def _months_before(day: dt.date, count: int) -> list[dt.date]:
    """The first days of the ``count`` months before ``day``'s month, oldest first."""
    index = day.year * 12 + day.month - 1
    return [dt.date((i - 1) // 12, (i - 1) % 12 + 1, 1) for i in range(index - count + 1, index + 1)]


@transaction.atomic
def seed(*, stdout) -> None:
    today = timezone.localdate()
    months = _months_before(today, 10)
    User = get_user_model()
    finance = User.objects.get(username="finance")
    district_admin = User.objects.get(username="district_admin")
    handler = User.objects.get(username="handler")
    district = OrgUnit.objects.get(code="SX-KQ")
    if not AllocationRatioSet.objects.filter(district=district).exists():
        ratio_set_create(
            by=district_admin,
            district=district,
            effective_from=dt.date(months[0].year, 1, 1),
            grassroots_pct=Decimal("60"),
            district_pct=Decimal("20"),
            city_pct=Decimal("10"),
            province_pct=Decimal("5"),
            national_pct=Decimal("5"),
            note=f"柯桥区总工会 {months[0].year} 年拨缴比例",
        )
    posted = 0
    for seq, enterprise in enumerate(Enterprise.objects.order_by("uscc"), start=1):
        average_wage = Decimal(5800 + 150 * (seq % 7))
        for index, month in enumerate(months):
            payroll = average_wage * enterprise.employee_count + Decimal(37 * index)
            if not PayrollDeclaration.objects.filter(enterprise=enterprise, period=month).exists():
                payroll_declare(by=finance, enterprise=enterprise, period=month, total_payroll=payroll)
            # every fourth enterprise has not paid the last two months: the report shows the shortfall
            if seq % 4 == 0 and index >= len(months) - 2:
                continue
            if FundsCollection.objects.filter(
                enterprise=enterprise, period=month, status=FundsCollection.Status.POSTED
            ).exists():
                continue
            collection_record(
                by=finance,
                enterprise=enterprise,
                period=month,
                amount=funds_due_for_payroll(payroll),
                # the 15th of the next month, or today if that is still to come
                collected_on=min((month + dt.timedelta(days=32)).replace(day=15), today),
                tax_reference=f"33306{month.year}{month.month:02d}{seq:05d}",
            )
            posted += 1
    worker = Member.objects.filter(user__username="worker").first()
    if worker is not None:
        if worker.monthly_wage is None:
            Member.objects.filter(pk=worker.pk).update(monthly_wage=Decimal("6835.50"))
            worker.refresh_from_db()
        for month in months[:-2]:
            if not DuesPayment.objects.filter(member=worker, period=month).exists():
                dues_record(by=handler, members=[worker], period=month)
    stdout.write(f"  union funds: {posted} collections posted, {FundsCollection.objects.count()} in all")

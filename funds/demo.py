"""Demo data for union funds: a ratio set, ten months of payroll and collections for the demo enterprises
(a few months missing, to show shortfalls), founding reserves of the enterprises without a union, and dues of
the demo worker with two months in arrears. Idempotent: what exists is left alone."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

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

YEAR = 2026
MONTHS = [dt.date(YEAR, month, 1) for month in range(1, 11)]


@transaction.atomic
def seed(*, stdout) -> None:
    User = get_user_model()
    finance = User.objects.get(username="finance")
    district_admin = User.objects.get(username="district_admin")
    handler = User.objects.get(username="handler")
    district = OrgUnit.objects.get(code="SX-KQ")
    if not AllocationRatioSet.objects.filter(district=district).exists():
        ratio_set_create(
            by=district_admin,
            district=district,
            effective_from=dt.date(YEAR, 1, 1),
            grassroots_pct=Decimal("60"),
            district_pct=Decimal("20"),
            city_pct=Decimal("10"),
            province_pct=Decimal("5"),
            national_pct=Decimal("5"),
            note="柯桥区总工会 2026 年拨缴比例",
        )
    posted = 0
    for seq, enterprise in enumerate(Enterprise.objects.order_by("uscc"), start=1):
        average_wage = Decimal(5800 + 150 * (seq % 7))
        for index, month in enumerate(MONTHS):
            payroll = average_wage * enterprise.employee_count + Decimal(37 * index)
            if not PayrollDeclaration.objects.filter(enterprise=enterprise, period=month).exists():
                payroll_declare(by=finance, enterprise=enterprise, period=month, total_payroll=payroll)
            # every fourth enterprise has not paid the last two months: the report shows the shortfall
            if seq % 4 == 0 and index >= len(MONTHS) - 2:
                continue
            if FundsCollection.objects.filter(enterprise=enterprise, period=month, status="posted").exists():
                continue
            collection_record(
                by=finance,
                enterprise=enterprise,
                period=month,
                amount=funds_due_for_payroll(payroll),
                collected_on=month.replace(month=month.month + 1, day=15) if month.month < 12 else month,
                tax_reference=f"33306{YEAR}{month.month:02d}{seq:05d}",
            )
            posted += 1
    worker = Member.objects.filter(user__username="worker").first()
    if worker is not None:
        if worker.monthly_wage is None:
            Member.objects.filter(pk=worker.pk).update(monthly_wage=Decimal("6835.50"))
            worker.refresh_from_db()
        for month in MONTHS[:-2]:
            if not DuesPayment.objects.filter(member=worker, period=month).exists():
                dues_record(by=handler, members=[worker], period=month)
    stdout.write(f"  union funds: {posted} collections posted, {FundsCollection.objects.count()} in all")

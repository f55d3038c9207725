"""Demo data: contracts. In 华舍 and 齐贤: an enterprise contract in each state (draft, signed, filed, in force,
objected, one expiring within 90 days), a bargaining round in progress, bargaining officers; a regional
contract of 华舍. Dated relative to today; everything through the services. Runs once (skips when present)."""

import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from members.models import Enterprise
from union_portal.models import OrgUnit

from .models import BargainingOfficer, CollectiveContract
from .services import contracts as services


def _contract(*, by, firm, kind: str, title: str, signed_ago: int | None, upto: str, today: dt.date, years: int = 1):
    contract = services.contract_create(
        by=by,
        kind=kind,
        level=CollectiveContract.Level.ENTERPRISE,
        enterprise=firm,
        title=title,
        wage_growth_pct=Decimal("5.5"),
        minimum_wage=Decimal("2680"),
        weekly_hours=Decimal("40"),
    )
    if upto == "draft":
        return contract
    signed_on = today - dt.timedelta(days=signed_ago or 0)
    services.contract_vote(
        by=by, contract=contract, delegates=45, present=38, in_favour=33, voted_on=signed_on, today=today
    )
    services.contract_sign(
        by=by,
        contract=contract,
        signed_on=signed_on,
        starts_on=signed_on,
        ends_on=signed_on + relativedelta(years=years) - dt.timedelta(days=1),
        today=today,
    )
    if upto == "signed":
        return contract
    filed_on = min(signed_on + dt.timedelta(days=3), today)
    services.contract_file(by=by, contract=contract, filed_on=filed_on, today=today)
    if upto == "filed":
        return contract
    objection = upto == "objected"
    services.contract_answer(
        by=by,
        contract=contract,
        objection=objection,
        answered_on=min(filed_on + dt.timedelta(days=5), today),
        note="最低工资条款低于当地标准" if objection else "",
        today=today,
    )
    if not objection:
        services.contract_publish(by=by, contract=contract, published_on=signed_on, today=today)
    return contract


@transaction.atomic
def seed(*, stdout) -> None:
    if CollectiveContract.objects.exists():
        return
    User = get_user_model()
    today = timezone.localdate()
    year = today.year
    for union_code, handler_name, staff_name in (
        ("KQ-HS-001", "handler", "huashe_staff"),
        ("KQ-QX-001", "handler_qixian", "qixian_staff"),
    ):
        by = User.objects.get(username=handler_name)
        firm = Enterprise.objects.get(union__code=union_code)
        short = firm.name.replace("有限公司", "")
        _contract(
            by=by,
            firm=firm,
            kind="wage",
            title=f"{short}{year}年工资专项集体合同",
            signed_ago=200,
            upto="effective",
            today=today,
        )
        _contract(
            by=by,
            firm=firm,
            kind="comprehensive",
            title=f"{short}综合性集体合同（即将到期）",
            signed_ago=300,
            upto="effective",
            today=today,
        )
        _contract(
            by=by,
            firm=firm,
            kind="women",
            title=f"{short}女职工权益保护专项集体合同",
            signed_ago=3,
            upto="signed",
            today=today,
        )
        _contract(
            by=by,
            firm=firm,
            kind="safety",
            title=f"{short}劳动安全卫生专项集体合同",
            signed_ago=8,
            upto="filed",
            today=today,
        )
        _contract(
            by=by,
            firm=firm,
            kind="safety",
            title=f"{short}劳动安全卫生专项集体合同（被审查意见退回）",
            signed_ago=40,
            upto="objected",
            today=today,
        )
        _contract(
            by=by,
            firm=firm,
            kind="wage",
            title=f"{short}{year + 1}年工资专项集体合同（草案）",
            signed_ago=None,
            upto="draft",
            today=today,
        )
        round_ = services.round_request(
            by=by, enterprise=firm, requested_by="union", received_on=today - dt.timedelta(days=20),
            subject=f"{short}{year + 1}年度工资集体协商", today=today,
        )  # fmt: skip
        services.round_reply(by=by, round_=round_, replied_on=today - dt.timedelta(days=14), today=today)
        services.round_session_add(
            by=by, round_=round_, held_on=today - dt.timedelta(days=7),
            minutes="双方就工资增长幅度、最低工资标准交换意见，约定下次协商时间。", today=today,
        )  # fmt: skip
        staff = User.objects.get(username=staff_name)
        township = OrgUnit.objects.get(code=union_code.rsplit("-", 1)[0])
        services.officer_register(
            by=staff,
            name=f"{township.name[:2]}协商员张伟",
            org=township,
            training_hours=Decimal("36"),
            enterprises=[firm],
        )
        services.officer_register(
            by=staff, name=f"{township.name[:2]}指导员李娟", org=township, kind=BargainingOfficer.Kind.INSTRUCTOR,
            training_hours=Decimal("64"),
        )  # fmt: skip
    # a regional contract of 华舍's small firms
    staff = User.objects.get(username="huashe_staff")
    huashe = OrgUnit.objects.get(code="KQ-HS")
    firms = list(Enterprise.objects.filter(township=huashe, union__isnull=False).exclude(union__code="KQ-HS-001"))
    regional = services.contract_create(
        by=staff, kind="wage", level="regional", org=huashe, covered=firms, title=f"华舍街道小微企业{year}年区域性工资集体合同",
        starts_on=today - dt.timedelta(days=100), ends_on=today - dt.timedelta(days=100) + relativedelta(years=2) - dt.timedelta(days=1),
        wage_growth_pct=Decimal("4.0"), minimum_wage=Decimal("2500"),
    )  # fmt: skip
    signed_on = today - dt.timedelta(days=100)
    services.contract_vote(
        by=staff, contract=regional, delegates=31, present=28, in_favour=25, voted_on=signed_on, today=today
    )
    services.contract_sign(by=staff, contract=regional, signed_on=signed_on, today=today)
    services.contract_file(by=staff, contract=regional, filed_on=signed_on + dt.timedelta(days=5), today=today)
    services.contracts_take_effect(today=today)  # no answer within the window: in force
    stdout.write(
        f"  collective contracts: {CollectiveContract.objects.count()}; bargaining officers: {BargainingOfficer.objects.count()}"
    )

"""Demo data: hardship files in every state in 华舍 (KQ-HS-001) and 齐贤 (KQ-QX-001), dated relative to today: open,
due for review within 30 days, reviewed last year, flagged by the roll sweep (a member who left), and closed for
each reason (out of hardship with a follow-up, retired, transferred out, deceased, left, other).

Files are made as the application flow's ``file_open`` leaves them (an approved application with its household,
then the file and its people); the demo ``worker`` has none (their application is in progress in the
applications demo). No other demo member has a login."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from members.models import Member, MemberTransfer
from members.services import member_change_status
from union_portal.identity import id_number_hash, make_id_number
from union_portal.models import OrgUnit
from union_portal.money import round_fen

from .models import (
    Application,
    Category,
    Cause,
    CloseReason,
    FilePerson,
    FileReview,
    FileStatus,
    HardshipFile,
    Health,
    HouseholdMember,
    IncomeItem,
    Relation,
    SpendingItem,
    WorkStatus,
)

UNIONS = {"KQ-HS-001": ("huashe_staff", "handler"), "KQ-QX-001": ("qixian_staff", "handler_qixian")}
LINE = Decimal("1062.00")


def build_file(
    member: Member,
    *,
    filed_by,
    number: str,
    category: str,
    opened_on: dt.date,
    valid_until: dt.date,
    income_12m: Decimal,
    household: int = 3,
    spouse_id: str,
    child_ids: list[str] | None = None,
    causes: list[str] | None = None,
) -> HardshipFile:
    """An approved application of ``member`` with its household (the worker, a spouse with a serious illness,
    children), its incomes and spending, and the open file with one FilePerson per household member."""
    application = Application.objects.create(
        number=number.replace("F", "A", 1),
        member=member,
        org=member.org,
        filed_by=filed_by,
        status=Application.Status.APPROVED,
        causes=causes or [Cause.SERIOUS_ILLNESS.value],
        cause_note="配偶患病，长期治疗",
        household_size=household,
        income_12m=income_12m,
        spending_12m=Decimal("8000.00"),
        per_capita_income=round_fen(income_12m / household / 12),
        proposed_category=category,
        category=category,
    )
    people = [(Relation.SELF, member.name, member.id_number, 40, Health.HEALTHY, WorkStatus.EMPLOYED)]
    if household >= 2:
        people.append((Relation.SPOUSE, f"{member.name[:1]}妻", spouse_id, 38, Health.SERIOUS, WorkStatus.UNABLE))
    for n, child_id in enumerate((child_ids or [])[: max(household - 2, 0)]):
        people.append(
            (Relation.CHILD, f"{member.name[:1]}子{n + 1}", child_id, 12 + n, Health.HEALTHY, WorkStatus.STUDENT)
        )
    rows = [
        HouseholdMember.objects.create(
            application=application,
            relation=relation,
            name=name,
            id_number=id_number,
            id_number_hash=id_number_hash(id_number),
            age=age,
            health=health,
            health_note="尿毒症，每周透析" if health == Health.SERIOUS else "",
            work=work,
        )
        for relation, name, id_number, age, health, work in people
    ]
    IncomeItem.objects.create(application=application, source=IncomeItem.Source.WAGES, amount=income_12m)
    SpendingItem.objects.create(application=application, kind=SpendingItem.Kind.MEDICAL, amount=Decimal("8000.00"))
    file = HardshipFile.objects.create(
        number=number,
        member=member,
        org=member.org,
        application=application,
        category=category,
        household_size=household,
        per_capita_income=application.per_capita_income,
        poverty_line=LINE,
        opened_on=opened_on,
        valid_until=valid_until,
    )
    FilePerson.objects.bulk_create(
        [
            FilePerson(
                file=file, household_member=row, relation=row.relation, name=row.name, id_number_hash=row.id_number_hash
            )
            for row in rows
        ]
    )
    return file


def _close(file: HardshipFile, *, by, reason: str, closed_on: dt.date, note: str, follow_up_on=None) -> None:
    HardshipFile.objects.filter(pk=file.pk).update(
        status=FileStatus.CLOSED,
        close_reason=reason,
        closed_on=closed_on,
        close_note=note,
        closed_by=by,
        follow_up_on=follow_up_on,
        follow_up_note="回访：已稳定就业" if follow_up_on else "",
    )
    FilePerson.objects.filter(file=file).update(is_open=False)


@transaction.atomic
def seed(*, stdout) -> None:
    # The applications' demo opens a few files through the real flow first; this part's own files are the only
    # closed ones, so they mark it as already seeded.
    if HardshipFile.objects.filter(status=HardshipFile.Status.CLOSED).exists():
        return
    User = get_user_model()
    today = timezone.localdate()
    person = 0

    def next_id() -> str:
        nonlocal person
        person += 1
        return make_id_number("330603", dt.date(1986, 1, 1) + dt.timedelta(days=person * 37), 600 + person * 2)

    for code_index, (code, (staff_name, handler_name)) in enumerate(UNIONS.items()):
        org = OrgUnit.objects.get(code=code)
        staff, handler = User.objects.get(username=staff_name), User.objects.get(username=handler_name)
        members = list(
            Member.objects.filter(org=org, status=Member.Status.ACTIVE, user__isnull=True)
            .exclude(pk__in=MemberTransfer.objects.values("member_id"))  # a pending transfer blocks a status change
            .exclude(pk__in=Application.objects.values("member_id"))  # the applications' demo has these workers
            .order_by("pk")[:10]
        )
        prefix = f"KF{today.year}{code_index + 1}"
        plans = [
            # (category, opened days ago, valid for days from today, income, closed reason)
            (Category.DEEP, 200, 165, Decimal("30000.00"), ""),
            (Category.RELATIVE, 345, 20, Decimal("48000.00"), ""),  # due for review within 30 days
            (Category.ACCIDENT, 400, 330, Decimal("52000.00"), ""),  # reviewed last month
            (Category.DEEP, 150, 215, Decimal("28000.00"), ""),  # the member left: the sweep flags it
            (Category.RELATIVE, 380, 0, Decimal("50000.00"), CloseReason.RECOVERED),
            (Category.DEEP, 420, 0, Decimal("26000.00"), CloseReason.RETIRED),
            (Category.RELATIVE, 300, 0, Decimal("47000.00"), CloseReason.TRANSFERRED_OUT),
            (Category.DEEP, 500, 0, Decimal("24000.00"), CloseReason.DECEASED),
            (Category.ACCIDENT, 260, 0, Decimal("55000.00"), CloseReason.LEFT),
            (Category.RELATIVE, 330, 0, Decimal("46000.00"), CloseReason.OTHER),
        ]
        for index, (member, (category, ago, valid_days, income, reason)) in enumerate(
            zip(members, plans, strict=False)
        ):
            opened_on = today - dt.timedelta(days=ago)
            file = build_file(
                member,
                filed_by=handler,
                number=f"{prefix}{index + 1:03d}",
                category=category,
                opened_on=opened_on,
                valid_until=today + dt.timedelta(days=valid_days) if valid_days else opened_on + dt.timedelta(days=365),
                income_12m=income,
                household=3 if index % 2 == 0 else 2,
                spouse_id=next_id(),
                child_ids=[next_id()],
                causes=[Cause.ACCIDENT.value] if category == Category.ACCIDENT else None,
            )
            if index == 2:
                reviewed_on = today - dt.timedelta(days=35)
                FileReview.objects.create(
                    file=file,
                    reviewed_on=reviewed_on,
                    income_12m=income,
                    household_size=file.household_size,
                    per_capita_income=file.per_capita_income,
                    category_before=category,
                    category_after=category,
                    outcome=FileReview.Outcome.KEPT,
                    note="年度复核：收入无明显变化",
                    by=staff,
                )
                HardshipFile.objects.filter(pk=file.pk).update(last_reviewed_on=reviewed_on)
            if index == 3:
                member_change_status(
                    by=handler,
                    member=member,
                    status=Member.Status.LEFT,
                    effective_on=today - dt.timedelta(days=3),
                    reason="离职",
                )
                HardshipFile.objects.filter(pk=file.pk).update(
                    attention="left", attention_since=today - dt.timedelta(days=2)
                )
            if reason:
                closed_on = min(today - dt.timedelta(days=10), opened_on + dt.timedelta(days=300))
                _close(
                    file,
                    by=staff,
                    reason=reason,
                    closed_on=closed_on,
                    note="" if reason != CloseReason.OTHER else "家庭成员全部迁居外省",
                    follow_up_on=today + dt.timedelta(days=60) if reason == CloseReason.RECOVERED else None,
                )
    stdout.write(f"  hardship files: {HardshipFile.objects.count()}")

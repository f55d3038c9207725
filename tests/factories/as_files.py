"""Hardship files for tests and the demo, made as the application flow's ``file_open`` would leave them: an
approved Application with its household (the worker and, by default, a spouse and a child), then the
HardshipFile and one FilePerson per household member. The flow itself is the as-apply branch's."""

import datetime as dt
import itertools
from decimal import Decimal

from assistance.models import (
    Application,
    Category,
    Cause,
    FilePerson,
    FileStatus,
    HardshipFile,
    Health,
    HouseholdMember,
    IncomeItem,
    Relation,
    SpendingItem,
    WorkStatus,
)
from members.models import Member
from union_portal.identity import id_number_hash
from union_portal.money import round_fen
from union_portal.roles import Role

from .core import holder, new_id_number

_numbers = itertools.count(1)


def _next_number(prefix: str) -> str:
    while True:
        number = f"{prefix}{next(_numbers):06d}"
        if (
            not HardshipFile.objects.filter(number=number).exists()
            and not Application.objects.filter(number=number).exists()
        ):
            return number


def make_hardship_file(
    member: Member,
    *,
    category: str = Category.DEEP,
    opened_on: dt.date,
    valid_until: dt.date | None = None,
    income_12m: Decimal = Decimal("30000.00"),
    household: int = 3,
    poverty_line: Decimal = Decimal("1062.00"),
    status: str = FileStatus.OPEN,
    close_reason: str = "",
    closed_on: dt.date | None = None,
    attention: str = "",
    number: str | None = None,
) -> HardshipFile:
    """An approved application of ``member`` with a household of ``household`` people (the worker, a spouse
    with a serious illness, children), 12 months' wages ``income_12m`` and medical spending, and its file."""
    filed_by = holder(Role.HANDLER, member.org)
    application = Application.objects.create(
        number=_next_number("KA"),
        member=member,
        org=member.org,
        filed_by=filed_by,
        status=Application.Status.APPROVED,
        causes=[Cause.SERIOUS_ILLNESS.value],
        cause_note="配偶患病",
        household_size=household,
        income_12m=income_12m,
        spending_12m=Decimal("8000.00"),
        per_capita_income=round_fen(income_12m / household / 12),
        proposed_category=category,
        category=category,
    )
    people = [(Relation.SELF, member.name, member.id_number, 40, Health.HEALTHY, WorkStatus.EMPLOYED)]
    if household >= 2:
        people.append(
            (Relation.SPOUSE, "配偶" + member.name[:1], new_id_number(), 38, Health.SERIOUS, WorkStatus.UNABLE)
        )
    for n in range(household - 2):
        people.append((Relation.CHILD, f"子女{n + 1}", new_id_number(), 12 + n, Health.HEALTHY, WorkStatus.STUDENT))
    rows = []
    for relation, name, id_number, age, health, work in people:
        rows.append(
            HouseholdMember.objects.create(
                application=application,
                relation=relation,
                name=name,
                id_number=id_number,
                id_number_hash=id_number_hash(id_number),
                age=age,
                health=health,
                health_note="尿毒症透析" if health == Health.SERIOUS else "",
                work=work,
            )
        )
    IncomeItem.objects.create(application=application, source=IncomeItem.Source.WAGES, amount=income_12m)
    SpendingItem.objects.create(application=application, kind=SpendingItem.Kind.MEDICAL, amount=Decimal("8000.00"))
    file = HardshipFile.objects.create(
        number=number or _next_number("KF"),
        member=member,
        org=member.org,
        application=application,
        category=category,
        status=status,
        household_size=household,
        per_capita_income=application.per_capita_income,
        poverty_line=poverty_line,
        opened_on=opened_on,
        valid_until=valid_until or dt.date(opened_on.year + 1, opened_on.month, min(opened_on.day, 28)),
        closed_on=closed_on if status == FileStatus.CLOSED else None,
        close_reason=close_reason if status == FileStatus.CLOSED else "",
        closed_by=filed_by if status == FileStatus.CLOSED else None,
        attention=attention,
        attention_since=opened_on if attention else None,
    )
    FilePerson.objects.bulk_create(
        [
            FilePerson(
                file=file,
                household_member=row,
                relation=row.relation,
                name=row.name,
                id_number_hash=row.id_number_hash,
                is_open=status == FileStatus.OPEN,
            )
            for row in rows
        ]
    )
    return file

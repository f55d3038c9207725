"""Factories of the help campaigns (branch as-help). Open hardship files are made through the ORM here (the
application flow that opens them belongs to another part): an approved Application with its HouseholdMember
rows and medical spending, a HardshipFile (open) and a FilePerson per household member."""

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from assistance.models import (
    Application,
    Campaign,
    FilePerson,
    HardshipFile,
    HouseholdMember,
    Recipient,
    SpendingItem,
)
from assistance.models.choices import Category, Relation, WorkStatus
from members.models import Member
from union_portal import identity
from union_portal.models import User

from .core import new_id_number

_number = itertools.count(1)


def open_file(
    member: Member,
    *,
    category: str = Category.DEEP,
    children: list[tuple[str, int, str]] = (),  # (name, age, school)
    medical: Decimal | None = None,
    filed_by: User | None = None,
    today: dt.date | None = None,
) -> HardshipFile:
    """An open hardship file of ``member``'s household (the worker, and each child named), of ``category``,
    with ``medical`` yuan of self-paid medical costs over the last 12 months when given."""
    today = today or timezone.localdate()
    n = next(_number)
    application = Application.objects.create(
        number=f"TA{today.year}{n:06d}",
        member=member,
        org=member.org,
        filed_by=filed_by or User.objects.filter(is_superuser=False).order_by("pk").first(),
        status=Application.Status.APPROVED,
        category=category,
        household_size=1 + len(children),
    )
    people = [(Relation.SELF, member.name, member.id_number, 40, WorkStatus.EMPLOYED, "")]
    for name, age, school in children:
        people.append(
            (
                Relation.CHILD,
                name,
                new_id_number(birth=today - dt.timedelta(days=age * 365 + 30)),
                age,
                WorkStatus.STUDENT,
                school,
            )
        )
    file = HardshipFile.objects.create(
        number=f"TF{today.year}{n:06d}",
        member=member,
        org=member.org,
        application=application,
        category=category,
        household_size=1 + len(children),
        per_capita_income=Decimal("800.00"),
        poverty_line=Decimal("1062.00"),
        opened_on=today - dt.timedelta(days=30),
        valid_until=today + dt.timedelta(days=335),
    )
    for relation, name, id_number, age, work, school in people:
        household = HouseholdMember.objects.create(
            application=application,
            relation=relation,
            name=name,
            id_number=id_number,
            id_number_hash=identity.id_number_hash(id_number),
            age=age,
            work=work,
            school=school,
        )
        FilePerson.objects.create(
            file=file,
            household_member=household,
            relation=relation,
            name=name,
            id_number_hash=household.id_number_hash,
        )
    if medical is not None:
        SpendingItem.objects.create(application=application, kind=SpendingItem.Kind.MEDICAL, amount=medical)
    return file


def campaign(
    *, by: User, org, kind: str = Campaign.Kind.SPRING_FESTIVAL, budget: str = "100000.00", **fields
) -> Campaign:
    """A campaign through ``campaign_create`` (its budget posted to the funds ledger)."""
    from assistance.services import campaigns as services

    return services.campaign_create(
        by=by,
        name=fields.pop("name", f"{timezone.localdate().year}年元旦春节送温暖"),
        kind=kind,
        org=org,
        year=fields.pop("year", timezone.localdate().year),
        budget=Decimal(budget),
        **fields,
    )


__all__ = ["open_file", "campaign", "Recipient"]

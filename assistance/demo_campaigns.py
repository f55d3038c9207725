"""Demo data: campaigns. Open hardship files of demo members in 华舍 and 齐贤 (the files of the other parts'
demo are reused where a member has one; otherwise one is made through the ORM, as the application flow would
leave it), then: last year's Spring Festival campaign of the district, paid by bank batch (the demo worker
among its recipients); this year's in proposal; a 金秋助学 campaign in proposal; and a 生活救助 campaign of goods
in each township, approved, with its sign-off sheets. Idempotent (nothing is added once a campaign exists).
Dated relative to today."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from members.models import Member
from members.selectors import member_of_user
from union_portal import identity, tree
from union_portal.models import OrgUnit

from .models import (
    Application,
    Campaign,
    FilePerson,
    HardshipFile,
    HouseholdMember,
    SpendingItem,
)
from .models.choices import Category, Relation, WorkStatus
from .services import campaigns as services

CATEGORIES = [Category.DEEP, Category.RELATIVE, Category.ACCIDENT]
CHILDREN = [("小雨", 18, "浙江理工大学 2026级"), ("小杰", 17, "绍兴职业技术学院"), ("小宝", 9, "华舍实验小学")]


def _user(username: str):
    return get_user_model().objects.get(username=username)


def _child_id(parent: Member, age: int, n: int, today: dt.date) -> str:
    born = dt.date(today.year - age, 3, 1) + dt.timedelta(days=n)
    return identity.make_id_number("330621", born, 200 + (parent.pk * 7 + n) % 700)


def _file(member: Member, *, category: str, n: int, by, today: dt.date, children=()) -> HardshipFile:
    existing = HardshipFile.objects.filter(member=member, status=HardshipFile.Status.OPEN).first()
    if existing is not None:
        return existing
    application = Application.objects.create(
        number=f"DA{today.year}{member.pk:06d}",
        member=member,
        org=member.org,
        filed_by=by,
        status=Application.Status.APPROVED,
        category=category,
        household_size=1 + len(children),
    )
    file = HardshipFile.objects.create(
        number=f"DF{today.year}{member.pk:06d}",
        member=member,
        org=member.org,
        application=application,
        category=category,
        household_size=1 + len(children),
        per_capita_income=Decimal("780.00"),
        poverty_line=Decimal("1062.00"),
        opened_on=today - dt.timedelta(days=200),
        valid_until=today + dt.timedelta(days=165),
    )
    people = [(Relation.SELF, member.name, member.id_number, 45, WorkStatus.EMPLOYED, "")]
    for i, (given, age, school) in enumerate(children):
        people.append(
            (Relation.CHILD, member.name[0] + given, _child_id(member, age, i, today), age, WorkStatus.STUDENT, school)
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
            file=file, household_member=household, relation=relation, name=name, id_number_hash=household.id_number_hash
        )
    if n % 3 == 0:
        SpendingItem.objects.create(application=application, kind=SpendingItem.Kind.MEDICAL, amount=Decimal("26000.00"))
    return file


def _members(township: OrgUnit, *, exclude: set[int], count: int) -> list[Member]:
    members = (
        Member.objects.filter(tree.subtree_q(township, field="org"), status="active")
        .exclude(pk__in=exclude)
        # a worker whose application is in progress has no file yet
        .exclude(pk__in=Application.objects.exclude(status=Application.Status.APPROVED).values("member_id"))
        .exclude(pk__in=HardshipFile.objects.values("member_id"))  # households of its own, with children
        .order_by("pk")[:40]
    )
    return [m for m in members if m.bank_account][:count]


@transaction.atomic
def seed(*, stdout) -> None:
    if Campaign.objects.exists():
        stdout.write(f"  assistance campaigns: {Campaign.objects.count()} campaigns")
        return
    now = timezone.now()
    today = timezone.localdate(now)
    admin, city, finance = _user("district_admin"), _user("city_admin"), _user("finance")
    huashe_staff, qixian_staff = _user("huashe_staff"), _user("qixian_staff")
    district = OrgUnit.objects.get(code="SX-KQ")
    huashe, qixian = OrgUnit.objects.get(code="KQ-HS"), OrgUnit.objects.get(code="KQ-QX")

    worker = member_of_user(user=_user("worker"))
    chosen: list[Member] = [worker] if worker is not None and worker.bank_account else []
    taken = {m.pk for m in chosen}
    chosen += _members(huashe, exclude=taken, count=4 - len(chosen))
    chosen += _members(qixian, exclude=taken, count=4)
    for n, member in enumerate(chosen):
        _file(
            member,
            category=CATEGORIES[n % 3],
            n=n,
            by=admin,
            today=today,
            children=CHILDREN[:2] if n in (1, 5) else CHILDREN[2:] if n == 2 else (),
        )

    # Last year's Spring Festival campaign: built, approved by a second person, paid by bank batch in January.
    last = today.year - 1
    past = services.campaign_create(
        by=admin,
        name=f"{last}年元旦春节送温暖",
        kind=Campaign.Kind.SPRING_FESTIVAL,
        org=district,
        year=last,
        budget=Decimal("50000.00"),
        today=dt.date(last, 1, 5),
    )
    services.recipients_propose(by=admin, campaign=past, today=dt.date(last, 1, 6))
    paid_at = dt.datetime(last, 1, 20, 10, tzinfo=timezone.get_current_timezone())
    services.campaign_submit(by=admin, campaign=past, now=paid_at - dt.timedelta(days=10))
    services.campaign_approve(by=city, campaign=past, now=paid_at - dt.timedelta(days=8))
    batch = services.batch_create(by=finance, campaign=past, now=paid_at - dt.timedelta(days=5))
    for payment in batch.payments.order_by("pk"):
        services.payment_mark_paid(by=finance, payment=payment, reference=f"GH{last}{payment.pk:06d}", now=paid_at)

    # This year's: the list built, one amount changed with a reason, waiting to be submitted.
    current = services.campaign_create(
        by=admin,
        name=f"{today.year}年元旦春节送温暖",
        kind=Campaign.Kind.SPRING_FESTIVAL,
        org=district,
        year=today.year,
        budget=Decimal("60000.00"),
        today=today,
    )
    services.recipients_propose(by=admin, campaign=current, today=today)
    row = current.recipients.order_by("pk").first()
    if row is not None:
        services.recipient_change_amount(by=admin, recipient=row, amount=row.amount + 200, reason="家中老人新近住院")

    # 金秋助学: children starting university or vocational school, in proposal.
    education = services.campaign_create(
        by=admin,
        name=f"{today.year}年金秋助学",
        kind=Campaign.Kind.EDUCATION,
        org=district,
        year=today.year,
        budget=Decimal("50000.00"),
        today=today,
    )
    services.recipients_propose(by=admin, campaign=education, today=today)

    # A 生活救助 campaign of goods in each township, approved by the district admin: sign-off sheets per unit.
    for staff, township, label in ((huashe_staff, huashe, "华舍"), (qixian_staff, qixian, "齐贤")):
        living = services.campaign_create(
            by=staff,
            name=f"{today.year}年{label}街道生活救助",
            kind=Campaign.Kind.LIVING,
            org=township,
            year=today.year,
            budget=Decimal("30000.00"),
            delivery=Campaign.Delivery.GOODS,
            goods="大米一袋、食用油一桶",
            today=today,
        )
        services.recipients_propose(by=staff, campaign=living, today=today)
        if living.recipients.exists():
            services.campaign_submit(by=staff, campaign=living)
            services.campaign_approve(by=admin, campaign=living)
    stdout.write(f"  assistance campaigns: {Campaign.objects.count()} campaigns, {len(chosen)} files helped")

"""Factories of the members app: enterprises, members (through ``member_create``, so one active membership
per person holds), their events, founding and join applications, transfers, imports, number counters."""

import datetime as dt
import io
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from factory.django import DjangoModelFactory
from openpyxl import Workbook

from members.models import (
    Enterprise,
    FoundingApplication,
    JoinApplication,
    Member,
    MemberEvent,
    MemberExport,
    MemberImport,
    MemberTransfer,
    MobileRecoveryRequest,
    NumberSequence,
)
from union_portal import identity, tree
from union_portal.models import OrgUnit
from union_portal.roles import Role

from .core import (
    REGION,
    GrassrootsUnionFactory,
    TownshipFactory,
    UserFactory,
    holder,
    new_id_number,
    new_mobile,
    pdf,
)

_uscc = iter(range(1, 10**9))


def default_joined_on() -> dt.date:
    """1 January six years ago: a member of long standing in every test year (last year's dues and claims)."""
    return dt.date(timezone.localdate().year - 6, 1, 1)


class EnterpriseFactory(DjangoModelFactory):
    """A firm of a township, not unionised, through ``enterprise_create`` by the township's staff."""

    class Meta:
        model = Enterprise

    township = factory.SubFactory(TownshipFactory)
    name = factory.Faker("company", locale="zh_CN")
    uscc = factory.LazyFunction(lambda: identity.make_uscc(next(_uscc), region=REGION))
    industry = "纺织印染"
    employee_count = 80
    contact_name = factory.Faker("name", locale="zh_CN")
    contact_phone = factory.LazyFunction(new_mobile)

    @classmethod
    def _create(cls, model_class, *, township, **fields):
        from members import services

        return services.enterprise_create(by=holder(Role.TOWNSHIP_STAFF, township), township=township, **fields)


class FoundingApplicationFactory(DjangoModelFactory):
    """A pending application to found a union in a firm without one, through ``founding_submit``."""

    class Meta:
        model = FoundingApplication

    enterprise = factory.SubFactory(EnterpriseFactory)
    union_name = factory.LazyAttribute(lambda o: f"{o.enterprise.name}工会")
    chair_name = factory.Faker("name", locale="zh_CN")
    meeting_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=7))
    member_count = 30
    election_result = factory.LazyFunction(lambda: pdf("选举结果.pdf"))
    applicant_name = factory.LazyAttribute(lambda o: o.chair_name)
    applicant_phone = factory.LazyFunction(new_mobile)

    @classmethod
    def _create(cls, model_class, **fields):
        from members import services

        return services.founding_submit(by=holder(Role.TOWNSHIP_STAFF, fields["enterprise"].township), **fields)


class UnionisedEnterpriseFactory(EnterpriseFactory):
    """A firm whose union was founded: its founding application approved (``founding_approve``)."""

    @classmethod
    def _create(cls, model_class, **fields):
        from members import services

        enterprise = super()._create(model_class, **fields)
        application = FoundingApplicationFactory(enterprise=enterprise)
        services.founding_approve(by=holder(Role.TOWNSHIP_STAFF, enterprise.township), application=application)
        enterprise.refresh_from_db()
        return enterprise


class MemberFactory(DjangoModelFactory):
    """A member of a grassroots union, added through ``members.services.member_create`` (so the person holds
    one membership, the number comes from the counter, the joining is in the history). Sex and birth date
    come from the ID number: pass ``sex``/``birth_date`` to choose them. Another ``status`` is set afterwards
    through ``member_change_status``, effective ``status_changed_on`` (default the joining date, so the member
    has that status on every date the test looks at). ``by`` is the actor (default the system)."""

    class Meta:
        model = Member

    class Params:
        sex = "M"
        birth_date = None

    org = factory.SubFactory(GrassrootsUnionFactory)
    by = None
    name = factory.Faker("name", locale="zh_CN")
    id_number = factory.LazyAttribute(lambda o: new_id_number(birth=o.birth_date, sex=o.sex))
    mobile = factory.LazyFunction(new_mobile)
    bank_name = "中国工商银行"
    bank_account = factory.Sequence(lambda n: f"6222021203{n:09d}")
    is_frontline = True  # most members are: the awards' composition rules count them
    joined_on = factory.LazyFunction(default_joined_on)
    status = Member.Status.ACTIVE
    status_changed_on = None

    @classmethod
    def _create(cls, model_class, *, org, by, status, status_changed_on, monthly_wage=None, **fields):
        from members import services

        if isinstance(monthly_wage, str | int):
            monthly_wage = Decimal(monthly_wage)
        member = services.member_create(by=by, org=org, monthly_wage=monthly_wage, **fields)
        if status != Member.Status.ACTIVE:
            member = services.member_change_status(
                by=by or holder(Role.HANDLER, org),
                member=member,
                status=status,
                effective_on=status_changed_on or member.joined_on,
                reason="测试数据",
            )
        return member


def make_member(org: OrgUnit | str, **fields) -> Member:
    """The one way tests add a member: ``org`` a grassroots union or its code (the demo tree's "KQ-HS-001"),
    any field of ``MemberFactory`` (``name``, ``sex``, ``status``, ``monthly_wage``, ``is_migrant``, ``user``,
    ``joined_on``...)."""
    if isinstance(org, str):
        org = OrgUnit.objects.get(code=org)
    return MemberFactory(org=org, **fields)


class MemberEventFactory(DjangoModelFactory):
    """The joining event ``member_create`` records for a member added by their union's handler."""

    class Meta:
        model = MemberEvent

    member = factory.SubFactory(MemberFactory, by=factory.LazyAttribute(lambda o: holder(Role.HANDLER, o.org)))

    @classmethod
    def _create(cls, model_class, *, member):
        return member.events.get(kind=MemberEvent.Kind.JOINED)


class JoinApplicationFactory(DjangoModelFactory):
    """A worker's pending application to join a union, through ``join_submit``."""

    class Meta:
        model = JoinApplication

    user = factory.SubFactory(UserFactory)
    org = factory.SubFactory(GrassrootsUnionFactory)
    name = factory.LazyAttribute(lambda o: o.user.full_name)
    id_number = factory.LazyFunction(new_id_number)
    mobile = factory.LazyAttribute(lambda o: o.user.mobile)
    job = "挡车工"
    is_frontline = True

    @classmethod
    def _create(cls, model_class, **fields):
        from members import services

        return services.join_submit(consent=True, **fields)


class MemberTransferFactory(DjangoModelFactory):
    """A pending transfer of a member to another union of the same township, asked by their own union's
    handler (``transfer_request``)."""

    class Meta:
        model = MemberTransfer

    member = factory.SubFactory(MemberFactory)
    to_org = factory.LazyAttribute(lambda o: GrassrootsUnionFactory(parent=tree.parent(o.member.org)))
    reason = "工作调动"

    @classmethod
    def _create(cls, model_class, *, member, to_org, reason):
        from members import services

        by = holder(Role.HANDLER, member.org)
        return services.transfer_request(by=by, member=member, to_org=to_org, reason=reason)


def members_xlsx(rows: int = 2) -> bytes:
    """A members import file (the template's columns) of ``rows`` valid people."""
    from members.imports import COLUMNS

    wb = Workbook()
    ws = wb.active
    ws.append(COLUMNS)
    for _i in range(rows):
        ws.append([f"导入会员{_i}", new_id_number(), new_mobile()] + [""] * (len(COLUMNS) - 3))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


class MemberImportFactory(DjangoModelFactory):
    """An uploaded import of two members waiting for its check, through ``member_import_start``."""

    class Meta:
        model = MemberImport

    org = factory.SubFactory(GrassrootsUnionFactory)
    rows = 2

    @classmethod
    def _create(cls, model_class, *, org, rows):
        from members import services

        uploaded = SimpleUploadedFile(
            "会员导入.xlsx",
            members_xlsx(rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        return services.member_import_start(by=holder(Role.HANDLER, org), org=org, uploaded=uploaded)


class MemberExportFactory(DjangoModelFactory):
    """A background roll export of a grassroots union's (masked) roll, asked for by its handler through
    ``member_export_job_start`` (queued: the task is enqueued when the test's transaction would commit)."""

    class Meta:
        model = MemberExport

    org = factory.SubFactory(GrassrootsUnionFactory)

    @classmethod
    def _create(cls, model_class, *, org):
        from members import services
        from members.selectors import MemberFilters

        job = services.member_export_job_start(by=holder(Role.HANDLER, org), filters=MemberFilters(org=org))
        job.refresh_from_db()
        return job


class NumberSequenceFactory(DjangoModelFactory):
    """The member-number counter of a year, as ``reserve_member_numbers`` leaves it."""

    class Meta:
        model = NumberSequence

    year = factory.LazyFunction(lambda: timezone.localdate().year)

    @classmethod
    def _create(cls, model_class, *, year):
        from django.db import transaction

        from members.numbers import _key, reserve_member_numbers

        with transaction.atomic():
            reserve_member_numbers(1, on=dt.date(year, 1, 1))
        return NumberSequence.objects.get(key=_key(year))


class MobileRecoveryRequestFactory(DjangoModelFactory):
    """A member with a login who lost its number asks to move it to a new one
    (``members.services.mobile_recovery_request``), waiting for the identity check."""

    class Meta:
        model = MobileRecoveryRequest

    member = factory.LazyFunction(lambda: MemberFactory(user=UserFactory()))
    new_mobile = factory.LazyFunction(new_mobile)

    @classmethod
    def _create(cls, model_class, *, member, new_mobile):
        from members.services.recovery import mobile_recovery_request

        return mobile_recovery_request(name=member.name, id_number=member.id_number, new_mobile=new_mobile)

"""Factories of the funds app: ratio sets, payroll declarations, collections (posted to the ledger by
``collection_record``, which makes the journal entry, its lines and the accounts), tax-authority imports,
founding-reserve hand-overs and member dues. Periods are months of last year, wholly in the past."""

import datetime as dt
import io
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory
from openpyxl import Workbook

from funds.models import (
    AllocationRatioSet,
    DuesPayment,
    FoundingReserveHandover,
    FundsCollection,
    FundsImportBatch,
    JournalEntry,
    JournalLine,
    LedgerAccount,
    PayrollDeclaration,
)
from union_portal.models import OrgUnit
from union_portal.roles import Role

from .core import DistrictFactory, ancestor_of_kind, district_admin_of, holder
from .members import EnterpriseFactory, FoundingApplicationFactory, MemberFactory, UnionisedEnterpriseFactory


def last_year_month(n: int) -> dt.date:
    """The first day of month ``n % 12 + 1`` of last year."""
    return dt.date(timezone.localdate().year - 1, n % 12 + 1, 1)


def finance_of(node: OrgUnit):
    """A finance officer of ``node``'s district (the demo's ``finance`` on the demo tree)."""
    return holder(Role.FINANCE, ancestor_of_kind(node, OrgUnit.Kind.DISTRICT))


class AllocationRatioSetFactory(DjangoModelFactory):
    """A district's ratios (60/20/10/5/5) from the first of this month, through ``ratio_set_create``."""

    class Meta:
        model = AllocationRatioSet

    district = factory.SubFactory(DistrictFactory)
    effective_from = factory.LazyFunction(lambda: timezone.localdate().replace(day=1))
    grassroots_pct = Decimal("60")
    district_pct = Decimal("20")
    city_pct = Decimal("10")
    province_pct = Decimal("5")
    national_pct = Decimal("5")

    @classmethod
    def _create(cls, model_class, **fields):
        from funds import services

        return services.ratio_set_create(by=district_admin_of(fields["district"]), **fields)


class PayrollDeclarationFactory(DjangoModelFactory):
    """A firm's payroll of a month of last year, through ``payroll_declare``."""

    class Meta:
        model = PayrollDeclaration

    enterprise = factory.SubFactory(UnionisedEnterpriseFactory)
    period = factory.Sequence(last_year_month)
    total_payroll = Decimal("320000.00")

    @classmethod
    def _create(cls, model_class, **fields):
        from funds import services

        return services.payroll_declare(by=finance_of(fields["enterprise"].township), **fields)


class FundsCollectionFactory(DjangoModelFactory):
    """Funds collected for a unionised firm in a month of last year, allocated through ``collection_record``."""

    class Meta:
        model = FundsCollection

    enterprise = factory.SubFactory(UnionisedEnterpriseFactory)
    period = factory.Sequence(last_year_month)
    amount = Decimal("6400.00")
    collected_on = factory.LazyAttribute(lambda o: o.period + dt.timedelta(days=40))

    @classmethod
    def _create(cls, model_class, **fields):
        from funds import services

        return services.collection_record(by=finance_of(fields["enterprise"].township), **fields)


def tax_xlsx(rows: list[list]) -> bytes:
    """The tax authority's export with ``rows`` under its header."""
    from funds.services import IMPORT_OPTIONAL, IMPORT_REQUIRED

    wb = Workbook()
    ws = wb.active
    ws.append(IMPORT_REQUIRED + IMPORT_OPTIONAL)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


class FundsImportBatchFactory(DjangoModelFactory):
    """A previewed tax-authority import of one firm's month, through ``funds_import_preview``."""

    class Meta:
        model = FundsImportBatch

    enterprise = factory.SubFactory(UnionisedEnterpriseFactory)
    period = factory.Sequence(last_year_month)
    filename = "税务代收.xlsx"

    @classmethod
    def _create(cls, model_class, *, enterprise, period, filename):
        from funds import services

        data = tax_xlsx(
            [
                [
                    enterprise.uscc,
                    f"{period:%Y-%m}",
                    "100000",
                    "2000.00",
                    f"{period + dt.timedelta(days=40):%Y-%m-%d}",
                    enterprise.name,
                    f"V{enterprise.pk}{period:%m}",
                ]
            ]
        )
        batch, errors = services.funds_import_preview(by=finance_of(enterprise.township), data=data, filename=filename)
        assert not errors, errors
        return batch


class JournalEntryFactory(DjangoModelFactory):
    """The journal entry a new collection posts."""

    class Meta:
        model = JournalEntry

    collection = factory.SubFactory(FundsCollectionFactory)

    @classmethod
    def _create(cls, model_class, *, collection):
        return collection.entry


class JournalLineFactory(DjangoModelFactory):
    """A line of the journal entry a new collection posts."""

    class Meta:
        model = JournalLine

    entry = factory.SubFactory(JournalEntryFactory)

    @classmethod
    def _create(cls, model_class, *, entry):
        return entry.lines.order_by("pk").first()


class LedgerAccountFactory(DjangoModelFactory):
    """A district's union-funds account of its own level, through ``ledger_account`` (get or create)."""

    class Meta:
        model = LedgerAccount

    org = factory.SubFactory(DistrictFactory)
    kind = LedgerAccount.Kind.FUNDS
    level = "district"

    @classmethod
    def _create(cls, model_class, **fields):
        from funds import services

        return services.ledger_account(**fields)


class FoundingReserveHandoverFactory(DjangoModelFactory):
    """A firm's founding reserve (one month collected while it had no union) handed over to the union it then
    founded, through ``collection_record``, ``founding_approve`` and ``founding_reserve_hand_over``."""

    class Meta:
        model = FoundingReserveHandover

    enterprise = factory.SubFactory(EnterpriseFactory)
    amount = Decimal("1320.00")

    @classmethod
    def _create(cls, model_class, *, enterprise, amount):
        from funds import services
        from members import services as members_services

        finance = finance_of(enterprise.township)
        period = last_year_month(0)
        services.collection_record(
            by=finance, enterprise=enterprise, period=period, amount=amount, collected_on=period + dt.timedelta(40)
        )
        application = FoundingApplicationFactory(enterprise=enterprise)
        members_services.founding_approve(by=holder(Role.TOWNSHIP_STAFF, enterprise.township), application=application)
        enterprise.refresh_from_db()
        return services.founding_reserve_hand_over(enterprise=enterprise, by=finance)


class DuesPaymentFactory(DjangoModelFactory):
    """A member's dues of a month of last year, through ``dues_record`` by their union's handler."""

    class Meta:
        model = DuesPayment

    member = factory.SubFactory(MemberFactory, monthly_wage=Decimal("5000.00"))
    period = factory.Sequence(last_year_month)

    @classmethod
    def _create(cls, model_class, *, member, period):
        from funds import services

        services.dues_record(by=holder(Role.HANDLER, member.org), members=[member], period=period)
        return DuesPayment.objects.get(member=member, period=services.month_start(period))

"""The double-entry ledger: collections post balanced entries, posted entries never change, reversal
restores balances, bad input posts nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from funds.models import (
    FundsCollection,
    JournalEntry,
    JournalLine,
    LedgerAccount,
    LedgerImmutableError,
    PayrollDeclaration,
)
from funds.selectors import account_balance, all_balances
from funds.services import collection_reverse, payroll_declare
from union_portal.models import AuditLog

from .conftest import YEAR


def _balance(org, kind, level=""):
    account = LedgerAccount.objects.filter(org=org, kind=kind, level=level).first()
    return account_balance(account=account) if account else Decimal("0.00")


def test_a_collection_is_split_by_level_and_the_entry_balances(tree, hs_firm, march, collect):
    # when
    collection = collect(hs_firm, march, "1000.01")

    # then: default 60/20/10/5/5, residue to the grassroots union
    entry = collection.entry
    assert sum(line.amount for line in entry.lines.all()) == 0
    assert _balance(tree["SX-KQ"], "collection") == Decimal("1000.01")
    assert _balance(tree["KQ-HS-001"], "funds", "grassroots") == Decimal("600.01")
    assert _balance(tree["SX-KQ"], "funds", "district") == Decimal("200.00")
    assert _balance(tree["SX"], "funds", "city") == Decimal("100.00")
    assert _balance(tree["SX-KQ"], "funds", "province") == Decimal("50.00")
    assert _balance(tree["SX-KQ"], "funds", "national") == Decimal("50.00")
    assert AuditLog.objects.filter(action="funds.collection_record").count() == 1


def test_an_enterprise_without_a_union_has_its_funds_held_whole_at_the_township(tree, hs_no_union, march, collect):
    collection = collect(hs_no_union, march, "880.00")

    assert collection.is_reserve
    assert _balance(tree["KQ-HS"], "reserve") == Decimal("880.00")
    assert not LedgerAccount.objects.filter(kind="funds").exists()


def test_posted_entries_and_lines_cannot_change(tree, hs_firm, march, collect):
    entry = collect(hs_firm, march, "100.00").entry
    line = entry.lines.first()
    line.amount = Decimal("1.00")
    with pytest.raises(LedgerImmutableError):
        line.save()
    with pytest.raises(LedgerImmutableError):
        entry.delete()
    with pytest.raises(LedgerImmutableError):
        JournalLine.objects.filter(pk=line.pk).update(amount=Decimal("2.00"))
    with pytest.raises(LedgerImmutableError):
        JournalEntry.objects.all().delete()


def test_reversal_restores_every_balance(tree, hs_firm, qx_firm, hs_no_union, march, collect, finance):
    # given: some history, then a wrong collection
    collect(qx_firm, march, "1234.56")
    collect(hs_no_union, march, "77.77")
    before = all_balances()
    wrong = collect(hs_firm, march, "999.99")
    assert all_balances() != before

    # when
    reversal = collection_reverse(by=finance, collection=wrong, reason="税务机关更正")

    # then
    after = {account: balance for account, balance in all_balances().items() if balance != 0 or account in before}
    assert after == before
    assert reversal.reverses_id == wrong.entry_id
    wrong.refresh_from_db()
    assert wrong.status == FundsCollection.Status.REVERSED
    # the month can be recorded again, correctly
    collect(hs_firm, march, "99.99")


def test_a_collection_is_reversed_once(tree, hs_firm, march, collect, finance):
    collection = collect(hs_firm, march, "10.00")
    collection_reverse(by=finance, collection=collection, reason="x")
    with pytest.raises(ValidationError):
        collection_reverse(by=finance, collection=collection, reason="x")


def test_township_staff_cannot_reverse(tree, hs_firm, march, collect, huashe_staff):
    collection = collect(hs_firm, march, "10.00")
    with pytest.raises(PermissionDenied):
        collection_reverse(by=huashe_staff, collection=collection, reason="x")


def test_a_second_collection_for_the_same_month_is_refused_and_nothing_is_posted(tree, hs_firm, march, collect):
    collect(hs_firm, march, "10.00")
    entries = JournalEntry.objects.count()
    with pytest.raises(ValidationError):
        collect(hs_firm, march, "10.00")
    assert JournalEntry.objects.count() == entries


@pytest.mark.parametrize("amount", ["0", "-5.00", "1.001"])
def test_bad_amounts_are_refused(tree, hs_firm, march, collect, amount):
    with pytest.raises(ValidationError):
        collect(hs_firm, march, amount)
    assert not JournalEntry.objects.exists()


def test_staff_of_another_township_cannot_record(tree, hs_firm, march, collect, qixian_staff):
    with pytest.raises(PermissionDenied):
        collect(hs_firm, march, "10.00", by=qixian_staff)


def test_payroll_declaration_computes_two_percent_and_is_unique_per_month(tree, hs_firm, march, huashe_staff):
    declaration = payroll_declare(
        by=huashe_staff, enterprise=hs_firm, period=dt.date(YEAR, 3, 17), total_payroll=Decimal("1234567.89")
    )
    assert declaration.period == march and declaration.funds_due == Decimal("24691.36")  # 24691.3578
    with pytest.raises(ValidationError) as info:
        payroll_declare(by=huashe_staff, enterprise=hs_firm, period=march, total_payroll=Decimal("1"))
    assert "period" in info.value.message_dict
    assert PayrollDeclaration.objects.count() == 1


def test_negative_payroll_is_refused(tree, hs_firm, march, huashe_staff):
    with pytest.raises(ValidationError):
        payroll_declare(by=huashe_staff, enterprise=hs_firm, period=march, total_payroll=Decimal("-1"))


def test_collections_use_the_ratio_set_in_force_for_their_month(tree, hs_firm, collect, district_admin):
    from funds.services import ratio_set_create

    ratio_set_create(
        by=district_admin,
        district=tree["SX-KQ"],
        effective_from=dt.date(YEAR, 4, 1),
        grassroots_pct=Decimal("50"),
        district_pct=Decimal("30"),
        city_pct=Decimal("10"),
        province_pct=Decimal("5"),
        national_pct=Decimal("5"),
    )
    collect(hs_firm, dt.date(YEAR, 3, 1), "100.00")
    collect(hs_firm, dt.date(YEAR, 4, 1), "100.00")
    assert _balance(tree["KQ-HS-001"], "funds", "grassroots") == Decimal("110.00")


@pytest.mark.postgres
def test_the_database_refuses_to_change_posted_lines(tree, hs_firm, march, collect):
    from django.db import DatabaseError, connection, transaction

    line = collect(hs_firm, march, "100.00").entry.lines.first()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE funds_journalline SET amount = 0 WHERE id = %s", [line.pk])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_recordings_of_one_month_post_once(tree, hs_firm, finance):
    from funds.services import collection_record
    from tests.races import outcome, run_together

    def record():
        return collection_record(
            by=finance,
            enterprise=hs_firm,
            period=dt.date(YEAR, 3, 1),
            amount=Decimal("10.00"),
            collected_on=dt.date(YEAR, 4, 1),
        )

    outcomes = [outcome(r, ok="posted") for r in run_together(record, record)]

    assert sorted(outcomes) == ["posted", "refused"]
    assert FundsCollection.objects.count() == 1 and JournalEntry.objects.count() == 1

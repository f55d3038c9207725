"""Spending from a union's funds (a help campaign's budget): one balanced entry, debit the funds share, credit the
spending account; bad amounts refused; corrected only by a reversal."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from funds import services
from funds.models import JournalEntry, JournalLine, LedgerAccount, Level

pytestmark = pytest.mark.django_db


def test_spending_of_the_district_debits_its_district_share_and_credits_spending(tree, district_admin, today):
    # when
    entry = services.spending_record(
        by=district_admin, org=tree["SX-KQ"], amount=Decimal("30000.00"), memo="元旦春节送温暖", on=today
    )

    # then
    lines = {(line.account.kind, line.account.level, line.amount) for line in entry.lines.select_related("account")}
    assert lines == {
        (LedgerAccount.Kind.FUNDS, Level.DISTRICT, Decimal("30000.00")),
        (LedgerAccount.Kind.SPENDING, "", Decimal("-30000.00")),
    }
    assert entry.kind == JournalEntry.Kind.SPENDING and entry.period == today.replace(day=1)


def test_spending_of_a_township_uses_its_own_accounts(tree, huashe_staff, today):
    entry = services.spending_record(by=huashe_staff, org=tree["KQ-HS"], amount=Decimal("10.00"), memo="x", on=today)

    assert {line.account.org_id for line in entry.lines.select_related("account")} == {tree["KQ-HS"].pk}
    assert entry.district == tree["SX-KQ"]


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-5.00"), Decimal("1.005")])
def test_a_bad_amount_is_refused_and_nothing_is_posted(tree, district_admin, today, amount):
    with pytest.raises(ValidationError):
        services.spending_record(by=district_admin, org=tree["SX-KQ"], amount=amount, memo="x", on=today)

    assert not JournalLine.objects.filter(entry__kind="spending").exists()


def test_spending_is_corrected_by_a_reversal(tree, district_admin, today):
    entry = services.spending_record(by=district_admin, org=tree["SX-KQ"], amount=Decimal("500.00"), memo="x", on=today)

    reversal = services.journal_entry_reverse(by=district_admin, entry=entry, memo="预算调整")

    assert sum(line.amount for line in reversal.lines.all()) == 0
    assert {line.amount for line in reversal.lines.all()} == {Decimal("-500.00"), Decimal("500.00")}

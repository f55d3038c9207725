"""Spending from a union's funds (e.g. a help campaign's budget): a balanced journal entry that debits the
union's funds share and credits its spending account."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from union_portal.audit import audit_record
from union_portal.models import OrgUnit, User

from ..models import JournalEntry, LedgerAccount, Level
from ._ledger import _post, district_of, ledger_account
from .parsing import month_start


def _level_of(org: OrgUnit) -> str:
    return Level.DISTRICT if org.kind == OrgUnit.Kind.DISTRICT else Level.GRASSROOTS


@transaction.atomic
def spending_record(*, by: User, org: OrgUnit, amount: Decimal, memo: str, on: dt.date) -> JournalEntry:
    """Post ``amount`` (yuan, in fen, > 0) of ``org``'s funds as spending in the month of ``on``: debit its funds
    share (the district's level share for the district federation, the grassroots share otherwise), credit its
    spending account. Precondition: the caller checked ``by`` may spend the union's funds. Audited. Corrected
    only by ``journal_entry_reverse``."""
    if amount is None or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(_("The amount to spend must be more than zero, in yuan and fen."))
    district = district_of(org)
    funds = ledger_account(org=org, kind=LedgerAccount.Kind.FUNDS, level=_level_of(org))
    spending = ledger_account(org=org, kind=LedgerAccount.Kind.SPENDING)
    entry = _post(
        kind=JournalEntry.Kind.SPENDING,
        district=district,
        period=month_start(on),
        memo=memo,
        lines=[(funds, amount, None), (spending, -amount, None)],
        by=by,
    )
    audit_record(actor=by, action="funds.spending_record", obj=entry, detail={"amount": str(amount), "org": org.pk})
    return entry

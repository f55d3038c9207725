"""The ledger the funds services post to: the district above a unit, accounts, balanced journal entries
(collections allocated by level or held as founding reserve), reversals, reserve balances."""

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from members.models import Enterprise
from union_portal import tree
from union_portal.audit import audit_record
from union_portal.models import OrgUnit, User

from .. import locks
from ..models import JournalEntry, JournalLine, LedgerAccount, Level
from .ratios import LEVEL_ORDER, Ratios, allocate, ratios_in_force


def district_of(node: OrgUnit) -> OrgUnit:
    """The district federation above (or at) ``node``; the funds of its enterprises are allocated by it."""
    district = tree.nearest_ancestor(node, OrgUnit.objects.filter(kind=OrgUnit.Kind.DISTRICT), include_self=True)
    if district is not None:
        return district
    raise ValidationError(_("%(unit)s is not under a district federation.") % {"unit": node.name})


def _city_of(district: OrgUnit) -> OrgUnit:
    city = tree.nearest_ancestor(district, OrgUnit.objects.filter(kind=OrgUnit.Kind.CITY), include_self=True)
    return city or district  # no city above: the district holds the city's share as payable


def ledger_account(*, org: OrgUnit, kind: str, level: str = "") -> LedgerAccount:
    account, _created = LedgerAccount.objects.get_or_create(org=org, kind=kind, level=level)
    return account


class _Ledger:
    """Districts, accounts and ratio sets looked up once per posting (an import posts thousands of rows)."""

    def __init__(self) -> None:
        self._districts: dict[int, OrgUnit] = {}
        self._cities: dict[int, OrgUnit] = {}
        self._accounts: dict[tuple[int, str, str], LedgerAccount] = {}
        self._ratios: dict[tuple[int, dt.date], Ratios] = {}

    def district(self, township: OrgUnit) -> OrgUnit:
        if township.pk not in self._districts:
            self._districts[township.pk] = district_of(township)
        return self._districts[township.pk]

    def account(self, org: OrgUnit, kind: str, level: str = "") -> LedgerAccount:
        key = (org.pk, kind, level)
        if key not in self._accounts:
            self._accounts[key] = ledger_account(org=org, kind=kind, level=level)
        return self._accounts[key]

    def ratios(self, district: OrgUnit, on: dt.date) -> Ratios:
        key = (district.pk, on)
        if key not in self._ratios:
            self._ratios[key] = ratios_in_force(district=district, on=on)
        return self._ratios[key]

    def level_accounts(self, district: OrgUnit, union: OrgUnit) -> dict[str, LedgerAccount]:
        if district.pk not in self._cities:
            self._cities[district.pk] = _city_of(district)
        holders = {
            Level.GRASSROOTS: union,
            Level.DISTRICT: district,
            Level.CITY: self._cities[district.pk],
            Level.PROVINCE: district,  # payable upward, held at the district
            Level.NATIONAL: district,
        }
        return {level: self.account(org, LedgerAccount.Kind.FUNDS, level) for level, org in holders.items()}


def _post(
    *,
    kind: str,
    district: OrgUnit,
    period: dt.date,
    memo: str,
    lines: Sequence[tuple[LedgerAccount, Decimal, Enterprise | None]],
    by: User | None,
    ratios: dict | None = None,
    reverses: JournalEntry | None = None,
) -> JournalEntry:
    """Write one balanced journal entry. Lines of zero are left out; the rest must sum to exactly zero."""
    lines = [(account, amount, enterprise) for account, amount, enterprise in lines if amount != 0]
    if not lines or sum(amount for _a, amount, _e in lines) != 0:
        raise ValueError("A journal entry needs lines that sum to zero.")
    entry = JournalEntry.objects.create(
        kind=kind,
        district=district,
        period=period,
        memo=memo[:200],
        ratios=ratios or {},
        reverses=reverses,
        posted_by=by if getattr(by, "is_authenticated", False) else None,
    )
    JournalLine.objects.bulk_create(
        [
            JournalLine(entry=entry, account=account, amount=amount, enterprise=enterprise)
            for account, amount, enterprise in lines
        ]
    )
    return entry


def _allocation_lines(
    *, ledger: _Ledger, amount: Decimal, ratios: Ratios, district: OrgUnit, union: OrgUnit, enterprise: Enterprise
) -> list[tuple[LedgerAccount, Decimal, Enterprise]]:
    accounts = ledger.level_accounts(district, union)
    shares = allocate(amount, ratios)
    return [(accounts[level], -shares[level], enterprise) for level in LEVEL_ORDER]


def _collection_lines(
    *, ledger: _Ledger, enterprise: Enterprise, period: dt.date, amount: Decimal
) -> tuple[OrgUnit, list[tuple[LedgerAccount, Decimal, Enterprise]], dict]:
    """The district and the balanced lines of a collection: received at the district; allocated by the
    ratios in force for the month when the enterprise has a union, else held whole as its founding reserve
    at its township. Also returns the ratios applied (for the entry)."""
    district = ledger.district(enterprise.township)
    receipt = ledger.account(district, LedgerAccount.Kind.COLLECTION)
    if enterprise.union is not None:
        ratios = ledger.ratios(district, period)
        lines = [(receipt, amount, enterprise)] + _allocation_lines(
            ledger=ledger,
            amount=amount,
            ratios=ratios,
            district=district,
            union=enterprise.union,
            enterprise=enterprise,
        )
        return district, lines, ratios.as_json()
    reserve = ledger.account(enterprise.township, LedgerAccount.Kind.RESERVE)
    return district, [(receipt, amount, enterprise), (reserve, -amount, enterprise)], {}


def _collection_memo(enterprise: Enterprise, period: dt.date) -> str:
    return _("%(enterprise)s, union funds for %(period)s") % {
        "enterprise": enterprise.name,
        "period": period.strftime("%Y-%m"),
    }


@transaction.atomic
def journal_entry_reverse(*, by: User, entry: JournalEntry, memo: str = "") -> JournalEntry:
    """Post the reversing entry of ``entry`` (every line negated). Locks the entry row (SELECT FOR UPDATE)
    so it is reversed at most once; a reversal itself is not reversed (post the original again instead)."""
    entry = locks.journal_entry_for_update(entry.pk)
    if entry.kind == JournalEntry.Kind.REVERSAL:
        raise ValidationError(_("A reversal cannot be reversed; record the original again instead."))
    if JournalEntry.objects.filter(reverses=entry).exists():
        raise ValidationError(_("This entry has already been reversed."))
    lines = [
        (line.account, -line.amount, line.enterprise) for line in entry.lines.select_related("account", "enterprise")
    ]
    reversal = _post(
        kind=JournalEntry.Kind.REVERSAL,
        district=entry.district,
        period=entry.period,
        memo=memo or _("Reversal of entry #%(id)s") % {"id": entry.pk},
        lines=lines,
        by=by,
        ratios=entry.ratios,
        reverses=entry,
    )
    audit_record(actor=by, action="funds.entry_reverse", obj=reversal, detail={"reverses": entry.pk, "memo": memo})
    return reversal


def _reserve_balances(enterprise: Enterprise) -> dict[int, Decimal]:
    """Founding reserve held for ``enterprise`` per reserve account (credit balance, positive)."""
    rows = (
        JournalLine.objects.filter(enterprise=enterprise, account__kind=LedgerAccount.Kind.RESERVE)
        .values("account_id")
        .annotate(total=Sum("amount"))
    )
    return {row["account_id"]: -row["total"] for row in rows if row["total"]}

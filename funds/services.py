"""Every write about union funds, the founding reserve, the ledger and member dues.

Services are keyword-only, atomic, check the caller may act, and write an audit row. Money is Decimal and is
rounded only by ``union_portal.money.round_fen``."""

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal, InvalidOperation
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from members.locks import enterprise_for_update, enterprises_for_update
from members.models import Enterprise, Member
from union_portal import tree
from union_portal.audit import audit_record
from union_portal.excel import RowError, read_table
from union_portal.models import OrgUnit, User
from union_portal.money import FEN, ZERO, is_whole_fen, round_fen
from union_portal.scoping import scope_paths

from . import locks
from .models import (
    AllocationRatioSet,
    DuesPayment,
    FoundingReserveHandover,
    FundsCollection,
    FundsImportBatch,
    JournalEntry,
    JournalLine,
    LedgerAccount,
    Level,
    PayrollDeclaration,
)
from .permissions import FUNDS_RECORD_ROLES, can_administer, can_record_dues, can_record_for

HUNDRED = Decimal("100")

LEVEL_ORDER: list[str] = [Level.GRASSROOTS, Level.DISTRICT, Level.CITY, Level.PROVINCE, Level.NATIONAL]


# --- money and the rules ---------------------------------------------------------------------------------


def _setting_decimal(name: str, default: str) -> Decimal:
    return Decimal(str(getattr(settings, name, default)))


def funds_rate() -> Decimal:
    """Union funds as a fraction of the payroll (2%; setting FUNDS_RATE_PERCENT)."""
    return _setting_decimal("FUNDS_RATE_PERCENT", "2") / HUNDRED


def funds_due_for_payroll(payroll: Decimal) -> Decimal:
    return round_fen(payroll * funds_rate())


def dues_for_wage(wage: Decimal | None) -> Decimal:
    """Monthly dues on a wage: 0.5% (setting DUES_RATE_PERCENT) of the wage floored to whole 10 yuan
    (setting DUES_WAGE_STEP): the part of the wage under 10 yuan is not counted. 4,567.89 → 4,560 → 22.80.
    A wage under 10 yuan owes nothing."""
    if wage is None or wage <= 0:
        return ZERO
    step = _setting_decimal("DUES_WAGE_STEP", "10")
    counted = (Decimal(wage) / step).to_integral_value(rounding=ROUND_FLOOR) * step
    return round_fen(counted * _setting_decimal("DUES_RATE_PERCENT", "0.5") / HUNDRED)


def member_dues_due(member: Member) -> Decimal | None:
    """Dues one member owes per month: nothing for retired members, None when the wage is unknown."""
    if member.status == Member.Status.RETIRED:
        return ZERO
    if member.monthly_wage is None:
        return None
    return dues_for_wage(member.monthly_wage)


@dataclass(frozen=True)
class Ratios:
    """The shares (percent of the collected amount) in force, and where the rounding residue goes."""

    shares: dict[str, Decimal]
    residue_level: str
    ratio_set_id: int | None = None
    effective_from: dt.date | None = None

    def as_json(self) -> dict:
        return {
            "shares": {level: str(pct) for level, pct in self.shares.items()},
            "residue_level": self.residue_level,
            "ratio_set": self.ratio_set_id,
        }


def default_ratios() -> Ratios:
    """The shipped default (setting FUNDS_DEFAULT_RATIOS): 60% grassroots; the 40% above split district 20,
    city 10, province 5, national 5; residue to the grassroots union."""
    configured = getattr(settings, "FUNDS_DEFAULT_RATIOS", None) or {
        "grassroots": "60",
        "district": "20",
        "city": "10",
        "province": "5",
        "national": "5",
    }
    shares = {level: Decimal(str(configured.get(level, "0"))) for level in LEVEL_ORDER}
    return Ratios(shares=shares, residue_level=getattr(settings, "FUNDS_DEFAULT_RESIDUE_LEVEL", Level.GRASSROOTS))


def ratios_in_force(*, district: OrgUnit, on: dt.date) -> Ratios:
    """The district's ratio set in force on ``on`` (the latest effective on or before it), else the default."""
    ratio_set = (
        AllocationRatioSet.objects.filter(district=district, effective_from__lte=on).order_by("-effective_from").first()
    )
    if ratio_set is None:
        return default_ratios()
    return Ratios(
        shares=ratio_set.shares(),
        residue_level=ratio_set.residue_level,
        ratio_set_id=ratio_set.pk,
        effective_from=ratio_set.effective_from,
    )


def allocate(amount: Decimal, ratios: Ratios) -> dict[str, Decimal]:
    """Split ``amount`` by level. Each share is rounded with ``round_fen``; the residue (what the rounded
    shares miss of the amount, a few fen at most) goes to ``ratios.residue_level``, so the shares always
    sum exactly to the amount."""
    amount = Decimal(amount)
    shares = {level: round_fen(amount * pct / HUNDRED) for level, pct in ratios.shares.items()}
    shares[ratios.residue_level] += amount - sum(shares.values())
    return shares


def validate_ratio_shares(shares: dict[str, Decimal], residue_level: str) -> None:
    errors = []
    if any(pct < 0 for pct in shares.values()):
        errors.append(_("No share may be negative."))
    total = sum(shares.values())
    if total != HUNDRED:
        errors.append(_("The shares must add up to 100%% (they add up to %(total)s%%).") % {"total": total})
    if shares.get(residue_level, Decimal(0)) <= 0:
        errors.append(_("The level that takes the rounding residue must have a share above 0%."))
    if errors:
        raise ValidationError(errors)


# --- periods and parsing -------------------------------------------------------------------------------

_PERIOD_RE = re.compile(r"^\s*(\d{4})\s*[-/.年]?\s*(\d{1,2})\s*(?:月|[-/.]\s*\d{1,2}\s*日?)?\s*$")


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def parse_period(text: str) -> dt.date:
    """'2026-03', '2026/3', '202603', '2026年3月' or a date in the month → the first day of the month."""
    match = _PERIOD_RE.match(str(text or ""))
    if not match:
        raise ValidationError(_("Not a month: write it as 2026-03."))
    year, month = int(match.group(1)), int(match.group(2))
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise ValidationError(_("Not a month: write it as 2026-03."))
    return dt.date(year, month, 1)


def parse_money(text, *, allow_zero: bool = True) -> Decimal:
    """A non-negative amount in yuan with at most two decimals ('12,345.60' allowed)."""
    raw = str(text if text is not None else "").replace(",", "").replace("，", "").strip()
    try:
        value = Decimal(raw)
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Not a number.")) from None
    if not value.is_finite():
        raise ValidationError(_("Not a number."))
    if value < 0:
        raise ValidationError(_("Must not be negative."))
    if value == 0 and not allow_zero:
        raise ValidationError(_("Must be more than zero."))
    if not is_whole_fen(value):
        raise ValidationError(_("At most two decimal places (fen)."))
    if value >= Decimal("10000000000"):
        raise ValidationError(_("The amount is too large."))
    return value.quantize(FEN)


def parse_date(text) -> dt.date:
    raw = str(text or "").strip().replace("/", "-").replace(".", "-")
    try:
        return dt.date.fromisoformat(raw[:10])
    except ValueError:
        raise ValidationError(_("Not a date: write it as 2026-03-15.")) from None


# --- dues settings ---------------------------------------------------------------------------------------


def arrears_window_months() -> int:
    """How many past months the arrears list looks at (setting DUES_ARREARS_MONTHS, default 6: six months
    without dues may end a membership, which staff then decide)."""
    return int(getattr(settings, "DUES_ARREARS_MONTHS", 6))


# --- the tree ------------------------------------------------------------------------------------------


def district_of(node: OrgUnit) -> OrgUnit:
    """The district federation above (or at) ``node``; the funds of its enterprises are allocated by it."""
    district = tree.nearest_ancestor(node, OrgUnit.objects.filter(kind=OrgUnit.Kind.DISTRICT), include_self=True)
    if district is not None:
        return district
    raise ValidationError(_("%(unit)s is not under a district federation.") % {"unit": node.name})


def _city_of(district: OrgUnit) -> OrgUnit:
    city = tree.nearest_ancestor(district, OrgUnit.objects.filter(kind=OrgUnit.Kind.CITY), include_self=True)
    return city or district  # no city above: the district holds the city's share as payable


# --- the ledger ----------------------------------------------------------------------------------------


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


# --- payroll and collections ---------------------------------------------------------------------------


@transaction.atomic
def payroll_declare(
    *, by: User, enterprise: Enterprise, period: dt.date, total_payroll: Decimal, source: str = "manual"
) -> PayrollDeclaration:
    """Record an enterprise's payroll for a month (one per enterprise and month) and the 2% due on it."""
    if not can_record_for(by, enterprise):
        raise PermissionDenied
    period = month_start(period)
    if total_payroll is None or total_payroll < 0:
        raise ValidationError({"total_payroll": _("The payroll must not be negative.")})
    total_payroll = Decimal(total_payroll)
    if not is_whole_fen(total_payroll):
        raise ValidationError({"total_payroll": _("At most two decimal places (fen).")})
    duplicate = ValidationError({"period": _("A payroll for this enterprise and month has already been declared.")})
    if PayrollDeclaration.objects.filter(enterprise=enterprise, period=period).exists():
        raise duplicate
    try:
        with transaction.atomic():
            declaration = PayrollDeclaration.objects.create(
                enterprise=enterprise,
                period=period,
                total_payroll=total_payroll,
                funds_due=funds_due_for_payroll(total_payroll),
                source=source,
                declared_by=by,
            )
    except IntegrityError:
        raise duplicate from None
    audit_record(
        actor=by,
        action="funds.payroll_declare",
        obj=declaration,
        detail={"payroll": str(total_payroll), "due": str(declaration.funds_due)},
    )
    return declaration


@transaction.atomic
def collection_record(
    *,
    by: User,
    enterprise: Enterprise,
    period: dt.date,
    amount: Decimal,
    collected_on: dt.date,
    tax_reference: str = "",
    source: str = FundsCollection.Source.MANUAL,
    batch: FundsImportBatch | None = None,
) -> FundsCollection:
    """Record the funds the tax authority collected for an enterprise and month, and post them.

    Locks the enterprise row (SELECT FOR UPDATE): whether the amount is allocated (the enterprise has a
    union) or held as its founding reserve at the township is decided under the same lock the hand-over
    takes, so no reserve is posted after the hand-over has read the balance."""
    enterprise = enterprise_for_update(enterprise.pk)
    if not can_record_for(by, enterprise):
        raise PermissionDenied
    period = month_start(period)
    amount = Decimal(amount)
    if amount <= 0:
        raise ValidationError({"amount": _("The amount collected must be more than zero.")})
    if not is_whole_fen(amount):
        raise ValidationError({"amount": _("At most two decimal places (fen).")})
    if FundsCollection.objects.filter(
        enterprise=enterprise, period=period, status=FundsCollection.Status.POSTED
    ).exists():
        raise ValidationError(
            {
                "period": _(
                    "Funds for this enterprise and month have already been recorded. Reverse them first to correct them."
                )
            }
        )
    tax_reference = (tax_reference or "").strip()
    if (
        tax_reference
        and FundsCollection.objects.filter(tax_reference=tax_reference, status=FundsCollection.Status.POSTED).exists()
    ):
        raise ValidationError({"tax_reference": _("This tax voucher number has already been recorded.")})
    district, lines, ratios_json = _collection_lines(
        ledger=_Ledger(), enterprise=enterprise, period=period, amount=amount
    )
    entry = _post(
        kind=JournalEntry.Kind.COLLECTION,
        district=district,
        period=period,
        memo=_collection_memo(enterprise, period),
        lines=lines,
        by=by,
        ratios=ratios_json,
    )
    collection = FundsCollection.objects.create(
        enterprise=enterprise,
        period=period,
        amount=amount,
        collected_on=collected_on,
        tax_reference=tax_reference,
        is_reserve=enterprise.union is None,
        union=enterprise.union,
        township=enterprise.township,
        source=source,
        entry=entry,
        batch=batch,
        recorded_by=by,
    )
    audit_record(
        actor=by,
        action="funds.collection_record",
        obj=collection,
        detail={"amount": str(amount), "reserve": collection.is_reserve, "entry": entry.pk},
    )
    return collection


@transaction.atomic
def collection_reverse(*, by: User, collection: FundsCollection, reason: str) -> JournalEntry:
    """Reverse a posted collection: its journal entry gets a reversing entry and the collection is marked
    reversed, so the month can be recorded again. Locks the enterprise, then the collection. A founding
    reserve already handed over cannot be reversed here (the reserve no longer holds it)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the reversal.")})
    enterprise = enterprise_for_update(collection.enterprise_id)
    collection = locks.collection_for_update(collection.pk)
    if not can_administer(by, enterprise.township):
        raise PermissionDenied
    if collection.status != FundsCollection.Status.POSTED:
        raise ValidationError(_("This collection has already been reversed."))
    if collection.is_reserve and sum(_reserve_balances(enterprise).values(), Decimal(0)) < collection.amount:
        raise ValidationError(
            _("The founding reserve of this enterprise has already been handed over; it cannot be reversed here.")
        )
    reversal = journal_entry_reverse(by=by, entry=collection.entry, memo=reason)
    collection.status = FundsCollection.Status.REVERSED
    collection.reversed_reason = reason[:200]
    collection.save(update_fields=["status", "reversed_reason", "updated_at"])
    audit_record(actor=by, action="funds.collection_reverse", obj=collection, detail={"reason": reason})
    return reversal


# --- founding reserve ----------------------------------------------------------------------------------


@transaction.atomic
def founding_reserve_hand_over(*, enterprise: Enterprise, by: User | None) -> FoundingReserveHandover:
    """Hand the founding reserve held for ``enterprise`` over to its (newly founded) union: the whole
    balance leaves the township's reserve account and is allocated like collected funds, with the new union
    as the grassroots level, by the ratios in force today.

    Idempotent, and safe under concurrency: it locks the enterprise row (SELECT FOR UPDATE) first, so of two
    concurrent calls the second waits, then finds the first's hand-over and returns it. The database also
    refuses a second hand-over for the same enterprise and union. ``by`` may be None (the periodic sweep);
    otherwise it must record funds for the enterprise's township. Raises ValidationError when the enterprise
    has no union yet."""
    enterprise = enterprise_for_update(enterprise.pk)
    if by is not None and not can_record_for(by, enterprise):
        raise PermissionDenied
    if enterprise.union is None:
        raise ValidationError(_("The enterprise has no union yet; its founding reserve stays with the township."))
    existing = FoundingReserveHandover.objects.filter(enterprise=enterprise, union=enterprise.union).first()
    if existing is not None:
        return existing
    balances = _reserve_balances(enterprise)
    total = sum(balances.values(), ZERO)
    entry = None
    if total:
        district = district_of(enterprise.township)
        today = timezone.localdate()
        ratios = ratios_in_force(district=district, on=today)
        accounts = LedgerAccount.objects.in_bulk(list(balances))
        lines = [(accounts[account_id], balance, enterprise) for account_id, balance in balances.items()]
        lines += _allocation_lines(
            ledger=_Ledger(),
            amount=total,
            ratios=ratios,
            district=district,
            union=enterprise.union,
            enterprise=enterprise,
        )
        entry = _post(
            kind=JournalEntry.Kind.HANDOVER,
            district=district,
            period=month_start(today),
            memo=_("Founding reserve of %(enterprise)s handed over to %(union)s")
            % {"enterprise": enterprise.name, "union": enterprise.union.name},
            lines=lines,
            by=by,
            ratios=ratios.as_json(),
        )
    handover = FoundingReserveHandover.objects.create(
        enterprise=enterprise,
        union=enterprise.union,
        amount=total,
        entry=entry,
        by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit_record(
        actor=by,
        action="funds.reserve_hand_over",
        obj=handover,
        detail={"amount": str(total), "union": enterprise.union.code, "entry": entry.pk if entry else None},
    )
    return handover


def founding_reserve_sweep(*, by: User | None = None, root: OrgUnit | None = None) -> list[FoundingReserveHandover]:
    """Hand over the reserves of every enterprise (under ``root``, or in ``by``'s scope) that now has a
    union and still has a reserve held. Each hand-over is its own transaction and is idempotent, so the
    sweep may run at any time, twice, or next to a hand-over from the founding approval."""
    from .selectors import enterprises_with_reserve_to_hand_over

    handovers = []
    for enterprise in enterprises_with_reserve_to_hand_over(user=by, root=root):
        handovers.append(founding_reserve_hand_over(enterprise=enterprise, by=by))
    return handovers


# --- ratio sets ----------------------------------------------------------------------------------------


@transaction.atomic
def ratio_set_create(
    *,
    by: User,
    district: OrgUnit,
    effective_from: dt.date,
    grassroots_pct: Decimal,
    district_pct: Decimal,
    city_pct: Decimal,
    province_pct: Decimal,
    national_pct: Decimal,
    residue_level: str = Level.GRASSROOTS,
    note: str = "",
) -> AllocationRatioSet:
    """A new version of the district's allocation ratios, in force from ``effective_from``. The shares must
    sum to 100% and the residue level must have a share. Sets are never edited."""
    if district.kind != OrgUnit.Kind.DISTRICT:
        raise ValidationError(_("Allocation ratios are kept by a district federation."))
    if not can_administer(by, district):
        raise PermissionDenied
    shares: dict[str, Decimal] = {
        Level.GRASSROOTS: Decimal(grassroots_pct),
        Level.DISTRICT: Decimal(district_pct),
        Level.CITY: Decimal(city_pct),
        Level.PROVINCE: Decimal(province_pct),
        Level.NATIONAL: Decimal(national_pct),
    }
    if residue_level not in Level.values:
        raise ValidationError({"residue_level": _("Unknown level.")})
    validate_ratio_shares(shares, residue_level)
    if AllocationRatioSet.objects.filter(district=district, effective_from=effective_from).exists():
        raise ValidationError({"effective_from": _("A ratio set already takes effect on this date.")})
    ratio_set = AllocationRatioSet.objects.create(
        district=district,
        effective_from=effective_from,
        grassroots_pct=shares[Level.GRASSROOTS],
        district_pct=shares[Level.DISTRICT],
        city_pct=shares[Level.CITY],
        province_pct=shares[Level.PROVINCE],
        national_pct=shares[Level.NATIONAL],
        residue_level=residue_level,
        note=note,
        created_by=by,
    )
    audit_record(
        actor=by,
        action="funds.ratio_set_create",
        obj=ratio_set,
        detail={"shares": {k: str(v) for k, v in shares.items()}, "residue": residue_level},
    )
    return ratio_set


# --- member dues ---------------------------------------------------------------------------------------


@transaction.atomic
def dues_record(*, by: User, members: list[Member], period: dt.date) -> list[DuesPayment]:
    """Record that ``members`` paid their dues for ``period``: 0.5% of the wage as recorded on the member.
    Retired members pay nothing and are refused, as are members without a wage or not active. A member
    already recorded for the month is left as it is (recording twice has the effect of once)."""
    period = month_start(period)
    errors = []
    for member in members:
        if not can_record_dues(by, member):
            raise PermissionDenied
        if member.status == Member.Status.RETIRED:
            errors.append(_("%(name)s is retired and pays no dues.") % {"name": member.name})
        elif member.status != Member.Status.ACTIVE:
            errors.append(_("%(name)s is not an active member.") % {"name": member.name})
        elif member.monthly_wage is None:
            errors.append(_("%(name)s has no monthly wage recorded.") % {"name": member.name})
    if errors:
        raise ValidationError(errors)
    paid = set(DuesPayment.objects.filter(member__in=members, period=period).values_list("member_id", flat=True))
    created = DuesPayment.objects.bulk_create(
        [
            DuesPayment(
                member=member,
                period=period,
                wage=cast(Decimal, member.monthly_wage),  # None refused above
                amount=dues_for_wage(member.monthly_wage),
                recorded_by=by,
            )
            for member in members
            if member.pk not in paid
        ],
        ignore_conflicts=True,
    )
    if created:
        audit_record(
            actor=by,
            action="funds.dues_record",
            object_type="funds.duespayment",
            object_repr=f"{period:%Y-%m}",
            detail={"period": period.isoformat(), "members": [p.member_id for p in created]},
        )
    return created


# --- tax authority import ------------------------------------------------------------------------------

COL_USCC = "统一社会信用代码"
COL_NAME = "纳税人名称"
COL_PERIOD = "所属期"
COL_PAYROLL = "工资总额"
COL_AMOUNT = "实缴金额"
COL_DATE = "入库日期"
COL_VOUCHER = "电子税票号码"
IMPORT_REQUIRED = [COL_USCC, COL_PERIOD, COL_PAYROLL, COL_AMOUNT, COL_DATE]
IMPORT_OPTIONAL = [COL_NAME, COL_VOUCHER]


@dataclass
class ImportCheck:
    rows: list[dict] = field(default_factory=list)  # clean rows, as JSON-able text
    errors: list[RowError] = field(default_factory=list)


def _check_import_rows(*, by: User, table_rows: list[tuple[int, dict[str, str]]]) -> ImportCheck:
    """Check every row; collect every problem. No write."""
    result = ImportCheck()
    usccs = {row.get(COL_USCC, "").strip().upper() for _n, row in table_rows}
    paths = scope_paths(by, FUNDS_RECORD_ROLES)
    enterprises = {
        e.uscc: e
        for e in Enterprise.objects.filter(uscc__in=usccs).select_related("township")
        if any(tree.is_within(e.township, p) for p in paths)
    }
    ids = [e.pk for e in enterprises.values()]
    collected = set(
        FundsCollection.objects.filter(enterprise_id__in=ids, status=FundsCollection.Status.POSTED).values_list(
            "enterprise_id", "period"
        )
    )
    declared = {
        (d.enterprise_id, d.period): d.total_payroll for d in PayrollDeclaration.objects.filter(enterprise_id__in=ids)
    }
    vouchers_in_file: set[str] = set()
    keys_in_file: set[tuple[int, dt.date]] = set()
    for number, row in table_rows:
        errors = []
        uscc = row.get(COL_USCC, "").strip().upper()
        enterprise = enterprises.get(uscc)
        if enterprise is None:
            errors.append(
                RowError(number, COL_USCC, _("Unknown enterprise: no enterprise with this credit code in your area."))
            )
        values: dict[str, Any] = {}  # parsed cells: a date or a Decimal by column
        for column, parser in (
            (COL_PERIOD, parse_period),
            (COL_PAYROLL, parse_money),
            (COL_AMOUNT, lambda text: parse_money(text, allow_zero=False)),
            (COL_DATE, parse_date),
        ):
            try:
                values[column] = parser(row.get(column, ""))
            except ValidationError as exc:
                errors.append(RowError(number, column, " ".join(exc.messages)))
        voucher = row.get(COL_VOUCHER, "").strip()
        if voucher:
            if voucher in vouchers_in_file:
                errors.append(RowError(number, COL_VOUCHER, _("This tax voucher number appears twice in the file.")))
            elif FundsCollection.objects.filter(tax_reference=voucher, status=FundsCollection.Status.POSTED).exists():
                errors.append(RowError(number, COL_VOUCHER, _("This tax voucher number has already been recorded.")))
            vouchers_in_file.add(voucher)
        if enterprise is not None and COL_PERIOD in values:
            key = (enterprise.pk, values[COL_PERIOD])
            if key in keys_in_file:
                errors.append(
                    RowError(number, COL_PERIOD, _("The same enterprise and month appear twice in the file."))
                )
            elif key in collected:
                errors.append(
                    RowError(number, COL_PERIOD, _("Funds for this enterprise and month have already been recorded."))
                )
            elif COL_PAYROLL in values and key in declared and declared[key] != values[COL_PAYROLL]:
                errors.append(
                    RowError(
                        number,
                        COL_PAYROLL,
                        _("A payroll of %(declared)s was already declared for this month.")
                        % {"declared": declared[key]},
                    )
                )
            keys_in_file.add(key)
        if errors:
            result.errors.extend(errors)
            continue
        assert enterprise is not None  # an error above otherwise
        result.rows.append(
            {
                "row": number,
                "enterprise": enterprise.pk,
                "enterprise_name": enterprise.name,
                "uscc": uscc,
                "period": values[COL_PERIOD].isoformat(),
                "payroll": str(values[COL_PAYROLL]),
                "amount": str(values[COL_AMOUNT]),
                "collected_on": values[COL_DATE].isoformat(),
                "voucher": voucher,
            }
        )
    return result


def _rows_as_table(rows: list[dict]) -> list[tuple[int, dict[str, str]]]:
    return [
        (
            row["row"],
            {
                COL_USCC: row["uscc"],
                COL_PERIOD: row["period"],
                COL_PAYROLL: row["payroll"],
                COL_AMOUNT: row["amount"],
                COL_DATE: row["collected_on"],
                COL_VOUCHER: row["voucher"],
            },
        )
        for row in rows
    ]


@transaction.atomic
def funds_import_preview(*, by: User, data: bytes, filename: str) -> tuple[FundsImportBatch | None, list[RowError]]:
    """Read the tax authority's export and check every row. With any problem: (None, every problem), nothing
    written. Clean: a previewed batch holding the checked rows, nothing posted yet. ExcelFileError for a
    file that cannot be read at all."""
    if not scope_paths(by, FUNDS_RECORD_ROLES):
        raise PermissionDenied
    table = read_table(data, required=IMPORT_REQUIRED, optional=IMPORT_OPTIONAL)
    check = _check_import_rows(by=by, table_rows=table.rows)
    if check.errors:
        return None, check.errors
    batch = FundsImportBatch.objects.create(
        uploaded_by=by,
        filename=filename[:200],
        rows=check.rows,
        row_count=len(check.rows),
        total=sum((Decimal(r["amount"]) for r in check.rows), ZERO),
    )
    audit_record(actor=by, action="funds.import_preview", obj=batch, detail={"rows": batch.row_count})
    return batch, []


@transaction.atomic
def funds_import_post(*, by: User, batch: FundsImportBatch) -> int:
    """Post a previewed batch whole: the batch row and then the enterprises of its rows are locked (SELECT FOR
    UPDATE, in pk order), every row is checked again under those locks (the ledger may have moved since the
    preview), then the missing declarations, the journal entries and lines and the collections are written
    in bulk in this one transaction. Any problem and nothing is posted. A posted batch is not posted again."""
    batch = locks.import_batch_for_update(batch.pk)
    if batch.uploaded_by_id != by.pk:
        raise PermissionDenied
    if batch.status != FundsImportBatch.Status.PREVIEWED:
        raise ValidationError(_("This import has already been posted."))
    ids = sorted({row["enterprise"] for row in batch.rows})
    enterprises = {e.pk: e for e in enterprises_for_update(ids)}
    check = _check_import_rows(by=by, table_rows=_rows_as_table(batch.rows))
    if check.errors:
        raise ValidationError([str(error) for error in check.errors])
    ledger = _Ledger()
    declared = set(PayrollDeclaration.objects.filter(enterprise_id__in=ids).values_list("enterprise_id", "period"))
    declarations, plans = [], []
    for row in check.rows:
        enterprise = enterprises[row["enterprise"]]
        if not can_record_for(by, enterprise):
            raise PermissionDenied
        period = dt.date.fromisoformat(row["period"])
        amount = Decimal(row["amount"])
        if (enterprise.pk, period) not in declared:
            payroll = Decimal(row["payroll"])
            declarations.append(
                PayrollDeclaration(
                    enterprise=enterprise,
                    period=period,
                    total_payroll=payroll,
                    funds_due=funds_due_for_payroll(payroll),
                    source="import",
                    declared_by=by,
                )
            )
            declared.add((enterprise.pk, period))
        district, lines, ratios_json = _collection_lines(
            ledger=ledger, enterprise=enterprise, period=period, amount=amount
        )
        lines = [line for line in lines if line[1] != 0]
        if sum(line[1] for line in lines) != 0:
            raise ValueError("A journal entry needs lines that sum to zero.")
        plans.append((row, enterprise, period, amount, district, lines, ratios_json))
    PayrollDeclaration.objects.bulk_create(declarations, batch_size=1000)
    entries = JournalEntry.objects.bulk_create(
        [
            JournalEntry(
                kind=JournalEntry.Kind.COLLECTION,
                district=district,
                period=period,
                memo=_collection_memo(enterprise, period)[:200],
                ratios=ratios_json,
                posted_by=by,
            )
            for _row, enterprise, period, _amount, district, _lines, ratios_json in plans
        ],
        batch_size=1000,
    )
    JournalLine.objects.bulk_create(
        [
            JournalLine(entry=entry, account=account, amount=line_amount, enterprise=line_enterprise)
            for entry, plan in zip(entries, plans, strict=True)
            for account, line_amount, line_enterprise in plan[5]
        ],
        batch_size=2000,
    )
    FundsCollection.objects.bulk_create(
        [
            FundsCollection(
                enterprise=enterprise,
                period=period,
                amount=amount,
                collected_on=dt.date.fromisoformat(row["collected_on"]),
                tax_reference=row["voucher"],
                is_reserve=enterprise.union is None,
                union=enterprise.union,
                township=enterprise.township,
                source=FundsCollection.Source.IMPORT,
                entry=entry,
                batch=batch,
                recorded_by=by,
            )
            for entry, (row, enterprise, period, amount, _district, _lines, _ratios) in zip(entries, plans, strict=True)
        ],
        batch_size=1000,
    )
    batch.status = FundsImportBatch.Status.POSTED
    batch.posted_at = timezone.now()
    batch.save(update_fields=["status", "posted_at"])
    audit_record(
        actor=by,
        action="funds.import_post",
        obj=batch,
        detail={"rows": len(plans), "declarations": len(declarations), "total": str(batch.total)},
    )
    return len(plans)

"""Every read about union funds, the ledger and member dues that a view, export or the dashboard needs.

Scope: funds rows belong to an enterprise, which lies under its township and, once unionised, under its
grassroots union (which may sit under an industry union, outside the township). A row is visible to staff of
the township's subtree and to staff of the union's subtree, in the funds roles only."""

import datetime as dt
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from members.models import Enterprise, Member
from union_portal import tree
from union_portal.models import OrgUnit
from union_portal.money import ZERO, round_fen
from union_portal.scoping import get_in_scope_or_404, scope, scope_paths

from .models import (
    AllocationRatioSet,
    DuesPayment,
    FoundingReserveHandover,
    FundsCollection,
    JournalLine,
    LedgerAccount,
    Level,
    PayrollDeclaration,
)
from .permissions import DUES_ROLES, FUNDS_ADMIN_ROLES, FUNDS_RECORD_ROLES, FUNDS_VIEW_ROLES
from .services import LEVEL_ORDER, dues_for_wage

MONEY_FIELD = DecimalField(max_digits=14, decimal_places=2)


def _money(expr):
    return Coalesce(expr, Value(ZERO), output_field=MONEY_FIELD)


def enterprise_q(user, *, prefix: str = "", roles=FUNDS_VIEW_ROLES) -> Q:
    """Rows whose enterprise (at ``prefix``) lies in the user's funds scope, by township or by union."""
    paths = scope_paths(user, roles)
    return tree.subtree_q(*paths, field=f"{prefix}township") | tree.subtree_q(*paths, field=f"{prefix}union")


def scope_funds(qs: QuerySet, user, *, prefix: str, roles=FUNDS_VIEW_ROLES) -> QuerySet:
    """``scope`` (by the model's SCOPE_ORG, the enterprise's township) widened to the enterprise's union."""
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    by_township = scope(qs, user, roles=roles, include_owner=False)
    return by_township | qs.filter(tree.subtree_q(*scope_paths(user, roles), field=f"{prefix}union"))


# --- enterprises, declarations, collections ------------------------------------------------------------


def enterprise_funds_list(*, user, search: str = "", roles=FUNDS_VIEW_ROLES) -> QuerySet[Enterprise]:
    qs = Enterprise.objects.filter(enterprise_q(user, roles=roles)).select_related("township", "union")
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(uscc__iexact=search.upper()))
    return qs.order_by("name")


def enterprise_get_for_funds(*, user, pk: int, roles=FUNDS_VIEW_ROLES) -> Enterprise:
    try:
        return enterprise_funds_list(user=user, roles=roles).get(pk=pk)
    except Enterprise.DoesNotExist:
        raise Http404 from None


def declaration_list(*, user, period: dt.date | None = None, search: str = "") -> QuerySet[PayrollDeclaration]:
    qs = scope_funds(PayrollDeclaration.objects.all(), user, prefix="enterprise__")
    if period:
        qs = qs.filter(period=period)
    if search:
        qs = qs.filter(Q(enterprise__name__icontains=search) | Q(enterprise__uscc__iexact=search.upper()))
    return qs.select_related("enterprise", "enterprise__township").order_by("-period", "enterprise__name", "id")


def collection_list(
    *, user, period: dt.date | None = None, status: str = "", search: str = ""
) -> QuerySet[FundsCollection]:
    qs = scope_funds(FundsCollection.objects.all(), user, prefix="enterprise__")
    if period:
        qs = qs.filter(period=period)
    if status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(Q(enterprise__name__icontains=search) | Q(enterprise__uscc__iexact=search.upper()))
    return qs.select_related("enterprise", "township", "union").order_by("-period", "-id")


def collection_get(*, user, pk: int) -> FundsCollection:
    qs = scope_funds(
        FundsCollection.objects.select_related("enterprise", "township", "union", "entry"), user, prefix="enterprise__"
    )
    try:
        return qs.get(pk=pk)
    except FundsCollection.DoesNotExist:
        raise Http404 from None


def entry_lines(*, entry) -> QuerySet[JournalLine]:
    return entry.lines.select_related("account", "account__org").order_by("id")


# --- accounts ------------------------------------------------------------------------------------------


def account_list(*, user, kind: str = "") -> QuerySet[LedgerAccount]:
    """Accounts held at units in the user's scope, with the raw balance (debits minus credits)."""
    qs = scope(LedgerAccount.objects.all(), user, roles=FUNDS_VIEW_ROLES, include_owner=False)
    if kind:
        qs = qs.filter(kind=kind)
    balance = JournalLine.objects.filter(account=OuterRef("pk")).values("account").annotate(s=Sum("amount")).values("s")
    return (
        qs.select_related("org")
        .annotate(raw_balance=_money(Subquery(balance, output_field=MONEY_FIELD)))
        .order_by("org__path", "kind", "level")
    )


def account_get(*, user, pk: int) -> LedgerAccount:
    return get_in_scope_or_404(LedgerAccount.objects.select_related("org"), user, roles=FUNDS_VIEW_ROLES, pk=pk)


def account_balance(*, account: LedgerAccount) -> Decimal:
    """The balance as the account is read: credit balance positive for funds and reserve accounts, debit
    balance positive for the collection account."""
    raw = round_fen(JournalLine.objects.filter(account=account).aggregate(s=Sum("amount"))["s"] or ZERO)
    return -raw if account.credit_normal else raw


def account_lines(*, account: LedgerAccount) -> QuerySet[JournalLine]:
    return (
        JournalLine.objects.filter(account=account)
        .select_related("entry", "enterprise")
        .order_by("-entry__posted_at", "-id")
    )


def all_balances() -> dict[int, Decimal]:
    """Raw balance of every account with lines (tests and checks)."""
    return {
        row["account_id"]: round_fen(row["s"])
        for row in JournalLine.objects.values("account_id").annotate(s=Sum("amount")).order_by("account_id")
    }


# --- founding reserve ----------------------------------------------------------------------------------


def founding_reserve_balance(*, enterprise: Enterprise) -> Decimal:
    raw = (
        JournalLine.objects.filter(enterprise=enterprise, account__kind=LedgerAccount.Kind.RESERVE).aggregate(
            s=Sum("amount")
        )["s"]
        or ZERO
    )
    return round_fen(-raw)


def _reserve_subquery():
    return (
        JournalLine.objects.filter(enterprise=OuterRef("pk"), account__kind=LedgerAccount.Kind.RESERVE)
        .values("enterprise")
        .annotate(s=Sum("amount"))
        .values("s")
    )


def reserve_list(*, user) -> QuerySet[Enterprise]:
    """Enterprises in scope with a founding reserve held (``reserve_held`` > 0)."""
    return (
        enterprise_funds_list(user=user)
        .annotate(reserve_held=-_money(Subquery(_reserve_subquery(), output_field=MONEY_FIELD)))
        .filter(reserve_held__gt=0)
        .order_by("township__path", "name")
    )


def enterprises_with_reserve_to_hand_over(*, user=None, root: OrgUnit | None = None) -> list[Enterprise]:
    """Enterprises that have a union now and still a reserve held (under ``root`` or in ``user``'s scope)."""
    if user is not None:
        qs = enterprise_funds_list(user=user, roles=FUNDS_RECORD_ROLES)
    else:
        qs = Enterprise.objects.all()
    if root is not None:
        qs = qs.filter(tree.subtree_q(root, field="township") | tree.subtree_q(root, field="union"))
    qs = qs.filter(union__isnull=False).annotate(
        raw_reserve=_money(Subquery(_reserve_subquery(), output_field=MONEY_FIELD))
    )
    return list(qs.filter(raw_reserve__lt=0).order_by("pk"))


def handover_list(*, user) -> QuerySet[FoundingReserveHandover]:
    return scope_funds(FoundingReserveHandover.objects.all(), user, prefix="enterprise__").select_related(
        "enterprise", "union"
    )


# --- ratio sets ----------------------------------------------------------------------------------------


def ratio_set_list(*, user) -> QuerySet[AllocationRatioSet]:
    """Ratio sets of the districts in the user's scope and of the districts above it (township staff and
    handlers see the ratios their funds are allocated by)."""
    q = Q(pk__in=[])
    for path in scope_paths(user, FUNDS_VIEW_ROLES):
        q |= tree.lineage_q(path, field="district")
    return (
        AllocationRatioSet.objects.filter(q)
        .select_related("district", "created_by")
        .order_by("district__path", "-effective_from")
    )


def districts_administered(*, user) -> QuerySet[OrgUnit]:
    paths = scope_paths(user, FUNDS_ADMIN_ROLES)
    return OrgUnit.objects.filter(tree.subtree_q(*paths), kind=OrgUnit.Kind.DISTRICT).order_by("path")


# --- reports -------------------------------------------------------------------------------------------


def _due_subquery(period_from: dt.date, period_to: dt.date):
    return (
        PayrollDeclaration.objects.filter(enterprise=OuterRef("pk"), period__gte=period_from, period__lte=period_to)
        .values("enterprise")
        .annotate(s=Sum("funds_due"))
        .values("s")
    )


def _collected_subquery(period_from: dt.date, period_to: dt.date):
    return (
        FundsCollection.objects.filter(
            enterprise=OuterRef("pk"),
            period__gte=period_from,
            period__lte=period_to,
            status=FundsCollection.Status.POSTED,
        )
        .values("enterprise")
        .annotate(s=Sum("amount"))
        .values("s")
    )


def collected_vs_due_by_enterprise(
    *, user, period_from: dt.date, period_to: dt.date, search: str = "", shortfall_only: bool = False
) -> QuerySet[Enterprise]:
    """Enterprises in scope with ``due`` (2% of the declared payroll) and ``collected`` over the months."""
    qs = (
        enterprise_funds_list(user=user, search=search)
        .annotate(
            due=_money(Subquery(_due_subquery(period_from, period_to), output_field=MONEY_FIELD)),
            collected=_money(Subquery(_collected_subquery(period_from, period_to), output_field=MONEY_FIELD)),
        )
        .annotate(difference=F("collected") - F("due"))
    )
    if shortfall_only:
        qs = qs.filter(collected__lt=F("due"))
    return qs.order_by("township__path", "name")


def collected_vs_due_by_township(*, user, period_from: dt.date, period_to: dt.date) -> list[dict]:
    """One row per township: due, collected, difference, founding reserve collected. Bounded (16 rows)."""
    declarations = (
        scope_funds(PayrollDeclaration.objects.all(), user, prefix="enterprise__")
        .filter(period__gte=period_from, period__lte=period_to)
        .values("enterprise__township_id")
        .annotate(s=Sum("funds_due"))
        .order_by()
    )
    collections = (
        scope_funds(FundsCollection.objects.all(), user, prefix="enterprise__")
        .filter(period__gte=period_from, period__lte=period_to, status=FundsCollection.Status.POSTED)
        .values("enterprise__township_id", "is_reserve")
        .annotate(s=Sum("amount"))
        .order_by()
    )
    rows: dict[int, dict] = {}

    def row(township_id):
        return rows.setdefault(township_id, {"due": ZERO, "collected": ZERO, "reserve": ZERO})

    for item in declarations:
        row(item["enterprise__township_id"])["due"] += item["s"]
    for item in collections:
        target = row(item["enterprise__township_id"])
        target["collected"] += item["s"]
        if item["is_reserve"]:
            target["reserve"] += item["s"]
    townships = OrgUnit.objects.in_bulk(list(rows))
    result = []
    for township_id, values in rows.items():
        township = townships[township_id]
        values = {key: round_fen(value) for key, value in values.items()}
        result.append({"township": township, **values, "difference": values["collected"] - values["due"]})
    return sorted(result, key=lambda r: r["township"].path)


def allocation_by_level(*, user, period_from: dt.date, period_to: dt.date) -> list[dict]:
    """Per month: the funds credited to each level and the net change of the founding reserve, for the
    enterprises in scope. Reversals count in the month of the entry they reverse."""
    lines = (
        JournalLine.objects.filter(enterprise_q(user, prefix="enterprise__"))
        .filter(
            entry__period__gte=period_from,
            entry__period__lte=period_to,
            account__kind__in=[LedgerAccount.Kind.FUNDS, LedgerAccount.Kind.RESERVE],
        )
        .values("entry__period", "account__kind", "account__level")
        .annotate(s=Sum("amount"))
        .order_by("entry__period")
    )
    periods: dict[dt.date, dict] = {}
    for item in lines:
        row = periods.setdefault(item["entry__period"], {level: ZERO for level in [*LEVEL_ORDER, "reserve"]})
        key = "reserve" if item["account__kind"] == LedgerAccount.Kind.RESERVE else item["account__level"]
        row[key] += -item["s"]
    result = []
    for period, values in sorted(periods.items()):
        values = {key: round_fen(value) for key, value in values.items()}
        total = sum(values.values(), ZERO)
        result.append({"period": period, "levels": [values[level] for level in LEVEL_ORDER], **values, "total": total})
    return result


def level_labels() -> list[str]:
    return [str(Level(level).label) for level in LEVEL_ORDER]


# --- member dues ---------------------------------------------------------------------------------------


def dues_unions(*, user) -> QuerySet[OrgUnit]:

    paths = scope_paths(user, DUES_ROLES)
    return OrgUnit.objects.filter(tree.subtree_q(*paths), kind=OrgUnit.Kind.GRASSROOTS).order_by("path")


def dues_members(*, user, org: OrgUnit, period: dt.date) -> QuerySet[Member]:
    """Members of ``org`` holding their membership (active or retired), with ``paid`` for the month."""

    qs = scope(Member.objects.filter(org=org), user, roles=DUES_ROLES, include_owner=False)
    paid = DuesPayment.objects.filter(member=OuterRef("pk"), period=period)
    return (
        qs.filter(status__in=Member.HOLDING_STATUSES)
        .annotate(paid=Exists(paid))
        .only("id", "name", "member_number", "status", "monthly_wage", "org_id")
        .order_by("member_number")
    )


def arrears_window(*, as_of: dt.date, months: int) -> list[dt.date]:
    """The ``months`` full months before the month of ``as_of``, oldest first."""
    first = as_of.replace(day=1)
    result = []
    year, month = first.year, first.month
    for _i in range(months):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        result.append(dt.date(year, month, 1))
    return list(reversed(result))


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def arrears_list(*, user, as_of: dt.date, months: int) -> QuerySet[Member]:
    """Active members in scope who owe dues and have months without dues in the window, with
    ``expected_months``, ``paid_months`` and ``unpaid_months``. Retired members owe nothing and never
    appear; membership is never changed here: staff decide."""

    window = arrears_window(as_of=as_of, months=months)
    expected = Case(
        *[When(joined_on__lt=_next_month(month), then=Value(len(window) - i)) for i, month in enumerate(window)],
        default=Value(0),
        output_field=IntegerField(),
    )
    paid = (
        DuesPayment.objects.filter(member=OuterRef("pk"), period__gte=window[0], period__lte=window[-1])
        .values("member")
        .annotate(c=Count("id"))
        .values("c")
    )
    qs = scope(Member.objects.all(), user, roles=DUES_ROLES, include_owner=False)
    return (
        qs.filter(status=Member.Status.ACTIVE, monthly_wage__gte=10)
        .annotate(
            expected_months=expected,
            paid_months=Coalesce(Subquery(paid, output_field=IntegerField()), Value(0)),
        )
        .annotate(unpaid_months=F("expected_months") - F("paid_months"))
        .filter(unpaid_months__gt=0)
        .select_related("org")
        .order_by("-unpaid_months", "org__path", "member_number")
    )


def member_monthly_dues(member: Member) -> Decimal:
    return dues_for_wage(member.monthly_wage)


# --- the dashboard -------------------------------------------------------------------------------------


def funds_totals(*, node: OrgUnit, period_from: dt.date, period_to: dt.date) -> dict:
    """Totals for the subtree of ``node`` over the months ``period_from``..``period_to`` (first days):
    funds due and collected, of which founding reserve, reserve held now, the allocation by level, dues
    recorded. The caller checks that the user may see ``node``. A handful of aggregate queries."""
    enterprises = tree.subtree_q(node, field="enterprise__township") | tree.subtree_q(node, field="enterprise__union")
    due = PayrollDeclaration.objects.filter(enterprises, period__gte=period_from, period__lte=period_to).aggregate(
        s=Sum("funds_due")
    )["s"]
    collections = FundsCollection.objects.filter(
        enterprises, period__gte=period_from, period__lte=period_to, status=FundsCollection.Status.POSTED
    ).aggregate(
        s=Sum("amount"),
        reserve=Sum("amount", filter=Q(is_reserve=True)),
    )
    reserve_held = JournalLine.objects.filter(enterprises, account__kind=LedgerAccount.Kind.RESERVE).aggregate(
        s=Sum("amount")
    )["s"]
    allocated = {level: ZERO for level in LEVEL_ORDER}
    for item in (
        JournalLine.objects.filter(
            enterprises,
            account__kind=LedgerAccount.Kind.FUNDS,
            entry__period__gte=period_from,
            entry__period__lte=period_to,
        )
        .values("account__level")
        .annotate(s=Sum("amount"))
        .order_by()
    ):
        allocated[item["account__level"]] = round_fen(-item["s"])
    dues = DuesPayment.objects.filter(
        tree.subtree_q(node, field="member__org"), period__gte=period_from, period__lte=period_to
    ).aggregate(s=Sum("amount"))["s"]
    return {
        "due": round_fen(due or ZERO),
        "collected": round_fen(collections["s"] or ZERO),
        "reserve_collected": round_fen(collections["reserve"] or ZERO),
        "reserve_held": round_fen(-(reserve_held or ZERO)),
        "allocated": allocated,
        "dues_recorded": round_fen(dues or ZERO),
    }


# --- Figures by union (read by the dashboard) ------------------------------------------------------------
# One grouped query each, over the months ``period_from``..``period_to``. Rows carry ``path``: the unit a
# row is attributed to; the dashboard rolls them up the tree.


def collected_by_org(*, period_from: dt.date, period_to: dt.date) -> QuerySet:
    """Posted collections of those months (reversals excluded), founding reserve included: rows ``path``
    (the enterprise's union, its township while it has none), ``total``."""
    collections = FundsCollection.objects.filter(
        status=FundsCollection.Status.POSTED, period__range=(period_from, period_to)
    )
    return collections.values(path=Coalesce("union__path", "township__path")).annotate(total=Sum("amount")).order_by()


def reserve_held_by_org(*, on: dt.date) -> list[dict]:
    """The founding reserve held after the entries of the periods up to ``on``: rows ``path`` (the township account
    holding it), ``held`` (positive: reserve accounts have a credit balance, negative lines)."""
    rows = (
        JournalLine.objects.filter(account__kind=LedgerAccount.Kind.RESERVE, entry__period__lte=on)
        .values(path=F("account__org__path"))
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return [{"path": row["path"], "held": -(row["total"] or Decimal(0))} for row in rows]


def dues_by_org(*, period_from: dt.date, period_to: dt.date) -> QuerySet:
    """Dues recorded for those months: rows ``path`` (the member's union), ``total``."""
    dues = DuesPayment.objects.filter(period__range=(period_from, period_to))
    return dues.values(path=F("member__org__path")).annotate(total=Sum("amount")).order_by()


def dues_payer_counts_by_org(*, period_from: dt.date, period_to: dt.date) -> QuerySet:
    """Members holding membership with dues recorded for at least one of those months: rows ``path``, ``n``."""
    dues = DuesPayment.objects.filter(
        period__range=(period_from, period_to), member__status__in=Member.HOLDING_STATUSES
    )
    return dues.values(path=F("member__org__path")).annotate(n=Count("member", distinct=True)).order_by()

"""Union-funds figures (DOMAIN.md "Union funds and dues"): funds collected, founding reserve held, dues
recorded, share of members paying dues.

Period: collections and dues of the months of the year computed; the founding reserve as held at the end
of that year. Attribution: a collection at the enterprise's union (at its township while it has none);
the reserve at the township account holding it; dues at the member's union. One or two grouped queries
per metric."""

from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from funds.models import DuesPayment, FundsCollection, JournalLine, LedgerAccount
from members.models import Member

from ..registry import Contribution, FigureContext, Kind, metric

SECTION = _("Union funds")


@metric(
    "funds.collected",
    label=_("Union funds collected"),
    kind=Kind.MONEY,
    section=SECTION,
    unit=_("yuan"),
    headline=True,
    order=80,
    description=_(
        "The 2% union funds the tax authority collected for the months of the year (posted, reversals "
        "excluded), founding reserve included."
    ),
)
def collected(ctx: FigureContext):
    rows = (
        FundsCollection.objects.filter(
            status=FundsCollection.Status.POSTED, period__range=(ctx.year_start, ctx.year_end)
        )
        .annotate(unit_path=Coalesce("union__path", "township__path"))
        .values("unit_path")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in rows:
        yield Contribution(row["unit_path"], row["total"] or Decimal(0))


@metric(
    "funds.reserve_held",
    label=_("Founding reserve held"),
    kind=Kind.MONEY,
    section=SECTION,
    unit=_("yuan"),
    headline=True,
    order=81,
    description=_(
        "Balance of the founding reserve accounts at the end of the year: funds of enterprises without a "
        "union not yet handed over to a new union."
    ),
)
def reserve_held(ctx: FigureContext):
    rows = (
        JournalLine.objects.filter(account__kind=LedgerAccount.Kind.RESERVE, entry__period__lte=ctx.year_end)
        .values("account__org__path")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in rows:
        # reserve accounts have a credit balance (negative lines); shown positive
        yield Contribution(row["account__org__path"], -(row["total"] or Decimal(0)))


def _dues(ctx: FigureContext):
    return DuesPayment.objects.filter(period__range=(ctx.year_start, ctx.year_end))


@metric(
    "funds.dues",
    label=_("Dues recorded"),
    kind=Kind.MONEY,
    section=SECTION,
    unit=_("yuan"),
    headline=True,
    order=82,
    description=_("Member dues the grassroots unions recorded for the months of the year."),
)
def dues(ctx: FigureContext):
    for row in _dues(ctx).values("member__org__path").annotate(total=Sum("amount")).order_by():
        yield Contribution(row["member__org__path"], row["total"] or Decimal(0))


@metric(
    "funds.dues_share",
    label=_("Members paying dues"),
    kind=Kind.PERCENT,
    section=SECTION,
    unit="%",
    headline=True,
    order=83,
    description=_(
        "Members (active or retired) with dues recorded for at least one month of the year ÷ members "
        "(active or retired)."
    ),
)
def dues_share(ctx: FigureContext):
    paying = _dues(ctx).filter(member__status__in=Member.HOLDING_STATUSES)
    for row in paying.values("member__org__path").annotate(n=Count("member", distinct=True)).order_by():
        yield Contribution(row["member__org__path"], row["n"], 0)
    holding = Member.objects.filter(status__in=Member.HOLDING_STATUSES)
    for row in holding.values("org__path").annotate(d=Count("id")).order_by():
        yield Contribution(row["org__path"], 0, row["d"])

"""Union-funds figures (DOMAIN.md "Union funds and dues"): funds collected, founding reserve held, dues
recorded, share of members paying dues.

Period: collections and dues of the months of the year computed; the founding reserve as held at the end
of that year. Attribution: a collection at the enterprise's union (at its township while it has none);
the reserve at the township account holding it; dues at the member's union. One or two grouped queries
per metric."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from funds import selectors as funds
from members import selectors as members

from ..registry import PEOPLE_PARTS, Contribution, FigureContext, Kind, metric

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
        # xgettext:no-python-format
        "The 2% union funds the tax authority collected for the months of the year (posted, reversals "
        "excluded), founding reserve included."
    ),
)
def collected(ctx: FigureContext):
    for row in funds.collected_by_org(period_from=ctx.year_start, period_to=ctx.year_end):
        yield Contribution(row["path"], row["total"] or Decimal(0))


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
    for row in funds.reserve_held_by_org(on=ctx.year_end):
        yield Contribution(row["path"], row["held"])


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
    for row in funds.dues_by_org(period_from=ctx.year_start, period_to=ctx.year_end):
        yield Contribution(row["path"], row["total"] or Decimal(0))


@metric(
    "funds.dues_share",
    label=_("Members paying dues"),
    parts=PEOPLE_PARTS,
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
    for row in funds.dues_payer_counts_by_org(period_from=ctx.year_start, period_to=ctx.year_end):
        yield Contribution(row["path"], row["n"], 0)
    for row in members.member_counts_by_org():
        yield Contribution(row["path"], 0, row["n"])

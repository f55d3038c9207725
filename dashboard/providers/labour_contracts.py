"""Dashboard figures: labour_contracts (read through the app's selectors only).

Collective-contract figures (DOMAIN.md "Labour relations"). "Valid" means in force (filed without objection,
within its term) on the figure's day: the last day of the year computed, or today for the current year.
Attribution: the coverage rates by the enterprise's township (``Enterprise.township``); workers covered and
contracts expiring by the union that made the contract (``CollectiveContract.org``)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from labour.selectors import contracts as labour

from ..registry import ENTERPRISE_PARTS, Contribution, FigureContext, Kind, metric

SECTION = _("Labour relations")
WAGE = "wage"  # CollectiveContract.Kind.WAGE, the wage-specific contract


def _on(ctx: FigureContext):
    return min(ctx.today, ctx.year_end)


def _coverage(ctx: FigureContext, kind: str | None):
    for row in labour.unionised_enterprise_counts_by_township():
        yield Contribution(row["path"], 0, row["n"])
    for row in labour.covered_enterprise_counts_by_township(on=_on(ctx), kind=kind):
        yield Contribution(row["path"], row["n"], 0)


@metric(
    "labour.contract_coverage",
    label=_("Collective contract coverage"),
    kind=Kind.PERCENT,
    section=SECTION,
    unit="%",
    headline=True,
    order=120,
    parts=ENTERPRISE_PARTS,
    description=_("Unionised enterprises covered by a collective contract in force ÷ unionised enterprises."),
)
def contract_coverage(ctx: FigureContext):
    yield from _coverage(ctx, None)


@metric(
    "labour.wage_bargaining_rate",
    label=_("Wage-bargaining rate"),
    kind=Kind.PERCENT,
    section=SECTION,
    unit="%",
    headline=True,
    order=121,
    parts=ENTERPRISE_PARTS,
    description=_("Unionised enterprises covered by a wage-specific contract in force ÷ unionised enterprises."),
)
def wage_bargaining_rate(ctx: FigureContext):
    yield from _coverage(ctx, WAGE)


@metric(
    "labour.workers_covered",
    label=_("Workers covered by collective contracts"),
    kind=Kind.COUNT,
    section=SECTION,
    unit=pgettext_lazy("unit", "people"),
    order=122,
    description=_("Workers covered by the collective contracts in force, by the union that made them."),
)
def workers_covered(ctx: FigureContext):
    for row in labour.workers_covered_by_org(on=_on(ctx)):
        yield Contribution(row["path"], row["n"] or 0)


@metric(
    "labour.contracts_expiring",
    label=_("Contracts expiring within 90 days"),
    kind=Kind.COUNT,
    section=SECTION,
    unit=pgettext_lazy("unit", "contracts"),
    order=123,
    description=_("Collective contracts in force whose term ends within 90 days: their renewal is due."),
)
def contracts_expiring(ctx: FigureContext):
    for row in labour.expiring_contract_counts_by_org(on=_on(ctx), days=90):
        yield Contribution(row["path"], row["n"])

"""Dashboard figures: labour_congress (read through the app's selectors only).

The share of unionised enterprises whose workers' congress met in the year (DOMAIN.md "Labour relations": at
least once a year). Attribution: the enterprise's township, so the drill-down goes district → township. One
grouped query."""

from django.utils.translation import gettext_lazy as _

from labour.selectors import congress as labour_congress

from ..registry import ENTERPRISE_PARTS, Contribution, FigureContext, Kind, metric

SECTION = _("Labour relations")


@metric(
    "labour.congress_held_share",
    label=_("Enterprises that held a workers' congress"),
    kind=Kind.PERCENT,
    section=SECTION,
    unit="%",
    headline=True,
    order=96,
    parts=ENTERPRISE_PARTS,
    description=_("Unionised enterprises whose workers' congress met in the year, of all unionised enterprises."),
)
def congress_held_share(ctx: FigureContext):
    for row in labour_congress.congress_held_counts_by_township(year=ctx.year):
        yield Contribution(row["path"], row["n"], row["d"])

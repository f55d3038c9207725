"""Help-campaign figures (DOMAIN.md "Hardship assistance"): help paid by campaign kind this year, and the workers
helped. Read through the assistance app's selectors only.

Period: help paid by bank or handed over against signature in the year computed (``Recipient.paid_at``).
Attribution: the worker's grassroots union (``Recipient.org``). One grouped query per metric."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assistance.selectors import campaigns as assistance

from ..registry import Contribution, FigureContext, Kind, metric

SECTION = _("Hardship assistance")


@metric(
    "assistance.help_paid",
    label=_("Help paid to workers in hardship"),
    kind=Kind.MONEY,
    section=SECTION,
    unit=_("yuan"),
    headline=True,
    order=90,
    description=_("Help of the year's campaigns paid by bank or handed over as goods, by the worker's union."),
)
def help_paid(ctx: FigureContext):
    for row in assistance.help_paid_by_org(year=ctx.year):
        yield Contribution(row["path"], row["total"] or Decimal(0))


@metric(
    "assistance.help_paid_by_campaign",
    label=_("Help paid by campaign"),
    kind=Kind.MONEY,
    section=SECTION,
    unit=_("yuan"),
    breakdown=_("Campaign"),
    key_labels=assistance.KIND_LABELS,
    order=91,
    description=_("Help paid or handed over in the year, by kind of campaign."),
)
def help_paid_by_campaign(ctx: FigureContext):
    for row in assistance.help_paid_by_org(year=ctx.year, by_campaign_kind=True):
        yield Contribution(row["path"], row["total"] or Decimal(0), key=row["key"])


@metric(
    "assistance.recipients",
    label=_("Workers helped"),
    kind=Kind.COUNT,
    section=SECTION,
    unit=pgettext_lazy("unit", "workers"),
    order=92,
    description=_("Workers who received help from a campaign in the year (each once), by their union."),
)
def recipients(ctx: FigureContext):
    for row in assistance.recipients_by_org(year=ctx.year):
        yield Contribution(row["path"], row["n"])

"""Labour-competition figures (DOMAIN.md "Competitions"): teams taking part, honours by
kind, mean released score.

Period: campaigns of the year computed (``Campaign.year``; honours by ``Honour.year``). Attribution: a team
counts at its own union (``Team.org``), else the contestant's union, else its enterprise's union, else the
organiser of the campaign, so a drill-down shows where the teams come from. One grouped query per metric."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from competitions import selectors as competitions

from ..registry import Contribution, FigureContext, Kind, metric

SECTION = _("Competitions")
HONOUR_LABELS = competitions.HONOUR_KIND_LABELS


@metric(
    "competitions.teams",
    label=_("Teams taking part"),
    kind=Kind.COUNT,
    section=SECTION,
    unit=pgettext_lazy("unit", "teams"),
    headline=True,
    order=60,
    description=_(
        "Teams, units and contestants entered in the year's campaigns, counted at their own union "
        "(else at the organiser)."
    ),
)
def teams(ctx: FigureContext):
    for row in competitions.team_counts_by_org(year=ctx.year):
        yield Contribution(row["path"], row["n"])


@metric(
    "competitions.honours",
    label=_("Competition honours"),
    kind=Kind.COUNT,
    section=SECTION,
    unit=pgettext_lazy("unit", "honours"),
    headline=True,
    order=61,
    description=_("Honours awarded in the year (red flags, merits, prizes, shuttles, craftsmen, Ankang Cup)."),
)
def honours(ctx: FigureContext):
    for row in competitions.honour_counts_by_org(year=ctx.year):
        yield Contribution(row["path"], row["n"])


@metric(
    "competitions.honours_by_kind",
    label=_("Competition honours by kind"),
    kind=Kind.COUNT,
    section=SECTION,
    unit=pgettext_lazy("unit", "honours"),
    breakdown=_("Honour"),
    key_labels=HONOUR_LABELS,
    order=62,
    description=_("Honours awarded in the year, by kind."),
)
def honours_by_kind(ctx: FigureContext):
    for row in competitions.honour_counts_by_org(year=ctx.year, by_kind=True):
        yield Contribution(row["path"], row["n"], key=row["key"])


@metric(
    "competitions.mean_score",
    label=_("Mean released score"),
    kind=Kind.AVERAGE,
    section=SECTION,
    unit=_("points"),
    headline=True,
    order=63,
    description=_("Mean total score of the results released for the periods of the year's campaigns."),
)
def mean_score(ctx: FigureContext):
    for row in competitions.released_score_totals_by_org(year=ctx.year):
        yield Contribution(row["path"], row["total"], row["n"])

"""Labour-competition figures (DOMAIN.md "Competitions"): teams taking part, honours by
kind, mean released score.

Period: campaigns of the year computed (``Campaign.year``; honours by ``Honour.year``). Attribution: a team
counts at its own union (``Team.org``), else the contestant's union, else its enterprise's union, else the
organiser of the campaign, so a drill-down shows where the teams come from. One grouped query per metric."""

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from competitions.models import Honour, Period, Result, Team

from ..registry import Contribution, FigureContext, Kind, metric

SECTION = _("Competitions")
HONOUR_LABELS = dict(Honour.Kind.choices)


def team_path(prefix: str = ""):
    """The path of the unit a team (``prefix`` = the lookup to it, e.g. ``"team__"``) is attributed to."""
    return Coalesce(
        f"{prefix}org__path",
        f"{prefix}member__org__path",
        f"{prefix}enterprise__union__path",
        f"{prefix}campaign__org__path",
    )


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
    rows = Team.objects.filter(campaign__year=ctx.year).annotate(unit_path=team_path())
    for row in rows.values("unit_path").annotate(n=Count("id")).order_by():
        yield Contribution(row["unit_path"], row["n"])


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
    rows = Honour.objects.filter(year=ctx.year).annotate(unit_path=team_path("team__"))
    for row in rows.values("unit_path").annotate(n=Count("id")).order_by():
        yield Contribution(row["unit_path"], row["n"])


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
    rows = Honour.objects.filter(year=ctx.year).annotate(unit_path=team_path("team__"))
    for row in rows.values("unit_path", "kind").annotate(n=Count("id")).order_by():
        yield Contribution(row["unit_path"], row["n"], key=row["kind"])


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
    rows = Result.objects.filter(period__status=Period.Status.RELEASED, period__campaign__year=ctx.year).annotate(
        unit_path=team_path("team__")
    )
    for row in rows.values("unit_path").annotate(total=Sum("total"), n=Count("id")).order_by():
        yield Contribution(row["unit_path"], row["total"], row["n"])

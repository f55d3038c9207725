"""Commendation figures (DOMAIN.md "Annual awards"): nominations by stage, honours by unit and by type.

Period: rounds of the year computed (``Round.year``). Attribution: the nominating union
(``Nomination.org``), so the drill-down gives honours by unit. One grouped query per metric."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from awards import selectors as awards

from ..registry import Contribution, FigureContext, Kind, metric

SECTION = _("Awards")
STAGE_LABELS = awards.NOMINATION_STAGE_LABELS
TYPE_LABELS = awards.AWARD_TYPE_LABELS


@metric(
    "awards.nominations",
    label=_("Nominations"),
    kind=Kind.COUNT,
    section=SECTION,
    unit=pgettext_lazy("unit", "nominations"),
    headline=True,
    order=70,
    description=_("Nominations submitted in the year's rounds (drafts excluded), by nominating union."),
)
def nominations(ctx: FigureContext):
    for row in awards.submitted_nomination_counts_by_org(year=ctx.year):
        yield Contribution(row["path"], row["n"])


@metric(
    "awards.nominations_by_stage",
    label=_("Nominations by stage"),
    kind=Kind.COUNT,
    section=SECTION,
    unit=pgettext_lazy("unit", "nominations"),
    breakdown=_("Stage"),
    key_labels=STAGE_LABELS,
    order=71,
    description=_("Nominations submitted in the year's rounds, by the stage they are at now."),
)
def nominations_by_stage(ctx: FigureContext):
    for row in awards.submitted_nomination_counts_by_org(year=ctx.year, by_stage=True):
        yield Contribution(row["path"], row["n"], key=row["key"])


@metric(
    "awards.honours",
    label=_("People and collectives honoured"),
    kind=Kind.COUNT,
    section=SECTION,
    unit=pgettext_lazy("unit", "honours"),
    headline=True,
    order=72,
    description=_("Nominations of the year's rounds approved and honoured, by nominating union."),
)
def honours(ctx: FigureContext):
    for row in awards.honour_counts_by_org(year=ctx.year):
        yield Contribution(row["path"], row["n"])


@metric(
    "awards.honours_by_type",
    label=_("Honours by award type"),
    kind=Kind.COUNT,
    section=SECTION,
    unit=pgettext_lazy("unit", "honours"),
    breakdown=_("Award type"),
    key_labels=TYPE_LABELS,
    order=73,
    description=_("Honours of the year's rounds by type of award (model worker, advanced collective, ...)."),
)
def honours_by_type(ctx: FigureContext):
    for row in awards.honour_counts_by_org(year=ctx.year, by_type=True):
        yield Contribution(row["path"], row["n"], key=row["key"])

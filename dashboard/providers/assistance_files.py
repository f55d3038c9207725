"""Dashboard figures: assistance_files (read through the app's selectors only) — DOMAIN.md "Hardship assistance".

Open files are counted on the last day of the year computed (today for the current year); files opened and
closed by their dates in the year. Attribution: the file's grassroots union (``org``): the dashboard rolls the
figures up to the township, the district and the city, so every figure drills down by township. One grouped
query per metric, whatever the number of files."""

from django.utils.translation import gettext_lazy as _

from assistance.selectors import files as assistance_files

from ..registry import Contribution, FigureContext, Kind, metric

SECTION = _("Hardship assistance")
CATEGORY_LABELS = assistance_files.CATEGORY_LABELS
REASON_LABELS = assistance_files.CLOSE_REASON_LABELS


def _on(ctx: FigureContext):
    return min(ctx.today, ctx.year_end)


@metric(
    "assistance.open_files",
    label=_("Open hardship files"),
    kind=Kind.COUNT,
    section=SECTION,
    unit=_("households"),
    headline=True,
    order=80,
    description=_("Hardship files open on the last day of the year (today for this year)."),
)
def open_files(ctx: FigureContext):
    for row in assistance_files.open_file_counts_by_org(on=_on(ctx)):
        yield Contribution(row["path"], row["n"])


@metric(
    "assistance.open_files_by_category",
    label=_("Open hardship files by category"),
    kind=Kind.COUNT,
    section=SECTION,
    unit=_("households"),
    breakdown=_("Category"),
    key_labels=CATEGORY_LABELS,
    order=81,
    description=_("Hardship files open on the last day of the year (today for this year), by category."),
)
def open_files_by_category(ctx: FigureContext):
    for row in assistance_files.open_file_counts_by_org(on=_on(ctx)):
        yield Contribution(row["path"], row["n"], key=row["key"])


@metric(
    "assistance.files_opened",
    label=_("Hardship files opened"),
    kind=Kind.COUNT,
    section=SECTION,
    unit=_("households"),
    order=82,
    description=_("Hardship files opened during the year."),
)
def files_opened(ctx: FigureContext):
    for row in assistance_files.opened_file_counts_by_org(year=ctx.year):
        yield Contribution(row["path"], row["n"])


@metric(
    "assistance.files_closed",
    label=_("Hardship files closed"),
    kind=Kind.COUNT,
    section=SECTION,
    unit=_("households"),
    breakdown=_("Reason for closing"),
    key_labels=REASON_LABELS,
    order=83,
    description=_("Hardship files closed during the year, by reason (out of hardship, retired, ...)."),
)
def files_closed(ctx: FigureContext):
    for row in assistance_files.closed_file_counts_by_org(year=ctx.year):
        yield Contribution(row["path"], row["n"], key=row["key"])


@metric(
    "assistance.per_capita_income",
    label=_("Mean per-capita income of open files"),
    kind=Kind.AVERAGE,
    section=SECTION,
    unit=_("yuan a month"),
    order=84,
    description=_("Mean per-capita monthly household income recorded on the open hardship files."),
)
def per_capita_income(ctx: FigureContext):
    for row in assistance_files.open_file_income_by_org(on=_on(ctx)):
        yield Contribution(row["path"], row["income"], row["n"])


@metric(
    "assistance.income_to_line",
    label=_("Per-capita income against the minimum living standard line"),
    kind=Kind.PERCENT,
    section=SECTION,
    unit="%",
    headline=True,
    order=85,
    description=_(
        "Per-capita monthly income of the open hardship files ÷ the minimum living standard line recorded on them (sums over the "
        "files): under 100% the households are under the line on average."
    ),
)
def income_to_line(ctx: FigureContext):
    for row in assistance_files.open_file_income_by_org(on=_on(ctx)):
        yield Contribution(row["path"], row["income"], row["line"])

"""Membership figures (DOMAIN.md "Members"): members, new members, shares, establishment and membership rates.

Attribution: members by their grassroots union (``Member.org``); the establishment rate by the enterprise's
township (a firm without a union has no union node); the membership rate by the union tree on both sides
(members of the union ÷ staff of the enterprises whose union it is), so a node's rate is its own members
over its own unionised staff."""

from django.utils.translation import gettext_lazy as _

from members import selectors as members

from ..registry import ENTERPRISE_PARTS, PEOPLE_PARTS, Contribution, FigureContext, Kind, metric

SECTION = _("Membership")
MIN_STAFF = 25  # a firm with 25 or more staff must form its own union (DOMAIN.md)
UNKNOWN = "—"
SIZE_BANDS = [("1-24", 0, 24), ("25-99", 25, 99), ("100-199", 100, 199), ("200-999", 200, 999), ("1000+", 1000, None)]
SIZE_LABELS = {
    "1-24": _("Under 25 staff"),
    UNKNOWN: _("(not recorded)"),
    "25-99": _("25–99 staff"),
    "100-199": _("100–199 staff"),
    "200-999": _("200–999 staff"),
    "1000+": _("1,000+ staff"),
}
INDUSTRY_LABELS = {UNKNOWN: _("(not recorded)")}


@metric(
    "members.total",
    label=_("Members"),
    kind=Kind.COUNT,
    section=SECTION,
    unit=_("people"),
    headline=True,
    order=10,
    description=_("Active and retired members of the unions in the unit's subtree."),
)
def members_total(ctx: FigureContext):
    for row in members.member_counts_by_org():
        yield Contribution(row["path"], row["n"])


@metric(
    "members.new",
    label=_("New members this year"),
    kind=Kind.COUNT,
    section=SECTION,
    unit=_("people"),
    headline=True,
    order=11,
    description=_("Members (still holding membership) who joined during the year."),
)
def members_new(ctx: FigureContext):
    for row in members.member_counts_by_org(joined_between=(ctx.year_start, ctx.year_end)):
        yield Contribution(row["path"], row["n"])


def _share(trait: str):
    def provider(ctx: FigureContext):
        for row in members.member_shares_by_org(trait=trait):
            yield Contribution(row["path"], row["n"], row["d"])

    return provider


metric(
    "members.migrant_share",
    label=_("Migrant workers' share"),
    kind=Kind.PERCENT,
    section=SECTION,
    unit="%",
    headline=True,
    order=12,
    description=_("Migrant workers among members."),
)(_share("migrant"))
metric(
    "members.frontline_share",
    label=_("Frontline workers' share"),
    kind=Kind.PERCENT,
    section=SECTION,
    unit="%",
    headline=True,
    order=13,
    description=_("Frontline workers among members."),
)(_share("frontline"))


@metric(
    "members.women_share",
    label=_("Women's share"),
    kind=Kind.PERCENT,
    section=SECTION,
    unit="%",
    order=14,
    description=_("Women among members."),
)
def women_share(ctx: FigureContext):
    return _share("women")(ctx)


@metric(
    "members.by_industry",
    label=_("Members by industry"),
    kind=Kind.COUNT,
    section=SECTION,
    unit=_("people"),
    breakdown=_("Industry"),
    order=15,
    key_labels=INDUSTRY_LABELS,
    description=_("Members by the industry of their enterprise."),
)
def members_by_industry(ctx: FigureContext):
    for row in members.member_counts_by_org(by="industry"):
        yield Contribution(row["path"], row["n"], key=row["key"] or UNKNOWN)


# --- establishment rate (建会率) ------------------------------------------------------------------------


def _establishment(breakdown: str | None):
    def provider(ctx: FigureContext):
        rows = members.enterprise_union_counts_by_township(min_staff=MIN_STAFF, by=breakdown, size_bands=SIZE_BANDS)
        for row in rows:
            yield Contribution(row["path"], row["n"], row["d"], key=_key(row, breakdown))

    return provider


RATE_HELP = _("Unionised enterprises with 25 or more staff ÷ enterprises with 25 or more staff, by township.")
metric(
    "enterprises.establishment_rate",
    label=_("Union establishment rate"),
    parts=ENTERPRISE_PARTS,
    kind=Kind.PERCENT,
    section=SECTION,
    unit="%",
    headline=True,
    order=20,
    description=RATE_HELP,
)(_establishment(None))
metric(
    "enterprises.establishment_rate_by_industry",
    label=_("Establishment rate by industry"),
    parts=ENTERPRISE_PARTS,
    kind=Kind.PERCENT,
    section=SECTION,
    unit="%",
    breakdown=_("Industry"),
    order=21,
    description=RATE_HELP,
    key_labels=INDUSTRY_LABELS,
)(_establishment("industry"))
metric(
    "enterprises.establishment_rate_by_size",
    label=_("Establishment rate by enterprise size"),
    parts=ENTERPRISE_PARTS,
    kind=Kind.PERCENT,
    section=SECTION,
    unit="%",
    breakdown=_("Enterprise size"),
    order=22,
    description=RATE_HELP,
    key_labels=SIZE_LABELS,
)(_establishment("size"))


# --- membership rate (入会率) ---------------------------------------------------------------------------


def _key(row: dict, breakdown: str | None) -> str:
    """The breakdown key of a selector's row: "" for totals, UNKNOWN when the industry or size is not recorded."""
    return (row["key"] or UNKNOWN) if breakdown else ""


def _membership(breakdown: str | None):
    def provider(ctx: FigureContext):
        for row in members.member_counts_by_org(by=breakdown, size_bands=SIZE_BANDS):
            yield Contribution(row["path"], row["n"], 0, key=_key(row, breakdown))
        for row in members.unionised_staff_by_union(by=breakdown, size_bands=SIZE_BANDS):
            yield Contribution(row["path"], 0, row["staff"] or 0, key=_key(row, breakdown))

    return provider


MEMBERSHIP_HELP = _("Members ÷ staff of unionised enterprises.")
metric(
    "members.membership_rate",
    label=_("Membership rate"),
    parts=PEOPLE_PARTS,
    kind=Kind.PERCENT,
    section=SECTION,
    unit="%",
    headline=True,
    order=30,
    description=MEMBERSHIP_HELP,
)(_membership(None))
metric(
    "members.membership_rate_by_industry",
    label=_("Membership rate by industry"),
    parts=PEOPLE_PARTS,
    kind=Kind.PERCENT,
    section=SECTION,
    unit="%",
    breakdown=_("Industry"),
    order=31,
    description=MEMBERSHIP_HELP,
    key_labels=INDUSTRY_LABELS,
)(_membership("industry"))
metric(
    "members.membership_rate_by_size",
    label=_("Membership rate by enterprise size"),
    parts=PEOPLE_PARTS,
    kind=Kind.PERCENT,
    section=SECTION,
    unit="%",
    breakdown=_("Enterprise size"),
    order=32,
    description=MEMBERSHIP_HELP,
    key_labels=SIZE_LABELS,
)(_membership("size"))

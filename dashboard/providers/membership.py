"""Membership figures (DOMAIN.md "Members"): members, new members, shares, establishment and membership rates.

Attribution: members by their grassroots union (``Member.org``); the establishment rate by the enterprise's
township (a firm without a union has no union node); the membership rate by the union tree on both sides
(members of the union ÷ staff of the enterprises whose union it is), so a node's rate is its own members
over its own unionised staff."""

from django.db.models import Case, CharField, Count, Q, Sum, Value, When
from django.utils.translation import gettext_lazy as _

from members.models import Enterprise, Member

from ..registry import Contribution, FigureContext, Kind, metric

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


def _holding():
    return Member.objects.filter(status__in=Member.HOLDING_STATUSES)


def _size_band(field: str) -> Case:
    whens = []
    for key, low, high in SIZE_BANDS:
        condition = Q(**{f"{field}__gte": low}) if high is None else Q(**{f"{field}__range": (low, high)})
        whens.append(When(condition, then=Value(key)))
    return Case(*whens, default=Value(UNKNOWN), output_field=CharField())


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
    for row in _holding().values("org__path").annotate(n=Count("id")).order_by():
        yield Contribution(row["org__path"], row["n"])


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
    qs = _holding().filter(joined_on__range=(ctx.year_start, ctx.year_end))
    for row in qs.values("org__path").annotate(n=Count("id")).order_by():
        yield Contribution(row["org__path"], row["n"])


def _share(flag: str):
    def provider(ctx: FigureContext):
        rows = _holding().values("org__path").annotate(n=Count("id", filter=Q(**{flag: True})), d=Count("id"))
        for row in rows.order_by():
            yield Contribution(row["org__path"], row["n"], row["d"])

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
)(_share("is_migrant"))
metric(
    "members.frontline_share",
    label=_("Frontline workers' share"),
    kind=Kind.PERCENT,
    section=SECTION,
    unit="%",
    headline=True,
    order=13,
    description=_("Frontline workers among members."),
)(_share("is_frontline"))


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
    rows = _holding().values("org__path").annotate(n=Count("id", filter=Q(sex=Member.Sex.FEMALE)), d=Count("id"))
    for row in rows.order_by():
        yield Contribution(row["org__path"], row["n"], row["d"])


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
    rows = _holding().values("org__path", "enterprise__industry").annotate(n=Count("id")).order_by()
    for row in rows:
        yield Contribution(row["org__path"], row["n"], key=row["enterprise__industry"] or UNKNOWN)


# --- establishment rate (建会率) ------------------------------------------------------------------------


def _establishment(breakdown: str | None):
    def provider(ctx: FigureContext):
        qs = Enterprise.objects.filter(employee_count__gte=MIN_STAFF)
        group = ["township__path"]
        if breakdown == "industry":
            group.append("industry")
        elif breakdown == "size":
            qs = qs.annotate(band=_size_band("employee_count"))
            group.append("band")
        rows = qs.values(*group).annotate(n=Count("id", filter=Q(union__isnull=False)), d=Count("id")).order_by()
        for row in rows:
            yield Contribution(row["township__path"], row["n"], row["d"], key=_key(row, breakdown, "industry"))

    return provider


RATE_HELP = _("Unionised enterprises with 25 or more staff ÷ enterprises with 25 or more staff, by township.")
metric(
    "enterprises.establishment_rate",
    label=_("Union establishment rate"),
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
    kind=Kind.PERCENT,
    section=SECTION,
    unit="%",
    breakdown=_("Enterprise size"),
    order=22,
    description=RATE_HELP,
    key_labels=SIZE_LABELS,
)(_establishment("size"))


# --- membership rate (入会率) ---------------------------------------------------------------------------


def _key(row: dict, breakdown: str | None, industry_field: str) -> str:
    if breakdown == "industry":
        return row[industry_field] or UNKNOWN
    if breakdown == "size":
        return row["band"] or UNKNOWN
    return ""


def _membership(breakdown: str | None):
    def provider(ctx: FigureContext):
        member_group, staff_group = ["org__path"], ["union__path"]
        members, staff = _holding(), Enterprise.objects.filter(union__isnull=False)
        if breakdown == "industry":
            member_group.append("enterprise__industry")
            staff_group.append("industry")
        elif breakdown == "size":
            members = members.annotate(band=_size_band("enterprise__employee_count"))
            staff = staff.annotate(band=_size_band("employee_count"))
            member_group.append("band")
            staff_group.append("band")
        for row in members.values(*member_group).annotate(n=Count("id")).order_by():
            yield Contribution(row["org__path"], row["n"], 0, key=_key(row, breakdown, "enterprise__industry"))
        for row in staff.values(*staff_group).annotate(d=Sum("employee_count")).order_by():
            yield Contribution(row["union__path"], 0, row["d"] or 0, key=_key(row, breakdown, "industry"))

    return provider


MEMBERSHIP_HELP = _("Members ÷ staff of unionised enterprises.")
metric(
    "members.membership_rate",
    label=_("Membership rate"),
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
    kind=Kind.PERCENT,
    section=SECTION,
    unit="%",
    breakdown=_("Enterprise size"),
    order=32,
    description=MEMBERSHIP_HELP,
    key_labels=SIZE_LABELS,
)(_membership("size"))

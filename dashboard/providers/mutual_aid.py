"""Mutual-aid figures (DOMAIN.md "Medical mutual aid"): enrolment, coverage, unit enrolment, claims and
their turnaround, amounts paid, causes.

Period: the scheme of the year computed (``Scheme.year``); payments by the day they were paid. Attribution:
members, covers and claims by the member's grassroots union (``member__org``); unit enrolment by the union
enrolled. One or two grouped queries per metric, whatever the number of units."""

import datetime as dt
from decimal import Decimal

from django.db.models import Count, DurationField, Exists, ExpressionWrapper, OuterRef, Sum
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import Member
from mutual_aid.models import Claim, Cover, Enrolment
from mutual_aid.rules import DEFAULT_RULES
from union_portal.models import OrgUnit
from union_portal.payments.models import Payment

from ..registry import Contribution, FigureContext, Kind, metric

SECTION = _("Mutual aid")
CLAIM_STATE_LABELS = dict(Claim.Status.choices)
# Disease codes of the default benefit rules, with their names (a code added by a later rule version shows
# as its code).
DISEASE_LABELS = {
    code: entry["name"]
    for kind in ("major_disease", "female_disease")
    for code, entry in DEFAULT_RULES[kind]["diseases"].items()
}


def _holding():
    return Member.objects.filter(status__in=Member.HOLDING_STATUSES)


def _covers(ctx: FigureContext):
    return Cover.objects.filter(scheme__year=ctx.year)


def _claims(ctx: FigureContext):
    return Claim.objects.filter(scheme__year=ctx.year)


@metric(
    "mutual_aid.members_enrolled",
    label=_("Members enrolled"),
    kind=Kind.COUNT,
    section=SECTION,
    unit=_("people"),
    headline=True,
    order=40,
    description=_("Members enrolled by their union in at least one benefit of the year's scheme."),
)
def members_enrolled(ctx: FigureContext):
    rows = _covers(ctx).values("member__org__path").annotate(n=Count("member", distinct=True)).order_by()
    for row in rows:
        yield Contribution(row["member__org__path"], row["n"])


@metric(
    "mutual_aid.coverage_rate",
    label=_("Coverage rate"),
    kind=Kind.PERCENT,
    section=SECTION,
    unit="%",
    headline=True,
    order=41,
    description=_(
        "Members (active or retired) with cover in force (premium confirmed) in the year's scheme ÷ "
        "members (active or retired)."
    ),
)
def coverage_rate(ctx: FigureContext):
    covered = _covers(ctx).filter(starts_on__isnull=False, member__status__in=Member.HOLDING_STATUSES)
    for row in covered.values("member__org__path").annotate(n=Count("member", distinct=True)).order_by():
        yield Contribution(row["member__org__path"], row["n"], 0)
    for row in _holding().values("org__path").annotate(d=Count("id")).order_by():
        yield Contribution(row["org__path"], 0, row["d"])


@metric(
    "mutual_aid.unit_enrolment_rate",
    label=_("Unit enrolment rate"),
    kind=Kind.PERCENT,
    section=SECTION,
    unit="%",
    headline=True,
    order=42,
    description=_("Grassroots unions that enrolled in the year's scheme ÷ grassroots unions with members."),
)
def unit_enrolment_rate(ctx: FigureContext):
    units = (
        OrgUnit.objects.filter(kind=OrgUnit.Kind.GRASSROOTS)
        .annotate(
            has_members=Exists(_holding().filter(org=OuterRef("pk"))),
            enrolled=Exists(Enrolment.objects.filter(org=OuterRef("pk"), scheme__year=ctx.year)),
        )
        .filter(has_members=True)
        .values_list("path", "enrolled")
    )
    for path, enrolled in units:
        yield Contribution(path, 1 if enrolled else 0, 1)


@metric(
    "mutual_aid.claims",
    label=_("Claims filed"),
    kind=Kind.COUNT,
    section=SECTION,
    unit=pgettext_lazy("unit", "claims"),
    headline=True,
    order=43,
    description=_("Claims filed under the year's scheme, whatever their state."),
)
def claims_total(ctx: FigureContext):
    for row in _claims(ctx).values("member__org__path").annotate(n=Count("id")).order_by():
        yield Contribution(row["member__org__path"], row["n"])


@metric(
    "mutual_aid.claims_by_state",
    label=_("Claims by state"),
    kind=Kind.COUNT,
    section=SECTION,
    unit=pgettext_lazy("unit", "claims"),
    breakdown=_("Claim state"),
    key_labels=CLAIM_STATE_LABELS,
    order=44,
    description=_("Claims filed under the year's scheme, by their state now."),
)
def claims_by_state(ctx: FigureContext):
    for row in _claims(ctx).values("member__org__path", "status").annotate(n=Count("id")).order_by():
        yield Contribution(row["member__org__path"], row["n"], key=row["status"])


def _days(delta) -> int:
    """Whole days of a summed date difference (a timedelta; some backends give microseconds)."""
    if delta is None:
        return 0
    if isinstance(delta, dt.timedelta):
        return delta.days
    return int(delta) // 86_400_000_000


@metric(
    "mutual_aid.days_to_payment",
    label=_("Mean days from filing to payment"),
    kind=Kind.AVERAGE,
    section=SECTION,
    unit=_("days"),
    headline=True,
    lower_is_better=True,
    order=45,
    description=_(
        "Claims paid during the year: mean of the calendar days from the day the claim was filed to the day "
        "it was paid."
    ),
)
def days_to_payment(ctx: FigureContext):
    paid = Claim.objects.filter(status=Claim.Status.PAID, paid_at__year=ctx.year).annotate(
        days=ExpressionWrapper(TruncDate("paid_at") - TruncDate("submitted_at"), output_field=DurationField())
    )
    rows = paid.values("member__org__path").annotate(total=Sum("days"), n=Count("id")).order_by()
    for row in rows:
        yield Contribution(row["member__org__path"], _days(row["total"]), row["n"])


@metric(
    "mutual_aid.amount_paid",
    label=_("Amount paid"),
    kind=Kind.MONEY,
    section=SECTION,
    unit=_("yuan"),
    headline=True,
    order=46,
    description=_("Aid paid to members during the year (payments the bank confirmed)."),
)
def amount_paid(ctx: FigureContext):
    paid = Payment.objects.filter(status=Payment.Status.PAID, decided_at__year=ctx.year)
    for row in paid.values("claim__member__org__path").annotate(total=Sum("amount")).order_by():
        yield Contribution(row["claim__member__org__path"], row["total"] or Decimal(0))


@metric(
    "mutual_aid.claims_by_cause",
    label=_("Claims by disease"),
    kind=Kind.COUNT,
    section=SECTION,
    unit=pgettext_lazy("unit", "claims"),
    breakdown=_("Disease"),
    key_labels=DISEASE_LABELS,
    order=47,
    description=_(
        "Lump-sum claims (major diseases, women's special diseases) filed under the year's scheme, by the "
        "disease claimed; the most frequent first. Inpatient claims carry no cause."
    ),
)
def claims_by_cause(ctx: FigureContext):
    rows = _claims(ctx).exclude(disease_code="").values("member__org__path", "disease_code")
    for row in rows.annotate(n=Count("id")).order_by():
        yield Contribution(row["member__org__path"], row["n"], key=row["disease_code"])

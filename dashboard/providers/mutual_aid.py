"""Mutual-aid figures (DOMAIN.md "Medical mutual aid"): enrolment, coverage, unit enrolment, claims and
their turnaround, amounts paid, causes.

Period: the scheme of the year computed (``Scheme.year``); payments by the day they were paid. Attribution:
members, covers and claims by the member's grassroots union (``member__org``); unit enrolment by the union
enrolled. One or two grouped queries per metric (``mutual_aid.selectors``), whatever the number of units."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members import selectors as members
from mutual_aid import selectors as mutual_aid

from ..registry import UNIT_PARTS, Contribution, FigureContext, Kind, metric

SECTION = _("Mutual aid")
CLAIM_STATE_LABELS = mutual_aid.CLAIM_STATE_LABELS
# Disease codes of the default benefit rules, with their names (a code added by a later rule version shows
# as its code).
DISEASE_LABELS = mutual_aid.DISEASE_LABELS


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
    for row in mutual_aid.enrolled_member_counts_by_org(year=ctx.year):
        yield Contribution(row["path"], row["n"])


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
    for row in mutual_aid.enrolled_member_counts_by_org(year=ctx.year, in_force=True):
        yield Contribution(row["path"], row["n"], 0)
    for row in members.member_counts_by_org():
        yield Contribution(row["path"], 0, row["n"])


@metric(
    "mutual_aid.unit_enrolment_rate",
    label=_("Unit enrolment rate"),
    parts=UNIT_PARTS,
    kind=Kind.PERCENT,
    section=SECTION,
    unit="%",
    headline=True,
    order=42,
    description=_("Grassroots unions that enrolled in the year's scheme ÷ grassroots unions with members."),
)
def unit_enrolment_rate(ctx: FigureContext):
    for path, enrolled in mutual_aid.unit_enrolment_by_union(year=ctx.year):
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
    for row in mutual_aid.claim_counts_by_org(year=ctx.year):
        yield Contribution(row["path"], row["n"])


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
    for row in mutual_aid.claim_counts_by_org(year=ctx.year, by="status"):
        yield Contribution(row["path"], row["n"], key=row["key"])


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
    for row in mutual_aid.days_to_payment_by_org(year=ctx.year):
        yield Contribution(row["path"], row["days"], row["n"])


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
    for row in mutual_aid.paid_amounts_by_org(year=ctx.year):
        yield Contribution(row["path"], row["total"] or Decimal(0))


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
    for row in mutual_aid.claim_counts_by_org(year=ctx.year, by="disease"):
        yield Contribution(row["path"], row["n"], key=row["key"])

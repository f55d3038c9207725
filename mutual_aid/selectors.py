"""Every read of mutual aid that a view, API or service needs."""

import datetime as dt
from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from members.models import Member
from members.selectors import holding_members
from union_portal import tree
from union_portal.models import OrgUnit
from union_portal.money import ZERO
from union_portal.payments import selectors as payments_selectors
from union_portal.payments.models import Payment, PaymentBatch
from union_portal.roles import Role
from union_portal.scoping import get_in_scope_or_404, scope

from .models import (
    Benefit,
    Claim,
    ClaimEvent,
    Cover,
    DecisionLetter,
    Enrolment,
    EnrolmentAddition,
    Ledger,
    RuleVersion,
    Scheme,
)
from .rules import DEFAULT_RULES, Computation, compute_inpatient, compute_lump_sum, disease_name, resolve_disease


def today() -> dt.date:
    return timezone.localdate()


def scheme_for_date(on: dt.date) -> Scheme | None:
    return Scheme.objects.filter(starts_on__lte=on, ends_on__gte=on).first()


def scheme_current() -> Scheme | None:
    return scheme_for_date(today()) or Scheme.objects.order_by("-year").first()


def rule_version_in_force(*, benefit: Benefit, on: dt.date) -> RuleVersion | None:
    """The version in force on ``on``: the latest effective on or before it (the first one when ``on`` lies
    before every version, so a period's early days use its first rules)."""
    version = benefit.versions.filter(effective_from__lte=on).order_by("-effective_from").first()
    return version or benefit.versions.order_by("effective_from").first()


def _in_force(versions: list[RuleVersion], *, on: dt.date) -> RuleVersion | None:
    """``rule_version_in_force`` over a benefit's versions already read, oldest first."""
    current = [v for v in versions if v.effective_from <= on]
    return current[-1] if current else (versions[0] if versions else None)


def benefit_of(*, scheme: Scheme, kind: str) -> Benefit | None:
    return scheme.benefits.filter(kind=kind).first()


def ledger_of(*, scheme: Scheme, member: Member) -> Ledger | None:
    return Ledger.objects.filter(scheme=scheme, member=member).first()


def estimate(
    *,
    kind: str,
    base: Decimal | None = None,
    prior_base: Decimal = ZERO,
    prior_paid: Decimal = ZERO,
    disease: str = "",
    used: list[str] | None = None,
    on: dt.date | None = None,
) -> Computation | None:
    """The benefit for the given figures under the current scheme's rules in force on ``on`` (today).
    None when there is no scheme or benefit of that kind."""
    on = on or today()
    scheme = scheme_for_date(on) or scheme_current()
    benefit = benefit_of(scheme=scheme, kind=kind) if scheme else None
    version = rule_version_in_force(benefit=benefit, on=on) if benefit else None
    if version is None:
        return None
    if kind == Benefit.Kind.INPATIENT:
        assert base is not None, "an inpatient estimate needs the base"  # the form and the API require it
        return compute_inpatient(version.rules, base=base, prior_base=prior_base, prior_paid=prior_paid)
    code = resolve_disease(version.rules, disease) or disease  # a name is as good as the code
    return compute_lump_sum(kind, version.rules, disease=code, used=used or [])


def lump_sum_diseases(*, on: dt.date | None = None, previous: bool = False) -> list[tuple[str, str, list]]:
    """The diseases of the lump-sum benefits under the rules in force on ``on`` (today), by benefit:
    ``[(kind, benefit name, [(code, name in the reader's language), ...]), ...]``. ``previous``: also those of the
    period before (a claim may be for a stay in it), merged into the same benefit."""
    on = on or today()
    scheme = scheme_for_date(on) or scheme_current()
    schemes = [scheme] if scheme else []
    if scheme and previous:
        schemes += list(Scheme.objects.filter(year=scheme.year - 1))
    groups: dict[str, tuple[str, dict[str, str]]] = {}
    # every scheme's lump-sum benefits and their versions in two queries (not two per benefit)
    benefits = (
        Benefit.objects.filter(scheme__in=schemes)
        .exclude(kind=Benefit.Kind.INPATIENT)
        .prefetch_related(Prefetch("versions", queryset=RuleVersion.objects.order_by("effective_from", "id")))
        .order_by("id")
    )
    by_scheme: dict[int, list[Benefit]] = {}
    for benefit in benefits:
        by_scheme.setdefault(benefit.scheme_id, []).append(benefit)
    for s in schemes:
        for benefit in by_scheme.get(s.pk, []):
            version = _in_force(list(benefit.versions.all()), on=min(on, s.ends_on))
            if version is None:
                continue
            name, items = groups.setdefault(benefit.kind, (benefit.name, {}))
            for code in version.rules.get("diseases", {}):
                items.setdefault(code, disease_name(version.rules, code))
    return [(kind, name, list(items.items())) for kind, (name, items) in groups.items()]


def covers_of_member(*, member: Member) -> QuerySet[Cover]:
    return (
        Cover.objects.filter(member=member)
        .select_related("scheme", "benefit", "enrolment")
        .order_by("-scheme__year", "benefit_id")
    )


# --- Claims ---------------------------------------------------------------------------------------------
def claim_list(*, user, status: str = "", benefit: str = "", org: OrgUnit | None = None) -> QuerySet[Claim]:
    qs = scope(Claim.objects.all(), user).select_related("member", "member__org", "benefit", "scheme")
    if status:
        qs = qs.filter(status=status)
    if benefit:
        qs = qs.filter(benefit__kind=benefit)
    if org is not None:
        qs = qs.filter(tree.subtree_q(org, field="member__org"))
    return qs.order_by("-submitted_at", "-id")


def claim_list_own(*, user) -> QuerySet[Claim]:
    return Claim.objects.filter(member__user=user).select_related("benefit", "scheme", "member").order_by("-id")


def claim_queue(*, user, stage: str = "", benefit: str = "", findings: str = "", org_path: str = "") -> QuerySet:
    """The reviewers' queue: claims awaiting a reviewer in the user's area, oldest first. One query for any
    number of claims (the queue index is (status, submitted_at, id))."""
    stages = [stage] if stage in Claim.REVIEW_STATES else list(Claim.REVIEW_STATES)
    qs = scope(Claim.objects.filter(status__in=stages), user, roles=[Role.REVIEWER, Role.DISTRICT_ADMIN])
    if benefit:
        qs = qs.filter(benefit__kind=benefit)
    if findings == "failed":
        qs = qs.filter(auto_passed=False)
    elif findings == "passed":
        qs = qs.filter(auto_passed=True)
    if org_path:
        qs = qs.filter(tree.subtree_q(org_path, field="member__org"))
    return qs.select_related("member", "member__org", "benefit", "first_reviewer", "appeal_reviewer").order_by(
        "submitted_at", "id"
    )


def decision_letter_of(*, claim: Claim) -> DecisionLetter | None:
    """The letter of ``claim``'s latest decision (an appeal's decision comes after the one appealed), or None."""
    return claim.decision_letters.order_by("-pk").first()


def claim_history(*, claim: Claim) -> QuerySet[ClaimEvent]:
    return claim.events.select_related("by").order_by("at", "id")


def claims_with_invoice(*, numbers: list[str], exclude_pk: int | None = None) -> QuerySet[Claim]:
    """Claims (not rejected) holding any of these invoice numbers."""
    qs = Claim.objects.filter(invoices__number__in=numbers).exclude(status=Claim.Status.REJECTED)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.distinct()


# --- Enrolment ------------------------------------------------------------------------------------------
def eligible_members(*, org: OrgUnit, benefit: Benefit) -> QuerySet[Member]:
    """Active members of a grassroots union who may be enrolled in ``benefit`` (women only for the women's
    package). Should move to members as ``member_list_active(org=, sex=)``."""
    qs = Member.objects.filter(org=org, status=Member.Status.ACTIVE)
    if benefit.female_only:
        qs = qs.filter(sex=Member.Sex.FEMALE)
    return qs.order_by("member_number")


def enrolment_list(*, user, scheme: Scheme | None = None) -> QuerySet[Enrolment]:
    qs = scope(Enrolment.objects.all(), user).select_related("org", "benefit", "scheme", "confirmed_by")
    if scheme is not None:
        qs = qs.filter(scheme=scheme)
    return qs.order_by("-created_at", "-id")


def enrolment_get(*, user, pk: int) -> Enrolment:
    return get_in_scope_or_404(Enrolment.objects.select_related("org", "benefit", "scheme"), user, pk=pk)


def enrolment_covers(*, enrolment: Enrolment) -> QuerySet[Cover]:
    """The members of an enrolment (the unit's and those added later), by member number."""
    return enrolment.covers.select_related("member", "addition").order_by("member__member_number", "pk")


def enrolment_additions(*, enrolment: Enrolment) -> QuerySet[EnrolmentAddition]:
    return enrolment.additions.select_related("added_by", "confirmed_by").order_by("pk")


def enrolment_of_unit(*, org: OrgUnit, benefit: Benefit) -> Enrolment | None:
    """The unit's enrolment in ``benefit`` for its period, if it has one."""
    return Enrolment.objects.filter(scheme_id=benefit.scheme_id, benefit=benefit, org=org).first()


def addition_get(*, user, pk: int) -> EnrolmentAddition:
    return get_in_scope_or_404(
        EnrolmentAddition.objects.select_related("enrolment", "enrolment__org", "enrolment__benefit"), user, pk=pk
    )


def grassroots_units_for(*, user) -> QuerySet[OrgUnit]:
    return scope(OrgUnit.objects.filter(kind=OrgUnit.Kind.GRASSROOTS), user, roles=[Role.HANDLER, Role.DISTRICT_ADMIN])


# --- Payments -------------------------------------------------------------------------------------------
# Claims are paid through the core's payment batches; the batches of this app carry its label.
BATCH_APP = Claim._meta.app_label


def batch_list(*, user) -> QuerySet[PaymentBatch]:
    return scope(
        payments_selectors.batches_of(app_label=BATCH_APP), user, roles=[Role.FINANCE, Role.DISTRICT_ADMIN]
    ).select_related("created_by")


def batch_get(*, user, pk: int) -> PaymentBatch:
    return get_in_scope_or_404(
        payments_selectors.batches_of(app_label=BATCH_APP), user, roles=[Role.FINANCE, Role.DISTRICT_ADMIN], pk=pk
    )


def batch_payments(*, batch: PaymentBatch) -> QuerySet[Payment]:
    """In the order of the bank's transfer file; each payment's ``payer_id`` is its claim's id."""
    return payments_selectors.batch_payments(batch=batch)


def batch_summary(*, payments) -> dict:
    """The batch's count and control total, and the count and sum by status (for the page)."""
    from union_portal.payments.bankfile import control_total

    by_status = {}
    for status, label in Payment.Status.choices:
        rows = [p for p in payments if p.status == status]
        by_status[status] = {"label": label, "count": len(rows), "total": control_total(rows)}
    return {"count": len(payments), "total": control_total(payments), "by_status": by_status}


def payment_get(*, user, pk: int) -> Payment:
    return get_in_scope_or_404(
        Payment.objects.filter(batch__app_label=BATCH_APP).select_related("batch"), user, roles=[Role.FINANCE], pk=pk
    )


def payable_claims(*, user) -> QuerySet[Claim]:
    qs = Claim.objects.filter(status=Claim.Status.APPROVED, approved_amount__gt=0)
    return scope(qs, user, roles=[Role.FINANCE]).select_related("member", "benefit")


# --- Statistics -----------------------------------------------------------------------------------------
def claim_statistics(*, user) -> dict:
    """Claims by state, days from filing to payment, amounts by township, for the user's area."""
    qs = scope(Claim.objects.all(), user, include_owner=False)
    by_state = {row["status"]: row["n"] for row in qs.values("status").annotate(n=Count("id"))}
    states = [(value, label, by_state.get(value, 0)) for value, label in Claim.Status.choices]
    paid = qs.filter(status=Claim.Status.PAID, paid_at__isnull=False)
    duration = paid.aggregate(avg=Avg(F("paid_at") - F("submitted_at")))["avg"]
    avg_days = round(duration.total_seconds() / 86400, 1) if duration is not None else None
    sums: dict[str, list] = {}
    rows = (
        qs.filter(approved_amount__isnull=False)
        .values("member__org__path")
        .annotate(
            total=Sum("approved_amount"), n=Count("id"), paid=Sum("approved_amount", filter=Q(status=Claim.Status.PAID))
        )
    )
    for row in rows:
        key = tree.ancestor_path_at(row["member__org__path"], 3)  # city / district / township
        entry = sums.setdefault(key, [Decimal("0"), 0, Decimal("0")])
        entry[0] += row["total"] or 0
        entry[1] += row["n"]
        entry[2] += row["paid"] or 0
    names = dict(OrgUnit.objects.filter(path__in=list(sums)).values_list("path", "name"))
    townships = sorted(
        ({"name": names.get(p, p), "approved": v[0], "claims": v[1], "paid": v[2]} for p, v in sums.items()),
        key=lambda r: -r["approved"],
    )
    return {"states": states, "avg_days_to_payment": avg_days, "paid_count": paid.count(), "townships": townships}


# --- Figures by union (read by the dashboard) ------------------------------------------------------------
# One grouped query each, for the scheme of ``year`` (payments: those decided in ``year``). Rows carry
# ``path``: the unit a row is attributed to, the member's grassroots union (for unit enrolment, the union
# enrolled); the dashboard rolls them up the tree.

CLAIM_STATE_LABELS = dict(Claim.Status.choices)
# Disease codes of the default benefit rules, with their names (a code added by a later rule version has none).
DISEASE_LABELS = {
    code: entry["name"]
    for kind in ("major_disease", "female_disease")
    for code, entry in DEFAULT_RULES[kind]["diseases"].items()
}


def enrolled_member_counts_by_org(*, year: int, in_force: bool = False, today: dt.date | None = None) -> QuerySet:
    """Members with a cover in the year's scheme: rows ``path``, ``n`` (distinct members). ``in_force``: only
    covers in force (premium confirmed, not ended by taking the member off the enrolment, 减员) of members
    holding membership."""
    covers = Cover.objects.filter(scheme__year=year)
    if in_force:
        covers = covers.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today or timezone.localdate()),
            starts_on__isnull=False,
            member__status__in=Member.HOLDING_STATUSES,
        )
    return covers.values(path=F("member__org__path")).annotate(n=Count("member", distinct=True)).order_by()


def unit_enrolment_by_union(*, year: int) -> QuerySet:
    """Grassroots unions with members (active or retired): (path, enrolled in the year's scheme) pairs."""
    return (
        OrgUnit.objects.filter(kind=OrgUnit.Kind.GRASSROOTS)
        .annotate(
            has_members=Exists(holding_members().filter(org=OuterRef("pk"))),
            enrolled=Exists(Enrolment.objects.filter(org=OuterRef("pk"), scheme__year=year)),
        )
        .filter(has_members=True)
        .values_list("path", "enrolled")
    )


def claim_counts_by_org(*, year: int, by: str | None = None) -> QuerySet:
    """Claims filed under the year's scheme: rows ``path``, [``key``], ``n``. ``by="status"``: keyed by
    their state now; ``by="disease"``: lump-sum claims only, keyed by the disease claimed."""
    # The year's scheme by its key, known when the query is planned: the planner reads that year's claims
    # only (claim_year_status_idx) instead of joining every year's claims to the scheme table.
    scheme_id = Scheme.objects.filter(year=year).values_list("pk", flat=True).first()
    claims = Claim.objects.filter(scheme_id=scheme_id) if scheme_id is not None else Claim.objects.none()
    group = []
    if by == "status":
        claims, group = claims.annotate(key=F("status")), ["key"]
    elif by == "disease":
        claims, group = claims.exclude(disease_code="").annotate(key=F("disease_code")), ["key"]
    # count(*), not count(id): the year's claims are then read from claim_year_status_idx alone (index-only).
    return claims.values(*group, path=F("member__org__path")).annotate(n=Count("*")).order_by()


def _whole_days(delta) -> int:
    """Whole days of a summed date difference (a timedelta; some backends give microseconds)."""
    if delta is None:
        return 0
    if isinstance(delta, dt.timedelta):
        return delta.days
    return int(delta) // 86_400_000_000


def days_to_payment_by_org(*, year: int) -> list[dict]:
    """Claims paid in ``year``: rows ``path``, ``days`` (the sum of the calendar days from filing to
    payment), ``n``."""
    paid = Claim.objects.filter(status=Claim.Status.PAID, paid_at__year=year).annotate(
        days=ExpressionWrapper(TruncDate("paid_at") - TruncDate("submitted_at"), output_field=DurationField())
    )
    rows = paid.values(path=F("member__org__path")).annotate(total=Sum("days"), n=Count("id")).order_by()
    return [{"path": row["path"], "days": _whole_days(row["total"]), "n": row["n"]} for row in rows]


def paid_amounts_by_org(*, year: int) -> QuerySet:
    """Mutual aid's payments the bank confirmed in ``year`` (those of this app's batches, never another
    app's): rows ``path`` (the claimant's union), ``total``."""
    paid = Payment.objects.filter(batch__app_label=BATCH_APP, status=Payment.Status.PAID, decided_at__year=year)
    return paid.values(path=F("claim__member__org__path")).annotate(total=Sum("amount")).order_by()


def paid_total_of_members(*, member_ids: list[int], since: dt.date, until: dt.date) -> dict[int, Decimal]:
    """What mutual aid paid each of the members (claims paid by the bank between ``since`` and ``until``,
    both included): {member id: total}. Read by the assistance app's 医疗救助 (the costs the union's mutual aid
    already covered). One grouped query."""
    rows = (
        Claim.objects.filter(
            member_id__in=member_ids,
            status=Claim.Status.PAID,
            paid_at__date__gte=since,
            paid_at__date__lte=until,
        )
        .values("member_id")
        .annotate(total=Sum("approved_amount"))
        .order_by()
    )
    return {row["member_id"]: row["total"] or Decimal("0.00") for row in rows}

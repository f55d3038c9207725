"""The automatic review: the checks of a claim and the proposed amount, one claim or a batch in one transaction,
and the sweep that queues stale reviews again. Never pays."""

import datetime as dt
import functools
import json
import logging
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy

from members.models import Member
from members.selectors import member_status_events, member_status_on
from union_portal.audit import AuditRow, audit_record_many
from union_portal.money import ZERO

from .. import locks
from ..models import Benefit, Claim, ClaimDocument, ClaimEvent, ClaimInvoice, Cover, Ledger, Scheme, claim_number
from ..rules import Computation, compute_inpatient, compute_lump_sum

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


logger = logging.getLogger(__name__)


# Automatic review check codes and their messages (params filled in at display time).
CHECK_MESSAGES = {
    "MEMBER_NOT_ACTIVE": gettext_lazy("The person was not an active member on the admission date."),
    "NOT_COVERED": gettext_lazy("The member was not covered for this benefit on the admission date."),
    "WAITING_PERIOD": gettext_lazy("Admitted during the waiting period (it ends on %(until)s)."),
    "DEADLINE_MISSED": gettext_lazy("Filed after the claim deadline (%(deadline)s)."),
    "DOCUMENTS_MISSING": gettext_lazy("Required documents are missing: %(documents)s."),
    "INVOICE_REUSED": gettext_lazy("Invoice %(invoice)s was already claimed in claim %(other_number)s."),
    "STAY_OVERLAP": gettext_lazy("The stay overlaps claim %(other_number)s of the same member."),
    "CAP_REACHED": gettext_lazy("Nothing is left to pay: the cap is reached or the lump sum was already used."),
    "FEMALE_ONLY": gettext_lazy("This benefit is for women members only."),
    "NOTHING_PAYABLE": gettext_lazy("The rules give nothing for this amount (it lies in the band paid at rate 0)."),
    "DISEASE_NOT_LISTED": gettext_lazy("The disease is not on the scheme's list."),
}


# A failed check in a few words (the history of the automatic review lists them).
CHECK_TITLES = {
    "MEMBER_NOT_ACTIVE": gettext_lazy("not an active member"),
    "NOT_COVERED": gettext_lazy("not covered"),
    "WAITING_PERIOD": gettext_lazy("in the waiting period"),
    "DEADLINE_MISSED": gettext_lazy("filed late"),
    "DOCUMENTS_MISSING": gettext_lazy("documents missing"),
    "INVOICE_REUSED": gettext_lazy("invoice claimed before"),
    "STAY_OVERLAP": gettext_lazy("overlapping stay"),
    "CAP_REACHED": gettext_lazy("nothing left to pay"),
    "FEMALE_ONLY": gettext_lazy("women members only"),
    "NOTHING_PAYABLE": gettext_lazy("nothing payable"),
    "DISEASE_NOT_LISTED": gettext_lazy("disease not listed"),
}


def check_titles(codes: str) -> str:
    """The failed checks an ``auto_reviewed`` event's note lists (codes, comma-separated), in words."""
    titles = [str(CHECK_TITLES.get(code, code)) for code in codes.split(",") if code]
    return "、".join(titles)


# What a passed check established, shown next to its tick on the claim page.
CHECK_PASSED = {
    "MEMBER_NOT_ACTIVE": gettext_lazy("An active member on the admission date"),
    "NOT_COVERED": gettext_lazy("Covered for this benefit on the admission date"),
    "WAITING_PERIOD": gettext_lazy("Admitted after the waiting period"),
    "DEADLINE_MISSED": gettext_lazy("Filed within the claim deadline"),
    "DOCUMENTS_MISSING": gettext_lazy("All required documents are present"),
    "INVOICE_REUSED": gettext_lazy("No invoice was claimed before"),
    "STAY_OVERLAP": gettext_lazy("The stay overlaps no other claim"),
    "CAP_REACHED": gettext_lazy("Within the cap"),
    "FEMALE_ONLY": gettext_lazy("A woman member"),
    "NOTHING_PAYABLE": gettext_lazy("The rules give an amount to pay"),
    "DISEASE_NOT_LISTED": gettext_lazy("The disease is on the scheme's list"),
}


def check_label(check: dict) -> str:
    """The line shown for one automatic check: what it established, or why it failed."""
    if check.get("ok"):
        return str(CHECK_PASSED.get(check.get("code", ""), check.get("code", "")))
    return check_message(check)


def check_message(check: dict) -> str:
    """A failed check in words, its parameters filled in: document kinds by their labels, another claim by its
    number (findings stored before the number was kept carry only its id: ``other_number`` is then made from the
    id and the ``scheme`` the caller passes in the params, see the data migration that filled them in)."""
    code = check.get("code", "")
    template = CHECK_MESSAGES.get(code)
    if template is None:
        return str(CHECK_TITLES.get(code, code))
    params = dict(check.get("params") or {})
    if params.get("documents"):
        params["documents"] = "、".join(str(ClaimDocument.Kind(d).label) for d in params["documents"])
    if "other" in params and "other_number" not in params:
        params["other_number"] = f"#{params['other']}"
    try:
        return str(template) % params if params else str(template)
    except (KeyError, ValueError, TypeError):
        return str(template)


def _deadline(scheme: Scheme, discharge: dt.date) -> dt.date:
    return dt.date(discharge.year + 1, scheme.deadline_month, scheme.deadline_day)


def compute_for_claim(claim: Claim, ledger: Ledger | None):
    """The rule amount for ``claim`` against ``ledger`` (None: nothing used yet)."""
    assert claim.rule_version is not None  # set when the claim is filed
    rules = claim.rule_version.rules
    if claim.benefit.kind == Benefit.Kind.INPATIENT:
        return compute_inpatient(
            rules,
            base=claim.base,
            prior_base=ledger.cumulative_base if ledger else ZERO,
            prior_paid=ledger.inpatient_paid if ledger else ZERO,
        )
    return compute_lump_sum(
        claim.benefit.kind, rules, disease=claim.disease_code, used=ledger.lump_sums_used if ledger else []
    )


class _ReviewFields(TypedDict):
    """What ``_review_queryset`` reads beside each claim."""

    rv_cover_starts: dt.date | None
    rv_cover_waiting: dt.date | None
    rv_cover_ends: dt.date | None
    rv_ledger_base: Decimal | None
    rv_ledger_paid: Decimal  # read only when rv_ledger_base (same row) is not None
    rv_ledger_used: list[str] | None
    rv_overlap: int | None
    rv_dup_number: str | None
    rv_dup_claim: int | None
    rv_dup_scheme: int | None
    rv_status_event: str | None
    rv_status_later: str | None


def _review_queryset() -> "QuerySet[WithAnnotations[Claim, _ReviewFields]]":
    """Claims with what the automatic review needs beside them, read in the same SELECT: the member's cover,
    period ledger, the first overlapping stay, the first other claim holding one of its invoices, and the
    membership events that tell the member's status on the admission date (see ``_status_on_admission``)."""
    cover = Cover.objects.filter(
        member_id=OuterRef("member_id"), benefit_id=OuterRef("benefit_id"), starts_on__isnull=False
    ).order_by("pk")
    ledger = Ledger.objects.filter(member_id=OuterRef("member_id"), scheme_id=OuterRef("scheme_id"))
    overlap = (
        Claim.objects.filter(
            member_id=OuterRef("member_id"),
            benefit_id=OuterRef("benefit_id"),
            admission_date__lte=OuterRef("discharge_date"),
            discharge_date__gte=OuterRef("admission_date"),
        )
        .exclude(pk=OuterRef("pk"))
        .exclude(status=Claim.Status.REJECTED)
        .order_by("pk")
        .values("pk")[:1]
    )
    duplicate = (
        ClaimInvoice.objects.filter(
            number__in=ClaimInvoice.objects.filter(claim_id=OuterRef(OuterRef("pk"))).values("number")
        )
        .exclude(claim_id=OuterRef("pk"))
        .exclude(claim__status=Claim.Status.REJECTED)
        .order_by("claim_id")
    )
    # The two reads of members.selectors.member_status_on, as subqueries.
    status_event, status_later = member_status_events(member_id=OuterRef("member_id"), on=OuterRef("admission_date"))
    return Claim.objects.annotate(
        rv_cover_starts=Subquery(cover.values("starts_on")[:1]),
        rv_cover_waiting=Subquery(cover.values("waiting_ends_on")[:1]),
        rv_cover_ends=Subquery(cover.values("ends_on")[:1]),
        rv_ledger_base=Subquery(ledger.values("cumulative_base")[:1]),
        rv_ledger_paid=Subquery(ledger.values("inpatient_paid")[:1]),
        rv_ledger_used=Subquery(ledger.values("lump_sums_used")[:1]),
        rv_overlap=Subquery(overlap),
        rv_dup_number=Subquery(duplicate.values("number")[:1]),
        rv_dup_claim=Subquery(duplicate.values("claim_id")[:1]),
        rv_dup_scheme=Subquery(duplicate.values("claim__scheme_id")[:1]),
        rv_status_event=Subquery(status_event[:1]),
        rv_status_later=Subquery(status_later[:1]),
    )


def _status_on_admission(claim: "WithAnnotations[Claim, _ReviewFields]") -> str | None:
    """``members.selectors.member_status_on(member, on=admission_date)`` from the subqueries read with the
    claim (``_review_queryset``): no further query. tests/mutual_aid pins the two to the same answers."""
    read = (lambda: claim.rv_status_event, lambda: claim.rv_status_later)
    return member_status_on(member=claim.member, on=claim.admission_date, read=read)


def run_checks(
    claim: "WithAnnotations[Claim, _ReviewFields]", documents: set[str] | None = None
) -> tuple[list[dict], Computation | None]:
    """The automatic checks of one claim (fetched through ``_review_queryset``) and the proposed
    computation. Reads only; ``documents`` (the kinds present) is read here when not given."""
    checks: list[dict] = []

    def add(code: str, ok: bool, **params) -> None:
        checks.append({"code": code, "ok": ok, "params": {k: str(v) for k, v in params.items()}})

    member, scheme, benefit = claim.member, claim.scheme, claim.benefit
    status = _status_on_admission(claim)
    add("MEMBER_NOT_ACTIVE", status in Member.HOLDING_STATUSES)
    if benefit.female_only:
        add("FEMALE_ONLY", member.sex == Member.Sex.FEMALE)
    starts, waiting = claim.rv_cover_starts, claim.rv_cover_waiting
    # a member taken off the enrolment (减员) is covered up to the day they left
    covered = starts is not None and starts <= claim.admission_date <= (claim.rv_cover_ends or scheme.ends_on)
    add("NOT_COVERED", covered)
    if starts is not None and waiting:
        add("WAITING_PERIOD", claim.admission_date >= waiting, until=waiting)
    deadline = _deadline(scheme, claim.discharge_date)
    add("DEADLINE_MISSED", timezone.localtime(claim.submitted_at).date() <= deadline, deadline=deadline)
    assert claim.rule_version is not None  # set when the claim is filed
    required = claim.rule_version.rules.get("documents", [])
    present = documents if documents is not None else set(claim.documents.values_list("kind", flat=True))
    missing = [d for d in required if d not in present]
    checks.append({"code": "DOCUMENTS_MISSING", "ok": not missing, "params": {"documents": missing} if missing else {}})
    dup = claim.rv_dup_claim
    # The other claim by its id (for links) and its number (what people read).
    if dup:
        other_number = claim_number(claim.rv_dup_scheme or 0, dup)
        add("INVOICE_REUSED", False, invoice=claim.rv_dup_number, other=dup, other_number=other_number)
    else:
        add("INVOICE_REUSED", True)
    if benefit.kind == Benefit.Kind.INPATIENT:
        overlap = claim.rv_overlap
        # The overlapping claim is of the same benefit, so of the same scheme.
        if overlap:
            add("STAY_OVERLAP", False, other=overlap, other_number=claim_number(claim.scheme_id, overlap))
        else:
            add("STAY_OVERLAP", True)
    ledger = None
    if claim.rv_ledger_base is not None:
        ledger = Ledger(
            cumulative_base=claim.rv_ledger_base,
            inpatient_paid=claim.rv_ledger_paid,
            lump_sums_used=claim.rv_ledger_used or [],
        )
    try:
        computation = compute_for_claim(claim, ledger)
    except ValidationError:
        add("DISEASE_NOT_LISTED", False)
        computation = None
    if computation is not None:
        add("CAP_REACHED", not (computation.capped and computation.amount == 0))
        if not computation.capped:
            add("NOTHING_PAYABLE", computation.amount > 0)
    return checks, computation


@functools.cache
def _review_select():
    """The review's SELECT FOR UPDATE, built once per process (building its ten subqueries is most of the
    CPU of a lone review); every use clones it with ``.filter()``, so it is never evaluated itself."""
    return locks.claims_for_review_update(_review_queryset())


# Claims reviewed in one transaction by auto_review_many (and so by one batch task): their rows stay locked
# until it commits, a fraction of a second.
REVIEW_CHUNK = 100


def auto_review_many(items: list[tuple[int, int | None]], *, raise_errors: bool = True) -> list[Claim]:
    """The automatic review of several claim submissions ``[(claim_id, submission or None), ...]`` in ONE
    transaction; returns the claims (locked, in pk order; one reviewed here has ``_reviewed_now`` set).

    Locks: the claim rows FOR UPDATE in pk order (the services' lock order), read in one SELECT with all
    that the checks need, then one query for the documents' kinds. Idempotent per claim exactly as a lone
    review: a claim is reviewed only while SUBMITTED, for the submission asked (None: the current one) and
    not reviewed yet for it; so a redelivered or duplicated task, or a claim in two batches, changes nothing
    the second time. Writes, in bulk: the claims' findings and FIRST_REVIEW, one ``auto_reviewed``
    ClaimEvent and one audit row per claim (as ``_event`` does). Never pays; takes no ledger lock (no
    money is decided: the amount is a proposal, granted only under the ledger lock at approval).

    ``raise_errors=False`` (batch task): a claim whose checks raise is logged and left SUBMITTED (the
    stale-review sweep tries it again) instead of failing the others."""
    wanted: dict[int, int | None] = {}
    for claim_id, submission in items:
        wanted[int(claim_id)] = submission
    if not wanted:
        return []
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # No fsync wait for this transaction: the review is recomputable, and a result lost in a crash
            # leaves the claim SUBMITTED, which requeue_stale_reviews (Celery beat) sends for review again.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        claims = list(_review_select().filter(pk__in=list(wanted)))
        due = [
            c
            for c in claims
            if c.status == Claim.Status.SUBMITTED
            and wanted[c.pk] in (None, c.submission)
            and c.auto_reviewed_submission < c.submission
        ]
        if not due:
            return claims
        present: dict[int, set[str]] = {c.pk: set() for c in due}
        for claim_id, kind in ClaimDocument.objects.filter(claim_id__in=list(present)).values_list("claim_id", "kind"):
            present[claim_id].add(kind)
        now = timezone.now()
        reviewed: list[Claim] = []
        for claim in due:
            try:
                checks, computation = run_checks(claim, present[claim.pk])
            except Exception:
                if raise_errors:
                    raise
                logger.exception("automatic review of claim %s failed; left submitted", claim.pk)
                continue
            claim.auto_checks = checks
            claim.auto_passed = all(c["ok"] for c in checks)
            claim.proposed_amount = computation.amount if computation else ZERO
            claim.working = computation.as_working() if computation else {}
            claim.auto_reviewed_submission = claim.submission
            claim.status = Claim.Status.FIRST_REVIEW
            claim.updated_at = now
            claim._reviewed_now = True
            reviewed.append(claim)
        if not reviewed:
            return claims
        _save_reviews(reviewed)
        events = []
        audits: list[AuditRow] = []
        for claim in reviewed:
            note = ",".join(c["code"] for c in claim.auto_checks if not c["ok"])
            events.append(
                ClaimEvent(
                    claim=claim,
                    action="auto_reviewed",
                    from_status=Claim.Status.SUBMITTED,
                    to_status=claim.status,
                    by=None,
                    note=note,
                    amount=claim.proposed_amount,
                )
            )
            audits.append(
                {
                    "actor": None,
                    "action": "mutual_aid.claim_auto_reviewed",
                    "obj": claim,
                    "detail": {
                        "from": Claim.Status.SUBMITTED,
                        "to": claim.status,
                        "note": note,
                        "amount": str(claim.proposed_amount) if claim.proposed_amount else "",
                    },
                }
            )
        ClaimEvent.objects.bulk_create(events)
        audit_record_many(audits)
    return claims


_REVIEW_FIELDS = [
    "auto_checks",
    "auto_passed",
    "proposed_amount",
    "working",
    "auto_reviewed_submission",
    "status",
    "updated_at",
]


def _save_reviews(claims: list[Claim]) -> None:
    """Write the review fields of ``claims`` in one UPDATE. On PostgreSQL, ``UPDATE ... FROM
    jsonb_to_recordset(%s)``: the rows go as ONE JSON parameter (one ``json.dumps``) and the statement's text is
    the same for any batch size, instead of ``bulk_update``'s CASE WHEN per row and column, whose building
    costs more CPU than the review itself."""
    if len(claims) == 1:
        claims[0].save(update_fields=_REVIEW_FIELDS)
        return
    if connection.vendor != "postgresql":
        Claim.objects.bulk_update(claims, _REVIEW_FIELDS)
        return
    rows = [
        {
            "id": c.pk,
            "auto_checks": c.auto_checks,
            "auto_passed": c.auto_passed,
            "proposed_amount": None if c.proposed_amount is None else str(c.proposed_amount),
            "working": c.working,
            "auto_reviewed_submission": c.auto_reviewed_submission,
            "status": c.status,
        }
        for c in claims
    ]
    # the columns of _REVIEW_FIELDS but updated_at (one value for all), with their types (tests pin the same
    # result as bulk_update's)
    sql = """
        UPDATE mutual_aid_claim AS c
        SET auto_checks = v.auto_checks, auto_passed = v.auto_passed, proposed_amount = v.proposed_amount,
            working = v.working, auto_reviewed_submission = v.auto_reviewed_submission, status = v.status,
            updated_at = %s
        FROM jsonb_to_recordset(%s::jsonb) AS v(
            id bigint, auto_checks jsonb, auto_passed boolean, proposed_amount numeric, working jsonb,
            auto_reviewed_submission smallint, status text
        )
        WHERE c.id = v.id"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [claims[0].updated_at, json.dumps(rows)])


def auto_review(claim_id: int, submission: int | None = None) -> Claim | None:
    """Run the automatic review of one submission of a claim. Idempotent: locks the claim row and does
    nothing when that submission was reviewed already (a redelivered or duplicated task). Never pays:
    it moves the claim to the first review with its findings and a proposed amount. (auto_review_many
    with one claim.)"""
    claims = auto_review_many([(claim_id, submission)])
    return claims[0] if claims else None


def requeue_stale_reviews(*, older_than: dt.timedelta = dt.timedelta(minutes=10)) -> int:
    """Queue the automatic review again for claims still SUBMITTED after ``older_than`` (a task lost with a
    crashed worker or broker), as batch tasks of REVIEW_CHUNK claims. Safe to run any time: the review is
    idempotent. Returns the number of claims queued."""
    from ..tasks import auto_review_batch_task

    stale = sorted(
        Claim.objects.filter(status=Claim.Status.SUBMITTED, updated_at__lt=timezone.now() - older_than).values_list(
            "pk", "submission"
        )[:5000]
    )
    for i in range(0, len(stale), REVIEW_CHUNK):
        auto_review_batch_task.delay([[pk, submission] for pk, submission in stale[i : i + REVIEW_CHUNK]])
    return len(stale)

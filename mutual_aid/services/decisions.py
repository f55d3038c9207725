"""The human review: first and second review, amount adjustment, returning for documents, resubmission, rejection.
Approval decides the money under the ledger lock."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from union_portal.models import User
from union_portal.money import round_fen
from union_portal.uploads import check_upload

from .. import locks, selectors
from ..models import CLAIM_DOCUMENT_KINDS, Benefit, Claim, ClaimDocument, ClaimInvoice, DecisionLetter
from ..permissions import can_act_for, can_review, is_own_claim
from ..rules import lump_sum_key
from ._common import _attach_documents, _clean_amount, _enqueue_review, _event, _notify_event, _require
from .appeals import APPEAL_DAYS
from .letters import _issue_letter
from .review import compute_for_claim


def _check_reviewer(by: User, claim: Claim) -> None:
    if not can_review(by, claim.member.org):
        raise PermissionDenied
    if is_own_claim(by, claim):
        raise ValidationError(_("You cannot review your own claim."))
    if claim.status == Claim.Status.APPEALED and claim.appeal_reviewer_id != by.pk:
        raise ValidationError(_("This appeal is assigned to another reviewer."))
    if claim.status == Claim.Status.SECOND_REVIEW and claim.first_reviewer_id == by.pk:
        raise ValidationError(_("The second review must be done by a different reviewer than the first."))


def _decide_amount(claim: Claim, by: User) -> Decimal:
    """Grant the claim's amount against the locked ledger: the rule amount with the cap left now, cut to
    the reviewer's amount if one was set. Updates the ledger. Caller holds the claim lock."""
    ledger = locks.ledger_for_update(claim)
    if claim.invoices.exists():
        reused = (
            ClaimInvoice.objects.filter(number__in=claim.invoices.values("number"))
            .exclude(claim_id=claim.pk)
            .filter(
                claim__status__in=[
                    Claim.Status.APPROVED,
                    Claim.Status.IN_BATCH,
                    Claim.Status.PAID,
                    Claim.Status.PAYMENT_FAILED,
                ]
            )
            .exists()
        )
        _require(not reused, _("An invoice of this claim was already granted in another claim."))
    computation = compute_for_claim(claim, ledger)
    amount = computation.amount
    if claim.adjusted_amount is not None and claim.adjusted_amount < amount:
        amount = claim.adjusted_amount
    amount = round_fen(amount)
    if claim.benefit.kind == Benefit.Kind.INPATIENT:
        ledger.cumulative_base = round_fen(ledger.cumulative_base + claim.base)
        ledger.inpatient_paid = round_fen(ledger.inpatient_paid + amount)
    else:
        if amount > 0:
            assert claim.rule_version is not None  # set when the claim is filed
            key = lump_sum_key(claim.benefit.kind, claim.rule_version.rules, claim.disease_code)
            ledger.lump_sums_used = [*ledger.lump_sums_used, key]
        ledger.lump_sums_paid = round_fen(ledger.lump_sums_paid + amount)
    ledger.save()
    working = computation.as_working()
    if amount != computation.amount:
        working["adjusted"] = {"amount": str(amount), "reason": claim.adjust_reason}
    claim.approved_amount = amount
    claim.approved_working = working
    return amount


def _finish_approval(claim: Claim, by: User, from_status: str, action: str, now: dt.datetime | None) -> Claim:
    amount = _decide_amount(claim, by)
    claim.status = Claim.Status.APPROVED
    claim.decided_at = now or timezone.now()
    claim.save()
    _issue_letter(claim, outcome=DecisionLetter.Outcome.APPROVED, appealable=False)
    event = _event(claim, action=action, from_status=from_status, by=by, amount=amount, at=now)
    _notify_event(
        claim,
        event,
        _("Claim approved"),
        _("Your mutual-aid claim %(number)s was approved: %(amount)s yuan will be paid to your bank account.")
        % {"number": claim.number, "amount": amount},
    )
    return claim


@transaction.atomic
def claim_approve(*, by: User, claim: Claim, now: dt.datetime | None = None) -> Claim:
    """First review → second review; second review (a different reviewer) → approved; an appeal's
    reviewer → approved. Approval decides the money under the ledger lock and issues the decision letter's number
    (the year's sequence locked last). ``now``: the moment of the decision (default: now)."""
    claim = locks.claim_for_update(claim.pk)
    _require(claim.status in Claim.REVIEW_STATES, _("This claim is not awaiting a review."))
    _check_reviewer(by, claim)
    from_status = claim.status
    if claim.status == Claim.Status.FIRST_REVIEW:
        claim.first_reviewer = by
        claim.status = Claim.Status.SECOND_REVIEW
        claim.save(update_fields=["first_reviewer", "status", "updated_at"])
        _event(claim, action="first_approved", from_status=from_status, by=by, at=now)
        return claim
    if claim.status == Claim.Status.SECOND_REVIEW:
        claim.second_reviewer = by
        return _finish_approval(claim, by, from_status, "approved", now)
    return _finish_approval(claim, by, from_status, "appeal_upheld", now)


@transaction.atomic
def claim_adjust_amount(*, by: User, claim: Claim, amount, reason: str) -> Claim:
    """A reviewer sets the amount below the rule amount, with a reason. Takes effect at approval (the cap
    may cut it further there)."""
    claim = locks.claim_for_update(claim.pk)
    _require(claim.status in Claim.REVIEW_STATES, _("This claim is not awaiting a review."))
    _check_reviewer(by, claim)
    amount = _clean_amount(amount, _("The amount"), "amount")
    _require(bool(reason.strip()), _("Give the reason for the amount."), "reason")
    ledger = selectors.ledger_of(scheme=claim.scheme, member=claim.member)
    rule_amount = compute_for_claim(claim, ledger).amount
    _require(
        amount <= rule_amount,
        _("The amount cannot be more than the rules allow (%(max)s).") % {"max": rule_amount},
        "amount",
    )
    claim.adjusted_amount = amount
    claim.adjust_reason = reason.strip()
    claim.save(update_fields=["adjusted_amount", "adjust_reason", "updated_at"])
    _event(claim, action="amount_changed", from_status=claim.status, by=by, note=reason.strip(), amount=amount)
    return claim


@transaction.atomic
def claim_return(*, by: User, claim: Claim, documents: list[str], note: str = "") -> Claim:
    """Send the claim back to the worker for named missing documents."""
    claim = locks.claim_for_update(claim.pk)
    _require(
        claim.status in (Claim.Status.FIRST_REVIEW, Claim.Status.SECOND_REVIEW),
        _("This claim is not awaiting a review."),
    )
    _check_reviewer(by, claim)
    documents = [d for d in documents if d in CLAIM_DOCUMENT_KINDS]
    _require(bool(documents), _("Name the missing documents."), "documents")
    from_status = claim.status
    claim.status = Claim.Status.RETURNED
    claim.missing_documents = documents
    claim.return_note = note.strip()[:300]
    claim.save(update_fields=["status", "missing_documents", "return_note", "updated_at"])
    names = "、".join(str(ClaimDocument.Kind(d).label) for d in documents)
    # The event keeps the codes (shown as their labels in the reader's language); the notification is sent now.
    event = _event(claim, action="returned", from_status=from_status, by=by, note=",".join(documents))
    _notify_event(
        claim,
        event,
        _("Documents needed for your claim"),
        _("Your claim %(number)s needs these documents: %(documents)s. %(note)s")
        % {"number": claim.number, "documents": names, "note": claim.return_note},
    )
    return claim


@transaction.atomic
def claim_resubmit(*, by: User, claim: Claim, documents: list[tuple[str, object]]) -> Claim:
    """The worker (or handler) adds the missing documents; the claim is reviewed again from the start."""
    claim = locks.claim_for_update(claim.pk)
    if not can_act_for(by, claim.member):
        raise PermissionDenied
    _require(claim.status == Claim.Status.RETURNED, _("This claim is not waiting for documents."))
    checked = []
    for kind, upload in documents:
        _require(kind in CLAIM_DOCUMENT_KINDS, _("Unknown document type."), "documents")
        try:
            checked.append((kind, upload, check_upload(upload)))
        except ValidationError as exc:
            raise ValidationError({"documents": exc.messages}) from None
    given = {k for k, _u, _c in checked}
    missing = [d for d in claim.missing_documents if d not in given]
    _require(
        not missing,
        _("Still missing: %(documents)s.")
        % {"documents": "、".join(str(ClaimDocument.Kind(d).label) for d in missing)},
        "documents",
    )
    _attach_documents(claim, checked, by=by)
    claim.status = Claim.Status.SUBMITTED
    claim.submission += 1
    claim.submitted_at = claim.submitted_at  # age in the queue counts from the first filing
    claim.first_reviewer = None
    claim.second_reviewer = None
    claim.missing_documents = []
    claim.save()
    event = _event(claim, action="resubmitted", from_status=Claim.Status.RETURNED, by=by)
    _notify_event(
        claim,
        event,
        _("Claim received"),
        _("Your mutual-aid claim %(number)s was received and is being reviewed.") % {"number": claim.number},
    )
    _enqueue_review(claim)
    return claim


@transaction.atomic
def claim_reject(*, by: User, claim: Claim, reason: str, now: dt.datetime | None = None) -> Claim:
    """Reject with a reason (the worker may appeal once within 30 days of ``now``, default now, unless this
    decides an appeal). Issues the decision letter's number (the year's sequence locked after the claim)."""
    claim = locks.claim_for_update(claim.pk)
    _require(claim.status in Claim.REVIEW_STATES, _("This claim is not awaiting a review."))
    _check_reviewer(by, claim)
    _require(bool(reason.strip()), _("Give the reason for the rejection."), "reason")
    from_status = claim.status
    claim.status = Claim.Status.REJECTED
    claim.rejected_by = by
    claim.rejection_reason = reason.strip()[:300]
    claim.decided_at = now or timezone.now()
    claim.save()
    _issue_letter(claim, outcome=DecisionLetter.Outcome.REJECTED, appealable=from_status != Claim.Status.APPEALED)
    action = "appeal_rejected" if from_status == Claim.Status.APPEALED else "rejected"
    event = _event(claim, action=action, from_status=from_status, by=by, note=claim.rejection_reason, at=now)
    body = _("Your mutual-aid claim %(number)s was rejected: %(reason)s.") % {
        "number": claim.number,
        "reason": claim.rejection_reason,
    }
    if from_status != Claim.Status.APPEALED:
        body += " " + _("You may appeal once within %(days)s days.") % {"days": APPEAL_DAYS}
    _notify_event(claim, event, _("Claim rejected"), body)
    return claim

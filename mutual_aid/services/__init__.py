"""Every write of mutual aid. Each state change checks the transition, writes a ClaimEvent and an audit row,
and notifies the worker.

Locks, always in this order: claim rows (pk order) → the member's period ledger → the year's decision-letter
number sequence. Money is decided only while the ledger row is held with SELECT FOR UPDATE, so two approvals of
one member's claims serialise and the cap holds.

The writes live in submodules by sub-domain; this package re-exports them, so callers write
``from mutual_aid import services; services.claim_submit(...)``:

- ``schemes``: scheme periods, their benefits and rule versions
- ``enrolment``: units enrolling their members, premium payment, cover
- ``claims``: filing a claim
- ``review``: the automatic review (checks, proposed amount, batch review, stale-review sweep)
- ``decisions``: the human review (approve, adjust, return, resubmit, reject)
- ``appeals``: appealing a rejection
- ``letters``: decision letters (their document numbers, the PDF)
- ``payments``: paying approved claims (batches, bank return files, corrected accounts, bank account reveal)
- ``_common``: the helpers these share (validation, claim events and their notifications, queueing a review)"""

from .appeals import APPEAL_DAYS, appeal_assign, appeal_deadline, appeal_reviewer_choices, can_appeal, claim_appeal
from .claims import (
    CONSENT_CODE_PURPOSE,
    CONSENT_TEXT,
    CONSENT_VERSION,
    claim_consent_send_code,
    claim_submit,
    files_for_self,
)
from .decisions import claim_adjust_amount, claim_approve, claim_reject, claim_resubmit, claim_return
from .enrolment import (
    SHORT_COVER_DAYS,
    addable_members,
    addition_confirm_payment,
    addition_terms,
    enrolment_add_members,
    enrolment_confirm_payment,
    enrolment_create,
    enrolment_remove_members,
    enrolment_template,
    parse_enrolment_excel,
    participation_minimum,
    short_cover_warning,
)
from .letters import DECIDED_STATES, decision_letter_pdf
from .payments import (
    BANK_REFERENCE_HEADER,
    CLAIM_PAYMENT_PURPOSE,
    Reconciliation,
    ReturnPreview,
    batch_apply_return_file,
    batch_bank_file,
    batch_choose_layout,
    batch_create,
    batch_preview_return_file,
    can_confirm_account,
    claim_confirm_account,
    claim_correct_account,
    payment_mark_failed,
    payment_mark_paid,
    reveal_bank_account,
)
from .review import (
    CHECK_MESSAGES,
    CHECK_PASSED,
    REVIEW_CHUNK,
    auto_review,
    auto_review_many,
    check_label,
    check_message,
    check_titles,
    compute_for_claim,
    requeue_stale_reviews,
    run_checks,
)
from .review import _review_queryset as _review_queryset
from .review import _status_on_admission as _status_on_admission
from .schemes import rule_version_create, scheme_create, scheme_update

__all__ = [
    "APPEAL_DAYS",
    "CHECK_MESSAGES",
    "CHECK_PASSED",
    "CLAIM_PAYMENT_PURPOSE",
    "CONSENT_CODE_PURPOSE",
    "CONSENT_TEXT",
    "CONSENT_VERSION",
    "DECIDED_STATES",
    "REVIEW_CHUNK",
    "appeal_assign",
    "appeal_deadline",
    "appeal_reviewer_choices",
    "auto_review",
    "auto_review_many",
    "BANK_REFERENCE_HEADER",
    "Reconciliation",
    "ReturnPreview",
    "batch_apply_return_file",
    "batch_preview_return_file",
    "batch_bank_file",
    "batch_choose_layout",
    "batch_create",
    "can_appeal",
    "can_confirm_account",
    "check_label",
    "check_message",
    "check_titles",
    "claim_adjust_amount",
    "claim_appeal",
    "claim_consent_send_code",
    "claim_approve",
    "claim_confirm_account",
    "claim_correct_account",
    "claim_reject",
    "claim_resubmit",
    "claim_return",
    "claim_submit",
    "compute_for_claim",
    "decision_letter_pdf",
    "SHORT_COVER_DAYS",
    "addable_members",
    "addition_confirm_payment",
    "addition_terms",
    "enrolment_add_members",
    "enrolment_remove_members",
    "short_cover_warning",
    "enrolment_confirm_payment",
    "enrolment_create",
    "enrolment_template",
    "files_for_self",
    "parse_enrolment_excel",
    "participation_minimum",
    "payment_mark_failed",
    "payment_mark_paid",
    "requeue_stale_reviews",
    "reveal_bank_account",
    "rule_version_create",
    "run_checks",
    "scheme_create",
    "scheme_update",
]

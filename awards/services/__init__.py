"""Every write of the awards app. Each state change checks the transition is allowed and writes the audit log.

The writes live in submodules by sub-domain; this package re-exports them, so callers write
``from awards import services; services.nomination_create(...)``:

- ``rounds``: award rounds, their award types, quotas, composition rules, public notice and approval
- ``nominations``: nominations created, submitted, reviewed, withdrawn (with the candidate's competition record)
- ``objections``: objections filed during the public notice, and their answers
- ``holidays``: the holiday table the working-day count of the notice reads
- ``certificates``: the certificates of the honour roll (PDF, ZIP)
- ``_common``: the helper these share (telling the nominator)"""

from .certificates import certificate_pdf, certificates_zip
from .holidays import holiday_delete, holiday_set, holidays_fill_from_package
from .nominations import nomination_create, nomination_review, nomination_submit, nomination_update, nomination_withdraw
from .objections import objection_answer, objection_file, objection_reveal_phone
from .rounds import (
    MIN_NOTICE_WORKING_DAYS,
    award_type_add,
    close_due_notices,
    next_round_year,
    quota_set,
    round_approve,
    round_close_notice,
    round_create,
    round_open,
    round_start_notice,
    round_update_dates,
    rounds_reevaluate_notices,
    rule_update,
)

__all__ = [
    "MIN_NOTICE_WORKING_DAYS",
    "award_type_add",
    "certificate_pdf",
    "certificates_zip",
    "close_due_notices",
    "holiday_delete",
    "holiday_set",
    "holidays_fill_from_package",
    "next_round_year",
    "nomination_create",
    "nomination_review",
    "nomination_submit",
    "nomination_update",
    "nomination_withdraw",
    "objection_answer",
    "objection_file",
    "objection_reveal_phone",
    "quota_set",
    "round_approve",
    "round_close_notice",
    "round_create",
    "round_open",
    "round_start_notice",
    "round_update_dates",
    "rounds_reevaluate_notices",
    "rule_update",
]

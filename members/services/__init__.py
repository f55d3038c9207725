"""Every write of the members app. Services are keyword-only, atomic, and write an audit row.

The writes live in submodules by sub-domain; this package re-exports them, so callers write
``from members import services; services.member_create(...)``:

- ``org_units``: the union tree's nodes (create, rename, move)
- ``enterprises``: enterprises on the roll
- ``founding``: union founding applications (建会) and their decision
- ``roll``: members (create, update, status changes) and revealing personal data
- ``transfers``: transfers between grassroots unions (the old union releases, the new one accepts)
- ``notices``: telling a member what was done with their membership (inbox and SMS); other apps use
  ``member_tell_payee_change`` when a payee account changes
- ``joining``: join applications (入会), with the consent to the personal information notice
- ``invites``: a handler invites a member of the roll to open a login (a one-time link by SMS to the roll's
  mobile), the only way besides a transfer's proof that a login is linked to a member record ([Trust] C1)
- ``roll_export``: the roll as an Excel file, and the export built in the background (``MemberExport``)
- ``imports``: Excel imports of members (upload, check, commit, run; the row rules are in ``members.imports``)
- ``_common``: the checks these share (a person's ID number and mobile, a grassroots union)"""

from .enterprises import ENTERPRISE_FIELDS, enterprise_create, enterprise_update
from .founding import founding_approve, founding_reject, founding_submit
from .imports import (
    MAX_STORED_ERRORS,
    import_progress_key,
    member_import_check,
    member_import_commit,
    member_import_files_purge,
    member_import_refused_rows,
    member_import_run,
    member_import_start,
)
from .invites import (
    INVITE_PURPOSE,
    INVITE_TTL,
    member_invite_accept,
    member_invite_check,
    member_invite_refusal,
    member_invite_send,
)
from .joining import JOIN_CONSENT_TEXT, JOIN_CONSENT_VERSION, join_approve, join_reject, join_submit
from .notices import member_tell, member_tell_payee_change
from .org_units import org_unit_create, org_unit_move, org_unit_update
from .recovery import (
    RECOVERY_PURPOSE,
    mobile_recovery_check,
    mobile_recovery_confirm,
    mobile_recovery_finish,
    mobile_recovery_request,
)
from .roll import (
    EDITABLE_FIELDS,
    EXPORT_MAX_ROWS,
    PERSONAL_FIELDS,
    PERSONAL_MASKS,
    REVEALABLE,
    STATUS_TRANSITIONS,
    holding_membership,
    member_change_status,
    member_create,
    member_export,
    member_reveal,
    member_update,
    personal_masked,
)
from .roll_export import (
    member_export_files_purge,
    member_export_job_run,
    member_export_job_start,
    roll_columns,
    roll_file_name,
    roll_rows,
)
from .transfers import (
    transfer_accept,
    transfer_escalation_unit,
    transfer_reject,
    transfer_release,
    transfer_release_due,
    transfer_request,
    transfers_escalate_unanswered,
    transfers_reevaluate_release_due,
)

__all__ = [
    "EDITABLE_FIELDS",
    "EXPORT_MAX_ROWS",
    "ENTERPRISE_FIELDS",
    "MAX_STORED_ERRORS",
    "PERSONAL_FIELDS",
    "PERSONAL_MASKS",
    "REVEALABLE",
    "STATUS_TRANSITIONS",
    "enterprise_create",
    "enterprise_update",
    "founding_approve",
    "founding_reject",
    "founding_submit",
    "holding_membership",
    "import_progress_key",
    "join_approve",
    "join_reject",
    "join_submit",
    "INVITE_PURPOSE",
    "RECOVERY_PURPOSE",
    "mobile_recovery_check",
    "mobile_recovery_confirm",
    "mobile_recovery_finish",
    "mobile_recovery_request",
    "INVITE_TTL",
    "member_invite_refusal",
    "JOIN_CONSENT_TEXT",
    "JOIN_CONSENT_VERSION",
    "member_invite_accept",
    "member_invite_check",
    "member_invite_send",
    "member_change_status",
    "member_create",
    "member_export_files_purge",
    "member_export_job_run",
    "member_export_job_start",
    "roll_columns",
    "roll_file_name",
    "roll_rows",
    "member_import_check",
    "member_import_commit",
    "member_import_files_purge",
    "member_import_refused_rows",
    "member_import_run",
    "member_import_start",
    "member_export",
    "member_reveal",
    "member_tell",
    "member_tell_payee_change",
    "member_update",
    "personal_masked",
    "org_unit_create",
    "org_unit_move",
    "org_unit_update",
    "transfer_accept",
    "transfer_escalation_unit",
    "transfer_reject",
    "transfer_release",
    "transfer_release_due",
    "transfer_request",
    "transfers_reevaluate_release_due",
    "transfers_escalate_unanswered",
]

"""Every write of the members app. Services are keyword-only, atomic, and write an audit row.

The writes live in submodules by sub-domain; this package re-exports them, so callers write
``from members import services; services.member_create(...)``:

- ``org_units``: the union tree's nodes (create, rename, move)
- ``enterprises``: enterprises on the roll
- ``founding``: union founding applications (建会) and their decision
- ``roll``: members (create, update, status changes) and revealing personal data
- ``transfers``: transfers between grassroots unions
- ``joining``: join applications (入会)
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
    member_import_run,
    member_import_start,
)
from .joining import join_approve, join_reject, join_submit
from .org_units import org_unit_create, org_unit_move, org_unit_update
from .roll import (
    EDITABLE_FIELDS,
    PERSONAL_FIELDS,
    REVEALABLE,
    STATUS_TRANSITIONS,
    holding_membership,
    member_change_status,
    member_create,
    member_reveal,
    member_update,
)
from .transfers import transfer_accept, transfer_reject, transfer_request

__all__ = [
    "EDITABLE_FIELDS",
    "ENTERPRISE_FIELDS",
    "MAX_STORED_ERRORS",
    "PERSONAL_FIELDS",
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
    "member_change_status",
    "member_create",
    "member_import_check",
    "member_import_commit",
    "member_import_files_purge",
    "member_import_run",
    "member_import_start",
    "member_reveal",
    "member_update",
    "org_unit_create",
    "org_unit_move",
    "org_unit_update",
    "transfer_accept",
    "transfer_reject",
    "transfer_request",
]

"""The names of this app's audit actions, read by the audit log (union_portal.audit_words); one module per part."""

from . import (
    audit_actions_cases,
    audit_actions_congress,
    audit_actions_contracts,
    audit_actions_liaison,
    audit_actions_ratings,
)

ACTIONS = {
    **audit_actions_cases.ACTIONS,
    **audit_actions_contracts.ACTIONS,
    **audit_actions_ratings.ACTIONS,
    **audit_actions_congress.ACTIONS,
    **audit_actions_liaison.ACTIONS,
}

"""The names of this app's audit actions, read by the audit log (union_portal.audit_words); one module per part."""

from . import audit_actions_applications, audit_actions_campaigns, audit_actions_files

ACTIONS = {
    **audit_actions_applications.ACTIONS,
    **audit_actions_files.ACTIONS,
    **audit_actions_campaigns.ACTIONS,
}

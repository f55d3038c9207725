"""The names of this app's audit actions, read by the audit log (union_portal.audit_words)."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "funds.collection_record": _("Funds collection recorded"),
    "funds.collection_reverse": _("Funds collection reversed"),
    "funds.dues_record": _("Dues recorded"),
    "funds.entry_reverse": _("Ledger entry reversed"),
    "funds.import_preview": _("Tax import previewed"),
    "funds.import_post": _("Tax import posted"),
    "funds.payroll_declare": _("Payroll declared"),
    "funds.ratio_set_create": _("Allocation ratios set"),
    "funds.reserve_hand_over": _("Reserve handed over"),
    "funds.spending_record": _("Spending recorded"),
}

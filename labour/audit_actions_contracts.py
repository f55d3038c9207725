"""Audit action names: contracts."""

from django.utils.translation import gettext_lazy as _

ACTIONS: dict = {
    "labour.deadline_rule_set": _("Labour deadline rule changed"),
    "labour.contract_create": _("Collective contract drafted"),
    "labour.contract_vote": _("Workers' congress vote on a contract recorded"),
    "labour.contract_sign": _("Collective contract signed"),
    "labour.contract_file": _("Collective contract filed with the labour authority"),
    "labour.contract_answer": _("Labour authority's answer on a contract recorded"),
    "labour.contract_publish": _("Collective contract published to staff"),
    "labour.contract_effective": _("Collective contract in force"),
    "labour.contract_expire": _("Collective contract expired"),
    "labour.round_request": _("Bargaining requested"),
    "labour.round_reply": _("Reply to a bargaining request recorded"),
    "labour.round_session": _("Bargaining session recorded"),
    "labour.round_draft": _("Bargaining draft recorded"),
    "labour.round_fail": _("Bargaining ended without a contract"),
    "labour.officer_register": _("Bargaining officer registered"),
    "labour.officer_update": _("Bargaining officer changed"),
}

"""The names of this app's audit actions, read by the audit log (union_portal.audit_words)."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "awards.award_type_add": _("Award type added"),
    "awards.holiday_delete": _("Holiday removed"),
    "awards.holiday_set": _("Holiday set"),
    "awards.holidays_fill": _("Holidays filled in"),
    "awards.nomination_create": _("Nomination created"),
    "awards.nomination_submit": _("Nomination submitted"),
    "awards.nomination_update": _("Nomination changed"),
    "awards.nomination_withdraw": _("Nomination withdrawn"),
    "awards.notice_close": _("Public notice closed"),
    "awards.notice_start": _("Public notice started"),
    "awards.quota_set": _("Quota set"),
    "awards.reveal": _("Nominee's personal data revealed"),
    "awards.review_township": _("Township review"),
    "awards.review_district": _("District committee review"),
    "awards.round_approve": _("Round approved"),
    "awards.round_create": _("Round created"),
    "awards.round_open": _("Round opened"),
    "awards.round_update": _("Round changed"),
    "awards.rule_update": _("Round rules changed"),
    "awards.objection_file": _("Objection filed"),
    "awards.objection_answer": _("Objection answered"),
}

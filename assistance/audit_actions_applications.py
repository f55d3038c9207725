"""Audit action names: applications."""

from django.utils.translation import gettext_lazy as _

ACTIONS: dict = {
    "assistance.rules_save": _("Assistance rules saved"),
    "assistance.application_create": _("Assistance application created"),
    "assistance.application_update": _("Assistance application changed"),
    "assistance.application_submit": _("Assistance application submitted"),
    "assistance.application_resubmit": _("Assistance application resubmitted"),
    "assistance.application_reveal": _("Assistance application details revealed"),
    "assistance.document_add": _("Assistance document added"),
    "assistance.document_remove": _("Assistance document removed"),
    "assistance.document_view": _("Assistance document viewed"),
    "assistance.visit_record": _("Home visit recorded"),
    "assistance.category_decide": _("Hardship category decided"),
    "assistance.notice_finish": _("Notice at the unit finished"),
    "assistance.review_township": _("Assistance township review"),
    "assistance.review_district": _("Assistance district approval"),
    "assistance.file_open": _("Hardship file opened"),
    "assistance.objection_file": _("Objection to a hardship notice filed"),
    "assistance.objection_answer": _("Objection to a hardship notice answered"),
}

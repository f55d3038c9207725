"""Audit action names: ratings."""

from django.utils.translation import gettext_lazy as _

ACTIONS: dict = {
    "labour.rating_batch_create": _("Rating batch created"),
    "labour.rating_indicator_update": _("Rating indicator changed"),
    "labour.rating_create": _("Self-assessment started"),
    "labour.rating_update": _("Self-assessment changed"),
    "labour.rating_evidence_add": _("Evidence added"),
    "labour.rating_submit": _("Self-assessment submitted"),
    "labour.rating_review_township": _("Township review of a rating"),
    "labour.rating_review_district": _("District review of a rating"),
    "labour.rating_notice_start": _("Rating put on public notice"),
    "labour.rating_name": _("Enterprise named harmonious"),
    "labour.rating_not_name": _("Enterprise not named"),
    "labour.rating_rerated": _("Title ended by a re-rating"),
    "labour.rating_withdraw": _("Harmonious-enterprise title withdrawn"),
    "labour.objection_file": _("Objection filed"),
    "labour.objection_answer": _("Objection answered"),
    "labour.reveal": _("Objector's phone revealed"),
}

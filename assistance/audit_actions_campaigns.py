"""Audit action names: campaigns."""

from django.utils.translation import gettext_lazy as _

ACTIONS: dict = {
    "assistance.campaign_create": _("Help campaign created"),
    "assistance.recipients_propose": _("Help list built from the open files"),
    "assistance.recipient_add": _("Household added to a help list"),
    "assistance.recipient_remove": _("Household taken off a help list"),
    "assistance.recipient_change": _("Help amount changed"),
    "assistance.campaign_submit": _("Help list submitted for approval"),
    "assistance.campaign_approve": _("Help list approved"),
    "assistance.campaign_return": _("Help list returned"),
    "assistance.batch_create": _("Help payment batch created"),
    "assistance.batch_layout": _("Help payment batch layout changed"),
    "assistance.recipient_paid": _("Help paid"),
    "assistance.recipient_failed": _("Help payment failed"),
    "assistance.sheet_print": _("Sign-off sheet printed"),
    "assistance.sheet_upload": _("Signed sign-off sheet uploaded"),
    "assistance.reveal": _("Help bank file written with full accounts"),
}

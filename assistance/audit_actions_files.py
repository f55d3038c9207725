"""Audit action names: files."""

from django.utils.translation import gettext_lazy as _

ACTIONS: dict = {
    "assistance.file_reveal": _("Hardship file's health and income details viewed in full"),
    "assistance.file_review": _("Hardship file reviewed"),
    "assistance.file_close": _("Hardship file closed"),
    "assistance.file_follow_up": _("Follow-up of a hardship file recorded"),
    "assistance.file_attention_clear": _("Hardship file's roll flag cleared"),
    "assistance.file_flagged": _("Hardship file flagged by the roll sweep"),
    "assistance.file_reminded": _("Reminder of a hardship file's review sent"),
    "assistance.file_export": _("Hardship files exported"),
}

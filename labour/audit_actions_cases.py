"""Audit action names: cases."""

from django.utils.translation import gettext_lazy as _

ACTIONS: dict = {
    "labour.case_file": _("Rights case filed"),
    "labour.case_record": _("Rights case recorded"),
    "labour.case_accept": _("Rights case accepted"),
    "labour.case_step": _("Rights case step recorded"),
    "labour.case_lawyer": _("Lawyer assigned to a rights case"),
    "labour.case_close": _("Rights case closed"),
    "labour.case_satisfaction": _("Satisfaction with a rights case"),
    "labour.case_group": _("Rights case linked to a group"),
    "labour.case_group_warning": _("Group case early warning"),
    "labour.case_reveal": _("Rights case details shown in full"),
    "labour.case_escalate": _("Rights case escalated to the district"),
    "labour.case_pdf": _("Rights case file printed"),
    "labour.lawyer_add": _("Lawyer added to the roster"),
    "labour.case_settings": _("Rights case settings changed"),
}

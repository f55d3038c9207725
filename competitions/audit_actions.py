"""The names of this app's audit actions, read by the audit log (union_portal.audit_words)."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "competitions.accident_record": _("Accident recorded"),
    "competitions.bands_update": _("Grade bands changed"),
    "competitions.campaign_create": _("Competition created"),
    "competitions.contestant_enter": _("Contestant entered"),
    "competitions.criteria_update": _("Criteria changed"),
    "competitions.group_add": _("Group added"),
    "competitions.judge_assign": _("Judge assigned"),
    "competitions.judge_profile": _("Judge profile changed"),
    "competitions.judge_unassign": _("Judge unassigned"),
    "competitions.period_close": _("Period closed"),
    "competitions.period_release": _("Period results released"),
    "competitions.period_reopen": _("Period reopened"),
    "competitions.report_assess": _("Safety report assessed"),
    "competitions.report_submit": _("Safety report submitted"),
    "competitions.score": _("Score entered"),
    "competitions.team_register": _("Team registered"),
    "competitions.year_end_award": _("Year-end award given"),
}

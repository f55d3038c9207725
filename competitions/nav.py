from django.utils.translation import gettext_lazy as _

from union_portal.nav import NavItem
from union_portal.scoping import has_role

from .permissions import VIEWERS, can_create_campaigns, is_judge


def items(user) -> list[NavItem]:
    section = _("Competitions")
    result = []
    if has_role(user, *VIEWERS):
        result.append(
            NavItem(
                section,
                _("Campaigns"),
                "competitions:campaign_list",
                "trophy",
                _("Merit competitions, skills contests, Ankang Cup"),
            )
        )
        result.append(
            NavItem(
                section,
                _("Hazard reports and proposals"),
                "competitions:report_list",
                "cone-striped",
                _("Assess and credit them"),
            )
        )
    if can_create_campaigns(user):
        result.append(
            NavItem(section, _("Judges"), "competitions:judge_list", "person-badge", _("Where each judge works"))
        )
    if is_judge(user):
        result.append(
            NavItem(
                section,
                _("My scoring"),
                "competitions:my_assignments",
                "pencil-square",
                _("Score the teams assigned to you"),
            )
        )
    if not has_role(user, *VIEWERS):
        result.append(
            NavItem(
                section,
                _("Report a hazard or make a proposal"),
                "competitions:report_create",
                "camera",
                _("Ankang Cup, from your phone"),
            )
        )
    result.append(
        NavItem(section, _("Leaderboards"), "competitions:board_index", "bar-chart", _("Released competition results"))
    )
    result.append(
        NavItem(
            section,
            _("Honour roll"),
            "competitions:honour_roll",
            "award",
            _("Red flags, merit citations, prizes, craftsmen"),
        )
    )
    return result

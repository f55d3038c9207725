from django.utils.translation import gettext_lazy as _

from union_portal.nav import NavItem, is_worker
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
    if is_worker(user):
        result.append(
            NavItem(
                section,
                _("Report a hazard or make a proposal"),
                "competitions:report_create",
                "camera",
                _("Ankang Cup, from your phone"),
            )
        )
    return result + public_items()


def public_items() -> list[NavItem]:
    """For everyone, logged in or not: the released leaderboards and the competitions' honour roll."""
    section = _("Competitions")
    return [
        NavItem(section, _("Leaderboards"), "competitions:board_index", "bar-chart", _("Released competition results")),
        NavItem(
            section,
            _("Competition honours"),
            "competitions:honour_roll",
            "award",
            _("Red flags, merit citations, prizes, craftsmen"),
        ),
    ]

from django.utils.translation import gettext_lazy as _

from union_portal.nav import NavItem
from union_portal.roles import Role
from union_portal.scoping import has_role

from .permissions import STAFF_ROLES


def items(user) -> list[NavItem]:
    result = []
    if has_role(user, *STAFF_ROLES):
        result.append(
            NavItem(_("Awards"), _("Award rounds"), "awards:round_list", "award", _("Commendation rounds and quotas"))
        )
        result.append(
            NavItem(_("Awards"), _("Nominations"), "awards:nomination_list", "person-check", _("Nominate and review"))
        )
    if has_role(user, Role.DISTRICT_ADMIN):
        result.append(
            NavItem(_("Awards"), _("Objections"), "awards:objection_list", "megaphone", _("Objections to candidates"))
        )
        result.append(
            NavItem(_("Awards"), _("Holiday table"), "awards:holiday_list", "calendar3", _("Working days for notices"))
        )
    return result + public_items()


def public_items() -> list[NavItem]:
    """For everyone, logged in or not: the notices (公示) of award candidates and the commendations awarded."""
    return [
        NavItem(_("Awards"), _("Public notices"), "awards:public_notices", "megaphone", _("Candidates on notice")),
        NavItem(
            _("Awards"),
            _("Commendation honour roll"),
            "awards:public_honours",
            "trophy",
            _("Published commendations"),
        ),
    ]

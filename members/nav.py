from django.utils.translation import gettext_lazy as _

from union_portal.membership import holds_membership
from union_portal.nav import NavItem, is_worker
from union_portal.scoping import has_role

from .permissions import FOUNDING_ROLES, ROLL_ROLES, can_see_roll


def items(user) -> list[NavItem]:
    result = []
    if can_see_roll(user):
        result.append(
            NavItem(
                _("Organisation"),
                _("Union organisations"),
                "members:org_list",
                "diagram-3",
                _("The union tree in your area"),
            )
        )
        result.append(
            NavItem(_("Members"), _("Member roll"), "members:member_list", "people", _("Search, filter and export"))
        )
        result.append(
            NavItem(
                _("Members"),
                _("Membership transfers"),
                "members:transfer_list",
                "arrow-left-right",
                _("Transfers in and out waiting for a decision"),
            )
        )
        result.append(
            NavItem(
                _("Organisation"),
                _("Enterprises"),
                "members:enterprise_list",
                "building",
                _("Firms, and those of 25+ staff without a union"),
            )
        )
    if has_role(user, *ROLL_ROLES):
        result.append(
            NavItem(
                _("Members"),
                _("Join applications"),
                "members:join_list",
                "person-check",
                _("Workers waiting to join"),
            )
        )
        result.append(
            NavItem(
                _("Members"),
                _("Lost-number requests"),
                "members:mobile_recovery_list",
                "phone",
                _("Check a worker's identity in person, then move the login to the new number"),
            )
        )
        result.append(
            NavItem(
                _("Members"),
                _("Import from Excel"),
                "members:import_new",
                "file-earmark-arrow-up",
                _("Add a whole member list at once"),
            )
        )
    if has_role(user, *FOUNDING_ROLES):
        result.append(
            NavItem(
                _("Organisation"),
                _("Union founding"),
                "members:founding_list",
                "flag",
                _("Applications to found a union"),
            )
        )
    if is_worker(user):
        # A worker's entries depend on the membership (one query per page, for workers only).
        if holds_membership(user):
            result.append(
                NavItem(_("Me"), _("My membership card"), "members:my_card", "person-badge", _("Card with QR code"))
            )
        else:
            result.append(
                NavItem(_("Me"), _("Join the union"), "members:join_start", "person-plus", _("Apply from your phone"))
            )
        result.append(
            NavItem(_("Me"), _("Found a union"), "members:founding_new", "flag", _("For an enterprise without a union"))
        )
    return result


def public_items() -> list[NavItem]:
    """For anonymous visitors: joining and founding, after logging in (or signing up)."""
    section = _("Joining")
    return [
        NavItem(section, _("Join the union"), "members:join_start", "person-plus", _("Apply from your phone"), True),
        NavItem(
            section, _("Found a union"), "members:founding_new", "flag", _("For an enterprise without a union"), True
        ),
    ]

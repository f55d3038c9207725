from django.utils.translation import gettext_lazy as _

from union_portal.nav import NavItem
from union_portal.roles import Role
from union_portal.scoping import has_role

from .permissions import QUEUE_ROLES, can_see_claims

SECTION = _("Mutual aid")


def items(user) -> list[NavItem]:
    # No queries here: the menu is on every page of the portal. A user without any staff role is taken to
    # be a worker; the pages themselves check the membership.
    from union_portal.scoping import roles_of

    is_worker = not roles_of(user)
    result = []
    if is_worker:
        result.append(
            NavItem(SECTION, _("My mutual aid"), "mutual_aid:my_aid", "heart-pulse", _("Your cover and claims"))
        )
    result.extend(public_items())
    if is_worker or has_role(user, Role.HANDLER):
        result.append(
            NavItem(SECTION, _("File a claim"), "mutual_aid:claim_new", "file-earmark-plus", _("Claim online"))
        )
    if has_role(user, *QUEUE_ROLES):
        result.append(
            NavItem(SECTION, _("Review queue"), "mutual_aid:queue", "list-check", _("Claims waiting for review"))
        )
    if can_see_claims(user):
        result.append(NavItem(SECTION, _("Claims"), "mutual_aid:claim_list", "folder2-open", _("Claims in your area")))
        result.append(
            NavItem(
                SECTION,
                _("Claim statistics"),
                "mutual_aid:statistics",
                "bar-chart",
                _("States, days to payment, amounts"),
            )
        )
    if has_role(user, Role.HANDLER, Role.FINANCE, Role.DISTRICT_ADMIN):
        result.append(
            NavItem(
                SECTION, _("Enrolment"), "mutual_aid:enrolment_list", "person-check", _("Units enrolled and premiums")
            )
        )
    if has_role(user, Role.FINANCE, Role.DISTRICT_ADMIN):
        result.append(NavItem(SECTION, _("Payment batches"), "mutual_aid:batch_list", "bank", _("Pay approved claims")))
    if has_role(user, Role.DISTRICT_ADMIN):
        result.append(
            NavItem(SECTION, _("Schemes and rules"), "mutual_aid:scheme_list", "sliders", _("Periods, benefits, rules"))
        )
    return result


def public_items() -> list[NavItem]:
    """For everyone, logged in or not: the benefit estimator."""
    return [NavItem(SECTION, _("Benefit estimator"), "mutual_aid:estimate", "calculator", _("What would I get?"))]

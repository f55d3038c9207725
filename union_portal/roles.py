"""The roles of DOMAIN.md. A user holds any number of (role, node) assignments."""

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from .models import User
    from .tree import OrgUnit


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", _("City admin")
    DISTRICT_ADMIN = "district_admin", _("District admin")
    REVIEWER = "reviewer", _("Mutual-aid reviewer")
    FINANCE = "finance", _("Finance officer")
    TOWNSHIP_STAFF = "township_staff", _("Township staff")
    HANDLER = "handler", _("Grassroots handler")
    JUDGE = "judge", _("Judge")
    RIGHTS_OFFICER = "rights_officer", _("Rights officer")
    LAWYER = "lawyer", _("Legal-aid lawyer")


# Roles whose assignment lets a user see the records of the node's subtree. A judge's assignment does
# not: judges see only the teams assigned to them in a competition.
SUBTREE_ROLES = frozenset(
    {
        Role.CITY_ADMIN,
        Role.DISTRICT_ADMIN,
        Role.REVIEWER,
        Role.FINANCE,
        Role.TOWNSHIP_STAFF,
        Role.HANDLER,
    }
)
# Rights officers (a township or the district) and legal-aid lawyers are NOT subtree roles: they see rights cases
# only (labour.permissions.cases: officers by the handling union's subtree, lawyers the cases assigned to them),
# never the member roll. Both hold a role assignment, so both log in with two-factor authentication like staff
# (union_portal.twofactor.requires_two_factor); a lawyer's assignment sits at the district that keeps the roster.
CASE_ONLY_ROLES = frozenset({Role.RIGHTS_OFFICER, Role.LAWYER})
ADMIN_ROLES = frozenset({Role.CITY_ADMIN, Role.DISTRICT_ADMIN})
# Roles entitled to see personal data (ID numbers, phones, bank accounts) in full, on request (audited).
REVEAL_ROLES = frozenset({Role.DISTRICT_ADMIN, Role.REVIEWER, Role.FINANCE, Role.HANDLER, Role.TOWNSHIP_STAFF})


def role_holders(
    role: str,
    *,
    at: "OrgUnit | None" = None,
    at_or_above: "OrgUnit | None" = None,
    include_self: bool = True,
    active_only: bool = True,
) -> "QuerySet[User]":
    """The users holding ``role``: anywhere (no node given), at the node ``at`` exactly, or at ``at_or_above``
    or one of its ancestors (``at_or_above`` itself only when ``include_self``). Active accounts only unless
    ``active_only`` is False. One query, each user once, by pk."""
    from .models import RoleAssignment, User
    from .tree import ancestor_paths

    assignments = RoleAssignment.objects.filter(role=role)
    if at is not None:
        assignments = assignments.filter(node=at)
    if at_or_above is not None:
        assignments = assignments.filter(node__path__in=ancestor_paths(at_or_above, include_self=include_self))
    users = User.objects.filter(pk__in=assignments.values("user_id"))
    if active_only:
        users = users.filter(is_active=True)
    return users.order_by("pk")

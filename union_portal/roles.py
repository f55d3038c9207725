"""The roles of DOMAIN.md. A user holds any number of (role, node) assignments."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", _("City admin")
    DISTRICT_ADMIN = "district_admin", _("District admin")
    REVIEWER = "reviewer", _("Mutual-aid reviewer")
    FINANCE = "finance", _("Finance officer")
    TOWNSHIP_STAFF = "township_staff", _("Township staff")
    HANDLER = "handler", _("Grassroots handler")
    JUDGE = "judge", _("Judge")


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
ADMIN_ROLES = frozenset({Role.CITY_ADMIN, Role.DISTRICT_ADMIN})
# Roles entitled to see personal data (ID numbers, phones, bank accounts) in full, on request (audited).
REVEAL_ROLES = frozenset({Role.DISTRICT_ADMIN, Role.REVIEWER, Role.FINANCE, Role.HANDLER, Role.TOWNSHIP_STAFF})

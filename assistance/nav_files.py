"""Menu entries: files."""

from django.utils.translation import gettext_lazy as _

from union_portal.nav import NavItem
from union_portal.scoping import has_role, roles_of

from .permissions.files import FILE_STATS_ROLES, FILE_VIEW_ROLES

SECTION = _("Hardship assistance")


def items(user) -> list[NavItem]:
    # No queries: the menu is on every page. A user without a staff role is taken to be a worker.
    result = []
    if not roles_of(user):
        result.append(
            NavItem(SECTION, _("My hardship file"), "assistance:my_file", "folder", _("Category and next review"))
        )
    if has_role(user, *FILE_VIEW_ROLES):
        result.append(
            NavItem(
                SECTION, _("Hardship files"), "assistance:file_list", "folder2-open", _("Files in your area, reviews")
            )
        )
    if has_role(user, *FILE_STATS_ROLES):
        result.append(
            NavItem(
                SECTION,
                _("Hardship file statistics"),
                "assistance:file_statistics",
                "bar-chart",
                _("Files by category and township"),
            )
        )
    return result

"""Menu entries: harmonious-enterprise ratings."""

from django.utils.translation import gettext_lazy as _

from union_portal.nav import NavItem
from union_portal.scoping import has_role

from .permissions.ratings import STAFF_ROLES

SECTION = _("Labour relations")


def items(user) -> list[NavItem]:
    result = []
    if has_role(user, *STAFF_ROLES):
        result.append(
            NavItem(
                SECTION,
                _("Harmonious enterprises"),
                "labour:rating_batch_list",
                "patch-check",
                _("Rating batches and indicators"),
            )
        )
        result.append(
            NavItem(
                SECTION, _("Self-assessments"), "labour:rating_list", "clipboard-check", _("Self-assess and review")
            )
        )
    return result + public_items()


def public_items() -> list[NavItem]:
    """For everyone: enterprises on public notice and the honour list of harmonious enterprises."""
    return [
        NavItem(
            SECTION,
            _("Harmonious enterprises on notice"),
            "labour:rating_public_notices",
            "megaphone",
            _("Object to an enterprise on notice"),
        ),
        NavItem(
            SECTION,
            _("Harmonious enterprises honour list"),
            "labour:rating_honours",
            "trophy",
            _("Enterprises holding the title"),
        ),
    ]

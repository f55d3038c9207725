"""Who may see and change the bank file layouts and a paying union's bank settings. The layouts are the
district's shared data: finance officers edit them (they build the bank files and answer for them); the
district admin reads them. Segregation of duties (SEGREGATED_ROLES) keeps finance apart from reviewers and
admins, so whoever edits a layout neither decides claims nor grants roles."""

from django.shortcuts import get_object_or_404

from union_portal.roles import Role
from union_portal.scoping import has_role, home_nodes

from .models import BankLayout

LAYOUT_VIEW_ROLES = (Role.FINANCE, Role.DISTRICT_ADMIN)
LAYOUT_EDIT_ROLES = (Role.FINANCE,)


def can_manage_layouts(user) -> bool:
    return has_role(user, *LAYOUT_EDIT_ROLES)


def finance_node(user):
    """The node the user pays for (their first finance assignment), or None."""
    return home_nodes(user, roles=[Role.FINANCE]).first()


def get_layout_for(user, pk: int) -> BankLayout:
    """A layout (shared data: visible to every holder of LAYOUT_VIEW_ROLES; views check the role)."""
    return get_object_or_404(BankLayout, pk=pk)

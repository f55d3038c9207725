"""Who may do what with hardship applications and the assistance rules. Object access goes through
``union_portal.scoping``: staff see the applications of their subtree, a worker their own."""

from django.core.exceptions import PermissionDenied

from union_portal.roles import Role
from union_portal.scoping import get_in_scope_or_404, has_role, roles_at

from ..models import Application, ApplicationDocument

# Staff who see the applications of their area.
STAFF_ROLES = (Role.HANDLER, Role.TOWNSHIP_STAFF, Role.DISTRICT_ADMIN, Role.CITY_ADMIN)
# File for a member of the union (the worker files their own).
FILING_ROLES = frozenset({Role.HANDLER, Role.TOWNSHIP_STAFF})
# Make the home visit, decide the category, put it on notice.
VISIT_ROLES = frozenset({Role.HANDLER, Role.TOWNSHIP_STAFF})
TOWNSHIP_ROLES = frozenset({Role.TOWNSHIP_STAFF})
DISTRICT_ROLES = frozenset({Role.DISTRICT_ADMIN})
# Entitled to the health and income details in full (on request, audited).
REVEAL_ROLES = frozenset({Role.HANDLER, Role.TOWNSHIP_STAFF, Role.DISTRICT_ADMIN})


def filing_channel(user, member) -> str | None:
    """How ``user`` files for ``member``: "self" for the worker, "handler" for staff of the member's union or the
    township above; None when they may not."""
    if member.user_id is not None and member.user_id == getattr(user, "pk", None):
        return Application.Channel.SELF
    if roles_at(user, member.org) & FILING_ROLES:
        return Application.Channel.HANDLER
    return None


def can_edit(user, application: Application) -> bool:
    return application.status in Application.EDITABLE and filing_channel(user, application.member) is not None


def can_visit(user, application: Application) -> bool:
    return bool(roles_at(user, application.org) & VISIT_ROLES)


def can_review_township(user, application: Application) -> bool:
    return bool(roles_at(user, application.org) & TOWNSHIP_ROLES)


def can_approve(user, application: Application) -> bool:
    return bool(roles_at(user, application.org) & DISTRICT_ROLES)


def can_reveal(user, application: Application) -> bool:
    return bool(roles_at(user, application.org) & REVEAL_ROLES)


def can_act(user, application: Application) -> bool:
    """Any staff step on it (visit, category, notice, review)."""
    return (
        can_edit(user, application)
        or can_visit(user, application)
        or can_review_township(user, application)
        or can_approve(user, application)
    )


def is_staff(user) -> bool:
    return has_role(user, *STAFF_ROLES)


def can_edit_rules(user, org) -> bool:
    return bool(roles_at(user, org) & DISTRICT_ROLES)


def get_application_for(user, pk: int, *, for_change: bool = False) -> Application:
    """The application when the user sees it (staff of its subtree, or the worker whose it is; 404 otherwise);
    with ``for_change``, 403 unless they may take a step on it."""
    application = get_in_scope_or_404(
        Application.objects.select_related("org", "member", "filed_by", "rule_set"), user, roles=STAFF_ROLES, pk=pk
    )
    if for_change and not can_act(user, application):
        raise PermissionDenied
    return application


def get_document_for(user, pk: int) -> ApplicationDocument:
    """A document of an application the user sees (404 otherwise)."""
    document = get_in_scope_or_404(
        ApplicationDocument.objects.select_related("application"), user, roles=STAFF_ROLES, pk=pk
    )
    return document

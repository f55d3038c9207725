"""Who may do what with rating batches and self-assessments. The handler of the enterprise's union prepares and
submits its self-assessment; township staff review those of their subtree; the district admin runs batches,
reviews at district level, puts on notice, names, withdraws. Object access goes through ``union_portal.scoping``
(404 when not visible, 403 when visible but not changeable)."""

from django.core.exceptions import PermissionDenied

from union_portal.roles import Role
from union_portal.scoping import get_in_scope_or_404, roles_at

from ..models import RatingApplication, RatingBatch

STAFF_ROLES = (Role.DISTRICT_ADMIN, Role.CITY_ADMIN, Role.TOWNSHIP_STAFF, Role.HANDLER)
BATCH_ADMIN_ROLES = (Role.DISTRICT_ADMIN,)
ASSESSING_ROLES = frozenset({Role.HANDLER})
TOWNSHIP_REVIEWERS = frozenset({Role.TOWNSHIP_STAFF})
DISTRICT_REVIEWERS = frozenset({Role.DISTRICT_ADMIN})


def can_manage_batch(user, batch: RatingBatch) -> bool:
    return bool(DISTRICT_REVIEWERS & roles_at(user, batch.org))


def can_assess(user, application: RatingApplication) -> bool:
    """Prepare and submit: the handler of the enterprise's own union (or above it, a district admin helping)."""
    return bool((ASSESSING_ROLES | DISTRICT_REVIEWERS) & roles_at(user, application.org))


def can_assess_for(user, org) -> bool:
    return bool((ASSESSING_ROLES | DISTRICT_REVIEWERS) & roles_at(user, org))


def can_review_township(user, application: RatingApplication) -> bool:
    return bool(TOWNSHIP_REVIEWERS & roles_at(user, application.org))


def can_review_district(user, application: RatingApplication) -> bool:
    return can_manage_batch(user, application.batch)


def can_change(user, application: RatingApplication) -> bool:
    return (
        can_assess(user, application)
        or can_review_township(user, application)
        or can_review_district(user, application)
    )


def get_application_for(user, pk: int, *, for_change: bool = False) -> RatingApplication:
    application = get_in_scope_or_404(
        RatingApplication.objects.select_related("batch__org", "enterprise", "org", "notice"),
        user,
        roles=STAFF_ROLES,
        pk=pk,
    )
    if for_change and not can_change(user, application):
        raise PermissionDenied
    return application


def get_batch_for(user, pk: int, *, for_change: bool = False) -> RatingBatch:
    from ..selectors.ratings import batch_get

    batch = batch_get(user=user, pk=pk)
    if for_change and not can_manage_batch(user, batch):
        raise PermissionDenied
    return batch

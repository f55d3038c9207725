"""Who may publish surveys and see their results. Views and the services call these."""

from django.core.exceptions import PermissionDenied

from union_portal.permissions import can_administer
from union_portal.roles import ADMIN_ROLES, Role
from union_portal.scoping import get_in_scope_or_404, has_role

from .models import Survey

# Who sees survey results: admins for their own surveys, township staff for their township.
SURVEY_STAFF_ROLES = (Role.CITY_ADMIN, Role.DISTRICT_ADMIN, Role.TOWNSHIP_STAFF)
# Create, publish, close and delete surveys: district and city admins at or above the owner.
SURVEY_ADMINS = ADMIN_ROLES


def can_create_surveys(user) -> bool:
    return has_role(user, *SURVEY_ADMINS)


def can_manage_survey(user, survey: Survey) -> bool:
    return can_administer(user, survey.owner)


def get_survey_for(user, pk: int, *, for_change: bool = False) -> Survey:
    """A survey under the user's admin assignment (404 otherwise); with ``for_change``, 403 unless they
    administer its owner."""
    survey = get_in_scope_or_404(Survey.objects.select_related("owner"), user, roles=SURVEY_ADMINS, pk=pk)
    if for_change and not can_manage_survey(user, survey):
        raise PermissionDenied
    return survey

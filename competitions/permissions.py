"""Who may do what with competitions. Views, the API, nav and the services call these; object access itself
goes through ``union_portal.scoping`` (judges see only the teams assigned to them)."""

from django.core.exceptions import PermissionDenied

from union_portal.roles import ADMIN_ROLES, SUBTREE_ROLES, Role
from union_portal.scoping import get_in_scope_or_404, has_role, roles_at

from .models import Campaign, Period, Team

# Run a campaign (sheet, teams, judges, periods, results): district and city admins over its organiser.
MANAGERS = ADMIN_ROLES
JUDGES = frozenset({Role.JUDGE})
# Staff who see the campaigns of their area.
VIEWERS = SUBTREE_ROLES


def can_manage(user, campaign: Campaign) -> bool:
    return bool(roles_at(user, campaign.org) & MANAGERS)


def can_create_campaigns(user) -> bool:
    return has_role(user, *MANAGERS)


def is_judge(user) -> bool:
    return has_role(user, *JUDGES)


def get_campaign_for(user, pk: int, *, for_change: bool = False) -> Campaign:
    """The campaign if the user may see it (404 otherwise); with ``for_change``, 403 unless they manage it."""
    campaign = get_in_scope_or_404(Campaign.objects.select_related("org"), user, pk=pk)
    if for_change and not can_manage(user, campaign):
        raise PermissionDenied
    return campaign


def get_period_for(user, pk: int, *, for_change: bool = False) -> Period:
    period = get_in_scope_or_404(Period.objects.select_related("campaign", "campaign__org"), user, pk=pk)
    if for_change and not can_manage(user, period.campaign):
        raise PermissionDenied
    return period


def get_team_for(user, pk: int, *, for_change: bool = False) -> Team:
    team = get_in_scope_or_404(Team.objects.select_related("campaign", "campaign__org", "group"), user, pk=pk)
    if for_change and not can_manage(user, team.campaign):
        raise PermissionDenied
    return team

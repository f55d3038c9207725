"""Who may see and change help campaigns.

- City and district admins and township staff manage the campaigns of the unions in their subtree (create, build and
  adjust the list, submit, approve a list another person built or changed last, return it);
- finance officers over the campaign's union pay it (batches, paid/failed);
- staff of a subtree (handlers included) see the recipients of their subtree in any campaign, and print and upload
  the sign-off sheet of their units;
- a worker sees only the help they received (``my_help``).
404 when not visible, 403 when visible but not changeable."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from union_portal.models import User
from union_portal.roles import Role
from union_portal.scoping import node_in_scope, scope

from ..models import Campaign, Recipient, SignOffSheet

# The city federation above may manage (and approve, as the second person) a district's campaigns.
MANAGE_ROLES = (Role.CITY_ADMIN, Role.DISTRICT_ADMIN, Role.TOWNSHIP_STAFF)
PAYING_ROLES = (Role.FINANCE,)
VIEW_ROLES = (*MANAGE_ROLES, *PAYING_ROLES)
RECIPIENT_VIEW_ROLES = (*VIEW_ROLES, Role.HANDLER)
SHEET_ROLES = (*MANAGE_ROLES, Role.HANDLER)


def can_manage(user: User, campaign: Campaign) -> bool:
    return node_in_scope(user, campaign.org, roles=MANAGE_ROLES)


def can_pay(user: User, campaign: Campaign) -> bool:
    return node_in_scope(user, campaign.org, roles=PAYING_ROLES)


def can_approve(user: User, campaign: Campaign) -> bool:
    """A second person: a manager who neither built nor last changed the list."""
    return can_manage(user, campaign) and user.pk not in {campaign.built_by_id, campaign.changed_by_id}


def can_handle_sheet(user: User, sheet: SignOffSheet) -> bool:
    return node_in_scope(user, sheet.org, roles=SHEET_ROLES)


def visible_campaigns(user: User):
    return scope(Campaign.objects.all(), user, roles=VIEW_ROLES, include_owner=False)


def get_campaign_for(user: User, pk: int, *, for_change: bool = False) -> Campaign:
    """The campaign, 404 when not in the user's subtree, 403 when visible but the user may not manage it."""
    campaign = visible_campaigns(user).select_related("org").filter(pk=pk).first()
    if campaign is None:
        raise Http404
    if for_change and not can_manage(user, campaign):
        raise PermissionDenied
    return campaign


def visible_recipients(user: User):
    return scope(Recipient.objects.all(), user, roles=RECIPIENT_VIEW_ROLES, include_owner=False)


def get_recipient_for(user: User, pk: int, *, for_change: bool = False) -> Recipient:
    recipient = visible_recipients(user).select_related("campaign__org", "member", "org").filter(pk=pk).first()
    if recipient is None:
        raise Http404
    if for_change and not can_manage(user, recipient.campaign):
        raise PermissionDenied
    return recipient


def get_sheet_for(user: User, pk: int, *, for_change: bool = False) -> SignOffSheet:
    sheet = (
        scope(SignOffSheet.objects.all(), user, roles=SHEET_ROLES, include_owner=False)
        .select_related("campaign", "org")
        .filter(pk=pk)
        .first()
    )
    if sheet is None:
        raise Http404
    if for_change and not can_handle_sheet(user, sheet):
        raise PermissionDenied
    return sheet

"""Who may do what with award rounds, nominations and their objections. Views, nav and the services call
these; object access itself goes through ``union_portal.scoping``."""

from django.core.exceptions import PermissionDenied

from union_portal.models import OrgUnit
from union_portal.notices.models import Objection
from union_portal.roles import Role
from union_portal.scoping import get_in_scope_or_404, roles_at

from .models import Nomination, Round

# Staff who see rounds and the nominations of their area.
STAFF_ROLES = (Role.DISTRICT_ADMIN, Role.CITY_ADMIN, Role.TOWNSHIP_STAFF, Role.HANDLER)
NOMINATING_ROLES = (Role.HANDLER, Role.TOWNSHIP_STAFF, Role.DISTRICT_ADMIN)
# Rounds, their award types, quotas, rules and public notices are the district's.
ROUND_ADMIN_ROLES = (Role.DISTRICT_ADMIN,)
# Nominations are reviewed by the township, then the district.
REVIEWING_ROLES = (Role.TOWNSHIP_STAFF, Role.DISTRICT_ADMIN)
TOWNSHIP_REVIEWERS = frozenset({Role.TOWNSHIP_STAFF, Role.DISTRICT_ADMIN})
# Run rounds (dates, quotas, notice, approval), review at district level, answer objections.
ROUND_MANAGERS = frozenset({Role.DISTRICT_ADMIN})


def can_manage_round(user, round_: Round) -> bool:
    return bool(ROUND_MANAGERS & roles_at(user, round_.org))


def can_nominate(user, org: OrgUnit) -> bool:
    return bool(roles_at(user, org) & set(NOMINATING_ROLES))


def can_review_township(user, nomination: Nomination) -> bool:
    return bool(roles_at(user, nomination.org) & TOWNSHIP_REVIEWERS)


def can_review_district(user, nomination: Nomination) -> bool:
    return bool(ROUND_MANAGERS & roles_at(user, nomination.round.org))


def can_change_nomination(user, nomination: Nomination) -> bool:
    """Edit, submit, review or withdraw it (each service checks which of these at which stage)."""
    return (
        can_nominate(user, nomination.org)
        or can_review_township(user, nomination)
        or can_review_district(user, nomination)
    )


def objection_nomination(objection: Objection) -> Nomination:
    """The candidate an objection is about."""
    assert objection.item_id is not None  # awards' objections are filed about a nomination
    return Nomination.objects.select_related("round", "award_type").get(pk=objection.item_id)


def can_answer_objection(user, objection: Objection) -> bool:
    """The district admin over the candidate's round investigates, answers and may see the objector's phone."""
    return can_review_district(user, objection_nomination(objection))


def get_round_for(user, pk: int, *, for_change: bool = False) -> Round:
    """The round, when the user sees it (404 otherwise); with ``for_change``, 403 unless they manage it."""
    from .selectors import round_get  # the visibility of rounds (ancestors and subtree) is a read

    round_ = round_get(user=user, pk=pk)
    if for_change and not can_manage_round(user, round_):
        raise PermissionDenied
    return round_


def get_nomination_for(user, pk: int, *, for_change: bool = False) -> Nomination:
    """The nomination, when it lies in the user's staff area (404 otherwise); with ``for_change``, 403 unless
    they may nominate at its union or review it."""
    nomination = get_in_scope_or_404(
        Nomination.objects.select_related("round__org", "award_type", "org", "member", "candidate_org", "created_by"),
        user,
        roles=STAFF_ROLES,
        pk=pk,
    )
    if for_change and not can_change_nomination(user, nomination):
        raise PermissionDenied
    return nomination


def get_objection_for(user, pk: int, *, for_change: bool = False) -> Objection:
    """An objection to a candidate, when it lies under the user's district-admin assignment (404 otherwise);
    with ``for_change``, 403 unless they may answer it."""
    objection = get_in_scope_or_404(
        Objection.objects.filter(nomination__isnull=False).select_related("notice", "answered_by"),
        user,
        roles=list(ROUND_MANAGERS),
        pk=pk,
    )
    if for_change and not can_answer_objection(user, objection):
        raise PermissionDenied
    return objection

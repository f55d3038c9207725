"""Who may do what in mutual aid. Views, the API, nav and the services call these; object access itself goes
through ``union_portal.scoping``."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from members.models import Member
from union_portal.models import OrgUnit
from union_portal.roles import REVEAL_ROLES, Role
from union_portal.scoping import get_in_scope_or_404, has_role, roles_at

from .models import Claim

# Staff who see the claims of their area.
STAFF_CLAIM_ROLES = (Role.REVIEWER, Role.HANDLER, Role.DISTRICT_ADMIN, Role.FINANCE, Role.TOWNSHIP_STAFF)
REVIEWERS = frozenset({Role.REVIEWER})
# Reviewers' queue: reviewers and the district admin who assigns appeals.
QUEUE_ROLES = (Role.REVIEWER, Role.DISTRICT_ADMIN)
# File, appeal, resubmit and correct on a member's behalf.
ACTING_ROLES = frozenset({Role.HANDLER, Role.DISTRICT_ADMIN})
FINANCE_ROLES = frozenset({Role.FINANCE})
# Schemes and their rule versions are the district's.
SCHEME_ADMIN_ROLES = (Role.DISTRICT_ADMIN,)
# Enrolment lists: handlers file them for their union; finance and the district read them.
ENROLMENT_VIEW_ROLES = (Role.HANDLER, Role.FINANCE, Role.DISTRICT_ADMIN)
ENROLMENT_FILE_ROLES = (Role.HANDLER,)
# Payment batches: finance builds, exports and settles them; the district reads them.
BATCH_VIEW_ROLES = (Role.FINANCE, Role.DISTRICT_ADMIN)
PAYING_ROLES = (Role.FINANCE,)


def can_see_claims(user) -> bool:
    """Holds a staff role that sees claims somewhere (the claims page and its API)."""
    return has_role(user, *STAFF_CLAIM_ROLES)


def can_review(user, org: OrgUnit) -> bool:
    """A mutual-aid reviewer at ``org`` or above."""
    return bool(REVIEWERS & roles_at(user, org))


def can_act_for(user, member: Member) -> bool:
    """The member themself, or a handler (or district admin) over the member's union."""
    if member.user_id and member.user_id == user.pk:
        return True
    return bool(ACTING_ROLES & roles_at(user, member.org))


def is_own_claim(user, claim: Claim) -> bool:
    """The claim is the user's own: its member is linked to the user's login, or carries the ID number of the
    user's own membership (the same person on another union's roll). Nobody reviews, decides an appeal of,
    pays or batches a claim of their own."""
    member = claim.member
    if member.user_id and member.user_id == user.pk:
        return True
    own_hash = _own_id_hash(user)
    return bool(own_hash) and own_hash == member.id_number_hash


def _own_id_hash(user) -> str:
    """The ID-number hash of the membership linked to the user's login ("" when none)."""
    return Member.objects.filter(user_id=user.pk).values_list("id_number_hash", flat=True).first() or ""


def own_claims_q(user) -> Q:
    """The claims that are the user's own (``is_own_claim``) as a filter: exclude it to leave them out."""
    q = Q(member__user_id=user.pk)
    own_hash = _own_id_hash(user)
    if own_hash:
        q |= Q(member__id_number_hash=own_hash)
    return q


def can_assign_appeal(user, org: OrgUnit) -> bool:
    """A district admin at ``org`` or above assigns an appeal that no eligible reviewer could take."""
    return Role.DISTRICT_ADMIN in roles_at(user, org)


def can_enrol(user, org: OrgUnit) -> bool:
    """A handler (or district admin) at ``org`` or above enrols its members."""
    return bool(ACTING_ROLES & roles_at(user, org))


def can_confirm_payment(user, org: OrgUnit) -> bool:
    """A finance officer at ``org`` or above (premiums, claim payments)."""
    return bool(FINANCE_ROLES & roles_at(user, org))


def can_reveal_bank_account(user, claim: Claim) -> bool:
    """May see the payee's bank account in full (each reveal is audited)."""
    return bool(set(REVEAL_ROLES) & roles_at(user, claim.member.org))


def get_claim_for(user, pk: int, *, for_change: bool = False) -> Claim:
    """The claim, when the user may see it (404 otherwise); with ``for_change``, 403 unless they may act on
    it: review it, or act for the member."""
    qs = Claim.objects.select_related("member", "member__org", "benefit", "scheme", "member__user")
    claim = get_in_scope_or_404(qs, user, pk=pk)
    if for_change and not (can_review(user, claim.member.org) or can_act_for(user, claim.member)):
        raise PermissionDenied
    return claim

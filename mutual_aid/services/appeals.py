"""Appealing a rejection: once, within APPEAL_DAYS, decided by a reviewer who did not decide the claim."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from union_portal.audit import audit_record
from union_portal.models import User
from union_portal.notifications import notify
from union_portal.roles import Role, role_holders
from union_portal.uploads import check_upload

from .. import locks
from ..models import Claim, ClaimDocument
from ..permissions import can_act_for, can_assign_appeal, can_review, is_own_claim
from ._common import _attach_documents, _event, _notify_event, _require

# Calendar days (DOMAIN: "appealed once within 30 days"), counted as a legal deadline from the day after the
# decision.
APPEAL_DAYS = 30


def appeal_deadline(decided_on: dt.date) -> dt.date:
    """The last day to appeal a decision made on ``decided_on`` (decided 2026-12-01: by 2026-12-31). The decision
    letter gives this date; the portal takes an appeal until that day ends."""
    return decided_on + dt.timedelta(days=APPEAL_DAYS)


def can_appeal(claim: Claim, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        claim.status == Claim.Status.REJECTED
        and claim.appealed_at is None
        and claim.decided_at is not None
        and timezone.localdate(now) <= appeal_deadline(timezone.localdate(claim.decided_at))
    )


@transaction.atomic
def claim_appeal(*, by: User, claim: Claim, reason: str, documents: list | tuple = ()) -> Claim:
    """Appeal a rejection, once, within 30 days, with ``documents`` (uploads, stored as claim documents of kind
    APPEAL, shown to the appeal's reviewer). The appeal goes to the reviewer with the fewest open
    appeals among those who did not decide this claim and are not its claimant (``is_own_claim``); when there
    is none it stays unassigned and the district admins over the member's union are told to assign it
    (``appeal_assign``)."""
    claim = locks.claim_for_update(claim.pk)
    if not can_act_for(by, claim.member):
        raise PermissionDenied
    _require(claim.status == Claim.Status.REJECTED, _("Only a rejected claim can be appealed."))
    _require(claim.appealed_at is None, _("This claim was appealed already; a claim can be appealed once."))
    _require(can_appeal(claim), _("The %(days)s days for an appeal have passed.") % {"days": APPEAL_DAYS})
    _require(bool(reason.strip()), _("Say why you appeal."), "reason")
    checked = []
    for upload in documents:
        try:
            checked.append((ClaimDocument.Kind.APPEAL, upload, check_upload(upload)))
        except ValidationError as exc:
            raise ValidationError({"documents": exc.messages}) from None
    reviewer = _least_loaded(_eligible_appeal_reviewers(claim))
    claim.status = Claim.Status.APPEALED
    claim.appealed_at = timezone.now()
    claim.appeal_reason = reason.strip()[:500]
    claim.appeal_reviewer = reviewer
    claim.save()
    _attach_documents(claim, checked, by=by)
    event = _event(claim, action="appealed", from_status=Claim.Status.REJECTED, by=by, note=claim.appeal_reason)
    if reviewer is None:
        _tell_district_admins(claim)
    _notify_event(
        claim,
        event,
        _("Appeal received"),
        _("Your appeal against the decision on claim %(number)s was received and will be reviewed by another reviewer.")
        % {"number": claim.number},
    )
    return claim


def _eligible_appeal_reviewers(claim: Claim) -> list[User]:
    """Reviewers over the member's union who did not decide this claim and whose own claim it is not: not
    linked to the claim's member, and not holding a membership with the claim's member's ID number."""
    deciders = {pk for pk in (claim.first_reviewer_id, claim.second_reviewer_id, claim.rejected_by_id) if pk}
    member = claim.member
    qs = role_holders(Role.REVIEWER, at_or_above=member.org).exclude(pk__in=deciders)
    qs = qs.exclude(member__id_number_hash=member.id_number_hash)
    if member.user_id:
        qs = qs.exclude(pk=member.user_id)
    return list(qs)


def _least_loaded(eligible: list[User]) -> User | None:
    if not eligible:
        return None
    load = dict(
        Claim.objects.filter(status=Claim.Status.APPEALED, appeal_reviewer__in=eligible)
        .values_list("appeal_reviewer")
        .annotate(n=Count("id"))
    )
    return min(eligible, key=lambda u: (load.get(u.pk, 0), u.pk))


def _tell_district_admins(claim: Claim) -> None:
    for admin in role_holders(Role.DISTRICT_ADMIN, at_or_above=claim.member.org):
        notify(
            user=admin,
            event_key=f"mutual_aid.claim.{claim.pk}.appeal_unassigned.{admin.pk}",
            title=_("An appeal needs a reviewer"),
            body=_(
                "No reviewer who did not decide claim %(number)s and is not its claimant is available. "
                "Assign the appeal to a reviewer."
            )
            % {"number": claim.number},
            link=claim.get_absolute_url(),
        )


def appeal_reviewer_choices(claim: Claim) -> list[User]:
    """The reviewers an unassigned (or reassigned) appeal may go to."""
    return _eligible_appeal_reviewers(claim)


@transaction.atomic
def appeal_assign(*, by: User, claim: Claim, reviewer: User) -> Claim:
    """A district admin over the member's union gives an appeal to a reviewer who may decide it: a reviewer
    over the member's union who did not decide the claim and whose own claim it is not. The admin may not
    assign an appeal of their own claim."""
    claim = locks.claim_for_update(claim.pk)
    if not can_assign_appeal(by, claim.member.org):
        raise PermissionDenied
    _require(claim.status == Claim.Status.APPEALED, _("This claim has no appeal under review."))
    _require(not is_own_claim(by, claim), _("You cannot assign the appeal of your own claim."))
    eligible = {u.pk for u in _eligible_appeal_reviewers(claim)}
    _require(
        reviewer.pk in eligible and can_review(reviewer, claim.member.org),
        _("This reviewer decided the claim, is its claimant or does not review this union."),
        "reviewer",
    )
    claim.appeal_reviewer = reviewer
    claim.save(update_fields=["appeal_reviewer", "updated_at"])
    audit_record(actor=by, action="mutual_aid.appeal_assigned", obj=claim, detail={"reviewer": reviewer.pk})
    return claim

"""Appealing a rejection: once, within APPEAL_DAYS, decided by a reviewer who did not decide the claim."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from union_portal.models import User
from union_portal.roles import Role, role_holders

from .. import locks
from ..models import Claim
from ..permissions import can_act_for
from ._common import _event, _notify_event, _require

APPEAL_DAYS = 30


def can_appeal(claim: Claim, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        claim.status == Claim.Status.REJECTED
        and claim.appealed_at is None
        and claim.decided_at is not None
        and now - claim.decided_at <= dt.timedelta(days=APPEAL_DAYS)
    )


@transaction.atomic
def claim_appeal(*, by: User, claim: Claim, reason: str) -> Claim:
    """Appeal a rejection, once, within 30 days. The appeal goes to the reviewer with the fewest open
    appeals among those who did not decide this claim."""
    claim = locks.claim_for_update(claim.pk)
    if not can_act_for(by, claim.member):
        raise PermissionDenied
    _require(claim.status == Claim.Status.REJECTED, _("Only a rejected claim can be appealed."))
    _require(claim.appealed_at is None, _("This claim was appealed already; a claim can be appealed once."))
    _require(can_appeal(claim), _("The %(days)s days for an appeal have passed.") % {"days": APPEAL_DAYS})
    _require(bool(reason.strip()), _("Say why you appeal."), "reason")
    deciders = {pk for pk in (claim.first_reviewer_id, claim.second_reviewer_id, claim.rejected_by_id) if pk}
    eligible = list(role_holders(Role.REVIEWER, at_or_above=claim.member.org).exclude(pk__in=deciders))
    _require(bool(eligible), _("No reviewer who did not decide this claim is available; contact the federation."))
    load = dict(
        Claim.objects.filter(status=Claim.Status.APPEALED, appeal_reviewer__in=eligible)
        .values_list("appeal_reviewer")
        .annotate(n=Count("id"))
    )
    reviewer = min(eligible, key=lambda u: (load.get(u.pk, 0), u.pk))
    claim.status = Claim.Status.APPEALED
    claim.appealed_at = timezone.now()
    claim.appeal_reason = reason.strip()[:500]
    claim.appeal_reviewer = reviewer
    claim.save()
    event = _event(claim, action="appealed", from_status=Claim.Status.REJECTED, by=by, note=claim.appeal_reason)
    _notify_event(
        claim,
        event,
        _("Appeal received"),
        _("Your appeal against the decision on claim %(number)s was received and will be reviewed by another reviewer.")
        % {"number": claim.number},
    )
    return claim

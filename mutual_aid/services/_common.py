"""Helpers the mutual-aid services share: validation, claim events with their audit row and notification,
queueing the automatic review after commit."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from union_portal.audit import audit_record
from union_portal.enqueue import enqueue
from union_portal.models import User
from union_portal.money import fits_money_field, is_whole_fen, round_fen
from union_portal.notifications import notify

from ..models import Claim, ClaimDocument, ClaimEvent


def _require(condition: bool, message: str, field: str | None = None) -> None:
    if not condition:
        raise ValidationError({field: message} if field else message)


def _notify_event(claim: Claim, event: ClaimEvent, title: str, body: str) -> None:
    member = claim.member
    if member.user_id is None:
        return
    notify(
        user=member.user,
        event_key=f"mutual_aid.claim.{claim.pk}.{event.action}.{event.pk}",
        title=title,
        body=body,
        link=claim.get_absolute_url(),
        phone=member.mobile or "",
        email=member.email or "",
    )


def _event(
    claim: Claim, *, action: str, from_status: str, by: User, note: str = "", amount=None, at: dt.datetime | None = None
) -> ClaimEvent:
    event = ClaimEvent.objects.create(
        claim=claim, action=action, from_status=from_status, to_status=claim.status, by=by, note=note, amount=amount
    )
    if at is not None:  # a service given ``now=`` dates its event so (``at`` is auto_now_add)
        ClaimEvent.objects.filter(pk=event.pk).update(at=at)
        event.at = at
    audit_record(
        actor=by,
        action=f"mutual_aid.claim_{action}",
        obj=claim,
        detail={"from": from_status, "to": claim.status, "note": note, "amount": str(amount) if amount else ""},
    )
    return event


def _enqueue_review(claim: Claim) -> None:
    pk, submission = claim.pk, claim.submission
    transaction.on_commit(lambda: _send_review(pk, submission))


def _send_review(pk: int, submission: int) -> None:
    """Queue the automatic review. The claim is already committed: a broker that is down must not lose it
    nor fail the worker's request. The review then runs when the periodic sweep (requeue_stale_reviews)
    finds the claim still SUBMITTED once the broker is back."""
    from ..tasks import auto_review_task

    enqueue(auto_review_task, pk, submission, what=f"the review of claim {pk}")


def _clean_amount(value, label: str, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except Exception:  # noqa: BLE001 - any unparsable input is the same user error
        raise ValidationError({field: _("%(what)s is not a number.") % {"what": label}}) from None
    if not amount.is_finite():
        raise ValidationError({field: _("%(what)s is not a number.") % {"what": label}})
    if not fits_money_field(amount):
        raise ValidationError({field: _("%(what)s is too large.") % {"what": label}})
    if amount < 0:
        raise ValidationError({field: _("%(what)s cannot be negative.") % {"what": label}})
    if not is_whole_fen(amount):
        raise ValidationError({field: _("%(what)s has more than two decimals.") % {"what": label}})
    return round_fen(amount)


def _attach_documents(claim: Claim, checked: list, *, by: User) -> None:
    """Store the claim's uploaded documents, each already checked (``(kind, upload, content_kind)``)."""
    for kind, upload, content_kind in checked:
        ClaimDocument.objects.create(
            claim=claim,
            kind=kind,
            file=upload,
            content_kind=content_kind,
            original_name=(getattr(upload, "name", "") or "")[:200],
            uploaded_by=by,
        )

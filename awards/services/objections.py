"""Objections to a nomination during the public notice: filed, answered, the objector's phone revealed."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from union_portal.audit import audit_record
from union_portal.identity import validate_mobile
from union_portal.models import User
from union_portal.notices import services as notices
from union_portal.notices.models import Objection
from union_portal.notifications import notify
from union_portal.roles import Role, role_holders

from ..models import Nomination, Round
from ..permissions import can_answer_objection


@transaction.atomic
def objection_file(
    *, nomination: Nomination, name: str, phone: str, code: str, content: str, today: dt.date | None = None
) -> Objection:
    """Anyone may object to a candidate on public notice, with real name and a mobile phone proven by the
    one-time code sent to it (``notices.OBJECTION_CODE_PURPOSE``). The objection is filed against the round's
    notice (the core's notices capability), about this candidate."""
    round_ = Round.objects.select_related("notice").get(pk=nomination.round_id)  # fresh: may predate the notice
    nomination = Nomination.objects.get(pk=nomination.pk)
    if round_.status != Round.Status.NOTICE or nomination.status != Nomination.Status.PASSED:
        raise ValidationError(_("This candidate is not on public notice."), code="stage")
    assert round_.notice is not None  # a round on notice has its notice
    try:
        objection = notices.objection_file(
            notice=round_.notice,
            item=nomination,
            name=name,
            phone=phone,
            code=code,
            content=content,
            validate_phone=validate_mobile,
            today=today,
        )
    except ValidationError as exc:
        if getattr(exc, "code", None) == "stage":
            raise ValidationError(_("This candidate is not on public notice."), code="stage") from exc
        raise
    for admin in role_holders(Role.DISTRICT_ADMIN, at=round_.org, active_only=False):
        notify(
            user=admin,
            event_key=f"awards.objection.{objection.pk}.{admin.pk}",
            title=_("Objection to %(name)s") % {"name": nomination.candidate_name},
            body=nomination.award_type.name,
            link=reverse("awards:objection_detail", args=[objection.pk]),
        )
    return objection


def objection_answer(*, by: User, objection: Objection, status: str, answer: str) -> Objection:
    """Record the finding of the investigation and the answer. An upheld objection does not withdraw the
    candidate by itself: the district withdraws them explicitly."""
    if not can_answer_objection(by, objection):
        raise PermissionDenied
    return notices.objection_answer(by=by, objection=objection, status=status, answer=answer)


def objection_reveal_phone(*, by: User, objection: Objection) -> str:
    """The objector's full number, for the district admin investigating; every reveal and every refusal is
    audited (as ``members.reveal``)."""
    if not can_answer_objection(by, objection):
        audit_record(actor=by, action="awards.reveal", obj=objection, result="denied", detail={"field": "phone"})
        raise PermissionDenied
    return notices.objection_reveal_phone(by=by, objection=objection)

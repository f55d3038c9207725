"""Every write of the public-notice capability. The calling app checks who may act (its permissions) and
records its own state change; these functions keep the notice, the objections and the review record."""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from union_portal import onetime, workdays
from union_portal.audit import audit_record
from union_portal.notifications import notify

from .locks import objection_for_update
from .models import Objection, PublicNotice, ReviewStep

if TYPE_CHECKING:
    from union_portal.models import User

# The one-time code (union_portal.onetime) that proves an objector's mobile number.
OBJECTION_CODE_PURPOSE = "objection"


@transaction.atomic
def notice_open(
    *,
    by: "User",
    subject: models.Model,
    org,
    title: str,
    starts_on: dt.date,
    working_days: int,
    unit_name: str = "",
    audience: str = PublicNotice.Audience.PUBLIC,
) -> PublicNotice:
    """Put ``subject`` on public notice for ``working_days`` working days from ``starts_on`` (a notice counts
    its first day). The last day is derived from the calendar (``PublicNotice.last_day``); its current value
    and warnings are stored as a denormalised copy for queries. Refuses a second open notice of the same
    subject (also a partial unique constraint)."""
    if working_days < 1:
        raise ValidationError(_("A public notice runs for at least one working day."), code="dates")
    ends_on, warnings = workdays.end_date(starts_on, working_days)
    subject_type = ContentType.objects.get_for_model(subject)
    if PublicNotice.objects.filter(
        subject_type=subject_type, subject_id=subject.pk, status=PublicNotice.Status.OPEN
    ).exists():
        raise ValidationError(_("This is already on public notice."), code="open")
    return PublicNotice.objects.create(
        subject_type=subject_type,
        subject_id=subject.pk,
        org=org,
        title=title[:200],
        unit_name=unit_name[:200],
        audience=audience,
        working_days=working_days,
        starts_on=starts_on,
        ends_on=ends_on,
        warnings=list(warnings),
        created_by=by,
    )


def notice_close(*, notice: PublicNotice, today: dt.date | None = None) -> PublicNotice:
    """Mark a notice closed (its last day has passed or its subject moved on). Idempotent. Precondition: the
    caller holds the lock of the subject whose state moves with it."""
    if notice.status != PublicNotice.Status.CLOSED:
        notice.status = PublicNotice.Status.CLOSED
        notice.closed_on = today or timezone.localdate()
        notice.save(update_fields=["status", "closed_on"])
    return notice


@transaction.atomic
def objection_file(
    *,
    notice: PublicNotice,
    name: str,
    phone: str,
    content: str,
    validate_phone: Callable[[str], str],
    code: str,
    item: models.Model | None = None,
    today: dt.date | None = None,
) -> Objection:
    """Anyone may object while the notice runs, with real name and mobile phone. ``validate_phone`` normalises
    the number or raises ValidationError (the identity checks; the caller passes them in). The number is
    proven by ``code``, the one-time code sent to it for ``objection`` (union_portal.onetime), so nobody files
    under another person's number. Audited as ``<app>.objection_file`` with no actor."""
    today = today or timezone.localdate()
    notice = PublicNotice.objects.get(pk=notice.pk)  # fresh: the caller's copy may predate a closing
    if not notice.is_running(today):
        raise ValidationError(_("This is not on public notice."), code="stage")
    errors: dict = {}
    if len((name or "").strip()) < 2:
        errors["name"] = _("Give your real name.")
    try:
        phone = validate_phone(phone)
    except ValidationError as exc:
        errors["phone"] = exc.messages
    if not (content or "").strip():
        errors["content"] = _("Write what you object to.")
    if errors:
        raise ValidationError(errors)
    try:
        onetime.verify_code(purpose=OBJECTION_CODE_PURPOSE, mobile=phone, code=code)
    except ValidationError as exc:
        raise ValidationError({"code": exc.messages}) from exc
    objection = Objection(notice=notice, name=name.strip(), phone=phone, content=content.strip())
    if item is not None:
        objection.item = item
    objection.save()
    audit_record(actor=None, action=f"{notice.app_label}.objection_file", obj=objection)
    return objection


@transaction.atomic
def objection_answer(*, by: "User", objection: Objection, status: str, answer: str) -> Objection:
    """Record the finding of the investigation and the answer to the objector. Precondition: the caller
    checked that ``by`` may answer. Locks the objection."""
    objection = objection_for_update(objection)
    if objection.status != Objection.Status.OPEN:
        raise ValidationError(_("This objection has already been answered."), code="stage")
    if status not in (Objection.Status.UPHELD, Objection.Status.DISMISSED):
        raise ValidationError({"status": _("Choose upheld or not upheld.")})
    if not (answer or "").strip():
        raise ValidationError({"answer": _("Write the answer to the objector.")})
    objection.status, objection.answer = status, answer.strip()
    objection.answered_by, objection.answered_at = by, timezone.now()
    objection.save()
    audit_record(
        actor=by, action=f"{objection.notice.app_label}.objection_answer", obj=objection, detail={"status": status}
    )
    return objection


def objection_reveal_phone(*, by: "User", objection: Objection) -> str:
    """The objector's full number, for the staff investigating. Precondition: the caller checked that ``by``
    may answer the objection. Every reveal is audited, as a member's ID number is."""
    audit_record(actor=by, action=f"{objection.notice.app_label}.reveal", obj=objection, detail={"field": "phone"})
    return objection.phone


def review_record(*, by: "User", subject: models.Model, stage: str, decision: str, comment: str = "") -> ReviewStep:
    """One step of a staged review. A return needs a comment saying what must change. Precondition: the
    caller holds the lock of ``subject`` and checked that ``by`` may review it at ``stage``."""
    if decision not in ReviewStep.Decision.values:
        raise ValidationError({"decision": _("Choose pass or return.")})
    if decision == ReviewStep.Decision.RETURN and not (comment or "").strip():
        raise ValidationError({"comment": _("Say what must be changed.")}, code="comment")
    review = ReviewStep(stage=stage, decision=decision, comment=(comment or "").strip(), by=by)
    review.subject = subject
    review.save()
    return review


@dataclass(frozen=True)
class NoticeMove:
    """An open notice whose last day moved when the holiday table changed."""

    notice: PublicNotice
    old: dt.date
    new: dt.date


def notices_reevaluate(*, app_label: str) -> list[NoticeMove]:
    """Recompute the stored end date and warnings of every open notice about an object of ``app_label`` from
    the calendar as it is now, and return those whose end date moved. Each app calls it for its own notices
    from its ``workdays.calendar_changed`` handler (and its nightly sweep) and tells the owners. Idempotent: a
    second run finds nothing to move. Locks each notice while it is checked."""
    subject_types = ContentType.objects.filter(app_label=app_label)
    open_ids = (
        PublicNotice.objects.filter(status=PublicNotice.Status.OPEN, subject_type__in=subject_types)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    moves = [_notice_refresh(pk) for pk in open_ids]
    return [move for move in moves if move is not None]


@transaction.atomic
def _notice_refresh(notice_id: int) -> NoticeMove | None:
    notice = PublicNotice.objects.select_for_update().get(pk=notice_id)
    if notice.status != PublicNotice.Status.OPEN:
        return None
    ends_on, warnings = workdays.end_date(notice.starts_on, notice.working_days)
    if ends_on == notice.ends_on and warnings == notice.warnings:
        return None
    old = notice.ends_on
    notice.ends_on, notice.warnings = ends_on, warnings
    notice.save(update_fields=["ends_on", "warnings"])
    return NoticeMove(notice=notice, old=old, new=ends_on) if ends_on != old else None


def notice_tell_moved(*, move: NoticeMove, users: Iterable["User"], link: str = "") -> int:
    """Tell each of ``users`` (the notice's owners, as the app sees them) that its last day moved. Once per
    user, move and calendar version: the same re-evaluation run twice tells nobody twice. Returns how many
    were told."""
    version = workdays.calendar_version()
    told = 0
    for user in users:
        told += (
            notify(
                user=user,
                event_key=f"notice:{move.notice.pk}:ends:{move.old}:{move.new}:{version}:{user.pk}",
                title=_("A public notice ends on another day"),
                body=_(
                    'The public notice "%(title)s" now ends on %(new)s instead of %(old)s (holiday arrangements '
                    "changed)."
                )
                % {
                    "title": move.notice.title,
                    "old": date_format(move.old, "DATE_FORMAT"),
                    "new": date_format(move.new, "DATE_FORMAT"),
                },
                link=link,
            )
            is not None
        )
    return told

"""Union founding (建会): an enterprise's application, approved into a new grassroots union, or rejected."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from union_portal import hooks, onetime
from union_portal.audit import audit_record
from union_portal.identity import validate_mobile
from union_portal.models import OrgUnit, User
from union_portal.notifications import notify

from .. import locks
from ..models import Enterprise, FoundingApplication
from ..permissions import can_manage_enterprises
from .org_units import org_unit_create


@transaction.atomic
def founding_submit(
    *,
    by: User,
    enterprise: Enterprise,
    union_name: str,
    chair_name: str,
    meeting_date: dt.date,
    member_count: int,
    election_result,
    applicant_name: str,
    applicant_phone: str,
    code: str = "",
    now: dt.datetime | None = None,
) -> FoundingApplication:
    """File a founding application for an enterprise that has no union; the election result is required.
    Anyone logged in may file (the firm itself or the township organiser).

    Against squatting (one pending application per enterprise blocks every other): an applicant who is not
    staff of the enterprise's township proves the applicant's mobile with the one-time code sent to it
    (``FOUNDING_CODE_PURPOSE``), and their pending application blocks others only for FOUNDING_PENDING_DAYS;
    after that it lapses when someone else applies. Township staff (who decide the applications) supersede a
    pending application by filing their own. A lapsed or superseded application is marked ``superseded``,
    its filer told. Locks the enterprise row, so two filings for one firm are decided one after the other."""
    now = now or timezone.now()
    staff = can_manage_enterprises(by, enterprise.township)
    try:
        applicant_phone = validate_mobile(applicant_phone)
    except ValidationError as exc:
        raise ValidationError({"applicant_phone": exc.messages}) from exc
    if not staff:
        try:
            onetime.verify_code(purpose=FOUNDING_CODE_PURPOSE, mobile=applicant_phone, code=code)
        except ValidationError as exc:
            raise ValidationError({"code": exc.messages}) from exc
    enterprise = locks.enterprise_for_update(enterprise.pk)
    if enterprise.union_id is not None:
        raise ValidationError(_("This enterprise already has a union."))
    pending = FoundingApplication.objects.filter(
        enterprise=enterprise, status=FoundingApplication.Status.PENDING
    ).first()
    if pending is not None:
        lapsed = pending.created_at <= now - dt.timedelta(days=settings.FOUNDING_PENDING_DAYS)
        if not (staff or lapsed):
            raise ValidationError(_("A founding application for this enterprise is already waiting for a decision."))
        _supersede(by=by if staff else None, application=pending, lapsed=not staff)
    if meeting_date > timezone.localdate():
        raise ValidationError({"meeting_date": _("The founding meeting cannot be in the future.")})
    if member_count < 1:
        raise ValidationError({"member_count": _("A union needs at least one founding member.")})
    if not election_result:
        raise ValidationError({"election_result": _("Attach the founding meeting's election result.")})
    application = FoundingApplication.objects.create(
        enterprise=enterprise,
        township=enterprise.township,
        union_name=union_name.strip(),
        chair_name=chair_name.strip(),
        meeting_date=meeting_date,
        member_count=member_count,
        election_result=election_result,
        applicant_name=applicant_name.strip(),
        applicant_phone=applicant_phone.strip(),
        submitted_by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit_record(actor=by, action="founding.submit", obj=application, detail={"enterprise": enterprise.uscc})
    return application


FOUNDING_CODE_PURPOSE = "founding"


def _supersede(*, by: User | None, application: FoundingApplication, lapsed: bool) -> None:
    """Mark a pending application superseded (by township staff's own filing, or lapsed after
    FOUNDING_PENDING_DAYS) and tell its filer. Precondition: the enterprise row is locked."""
    application.status = FoundingApplication.Status.SUPERSEDED
    application.decided_by = by
    application.decided_at = timezone.now()
    application.save()
    audit_record(
        actor=by,
        action="founding.supersede",
        obj=application,
        detail={"reason": "lapsed" if lapsed else "township"},
    )
    if application.submitted_by_id:
        notify(
            user=application.submitted_by,
            event_key=f"founding:{application.pk}:superseded",
            title=_("Union founding application superseded"),
            body=_("Your application lapsed undecided and another application was filed.")
            if lapsed
            else _("The township union filed the founding application of this enterprise itself."),
            link=application.get_absolute_url(),
        )


def _next_union_code(township: OrgUnit) -> str:
    prefix = f"{township.code}-"
    taken = set(OrgUnit.objects.filter(code__startswith=prefix).values_list("code", flat=True))
    n = 1
    while f"{prefix}{n:03d}" in taken:
        n += 1
    return f"{prefix}{n:03d}"


@transaction.atomic
def founding_approve(*, by: User, application: FoundingApplication, reason: str = "") -> OrgUnit:
    """Approve a pending founding application: create the grassroots union under the application's
    township, link the enterprise to it, tell the applicant. Locks the application row; township staff
    (or admins above) of that township only. Returns the new union.

    This is the single place where a founding is approved: it fires ``members.enterprise_unionised``
    (union_portal.hooks), which the apps above subscribe to for their follow-up steps (such as handing over
    the founding reserve), run after commit."""
    application = locks.founding_application_for_update(application.pk)
    if not can_manage_enterprises(by, application.township):
        raise PermissionDenied
    if application.status != FoundingApplication.Status.PENDING:
        raise ValidationError(_("This application has already been decided."))
    enterprise = locks.enterprise_for_update(application.enterprise_id)
    if enterprise.union_id is not None:
        raise ValidationError(_("This enterprise already has a union."))
    union = org_unit_create(
        by=by,
        parent=application.township,
        code=_next_union_code(application.township),
        name=application.union_name,
        kind=OrgUnit.Kind.GRASSROOTS,
    )
    enterprise.union = union
    enterprise.save(update_fields=["union", "updated_at"])
    application.status = FoundingApplication.Status.APPROVED
    application.union = union
    application.decided_by = by
    application.decided_at = timezone.now()
    application.decision_reason = reason.strip()
    application.save()
    audit_record(actor=by, action="founding.approve", obj=application, detail={"union": union.code})
    # After commit, the apps that care take it from here (union funds hands over the founding reserve).
    hooks.fire("members.enterprise_unionised", enterprise_id=enterprise.pk, union_id=union.pk)
    if application.submitted_by_id:
        notify(
            user=application.submitted_by,
            event_key=f"founding:{application.pk}:approved",
            title=_("Union founding approved"),
            body=_("The union of %(firm)s has been founded: %(union)s.")
            % {"firm": enterprise.name, "union": union.name},
            link=application.get_absolute_url(),
        )
    return union


@transaction.atomic
def founding_reject(*, by: User, application: FoundingApplication, reason: str) -> FoundingApplication:
    """Reject a pending founding application with a reason (required)."""
    application = locks.founding_application_for_update(application.pk)
    if not can_manage_enterprises(by, application.township):
        raise PermissionDenied
    if application.status != FoundingApplication.Status.PENDING:
        raise ValidationError(_("This application has already been decided."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason for the rejection.")})
    application.status = FoundingApplication.Status.REJECTED
    application.decided_by = by
    application.decided_at = timezone.now()
    application.decision_reason = reason.strip()
    application.save()
    audit_record(actor=by, action="founding.reject", obj=application, detail={"reason": reason})
    if application.submitted_by_id:
        notify(
            user=application.submitted_by,
            event_key=f"founding:{application.pk}:rejected",
            title=_("Union founding application rejected"),
            body=_("Reason: %(reason)s") % {"reason": reason},
            link=application.get_absolute_url(),
        )
    return application

"""The Ankang Cup's hazard reports and proposals: submitted by workers, assessed by the union."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from union_portal.audit import audit_record
from union_portal.models import User
from union_portal.money import round_fen
from union_portal.notifications import notify
from union_portal.uploads import check_upload

from .. import locks
from ..models import Campaign, Period, SafetyReport, Team
from ._common import _require_manager


def _current_period(campaign: Campaign) -> Period | None:
    today = timezone.localdate()
    open_periods = campaign.periods.filter(status=Period.Status.OPEN)
    return (
        open_periods.filter(starts_on__lte=today, ends_on__gte=today).first()
        or open_periods.order_by("-starts_on").first()
    )


@transaction.atomic
def safety_report_submit(
    *, by: User, campaign: Campaign, team: Team, kind: str, title: str, description: str, photo=None
) -> SafetyReport:
    """A worker reports a hazard or makes a proposal for a unit of an 安康杯, with an optional photo
    (JPEG/PNG, checked by content). It counts towards the campaign's current open period."""
    if campaign.kind != Campaign.Kind.ANKANG:
        raise ValidationError(_("Hazard reports and proposals belong to an Ankang Cup."))
    if team.campaign_id != campaign.pk:
        raise ValidationError({"team": _("The unit does not take part in this campaign.")})
    if kind not in SafetyReport.Kind.values:
        raise ValidationError({"kind": _("Choose hazard report or proposal.")})
    period = _current_period(campaign)
    if period is None:
        raise ValidationError(_("The campaign has no open period; reports are not accepted now."))
    if photo is not None:
        check_upload(photo, allowed=("jpeg", "png"))
    report = SafetyReport.objects.create(
        campaign=campaign,
        team=team,
        period=period,
        kind=kind,
        title=title,
        description=description,
        photo=photo or "",
        reporter=by,
    )
    audit_record(actor=by, action="competitions.report_submit", obj=report, detail={"kind": kind, "team": team.pk})
    return report


@transaction.atomic
def safety_report_assess(
    *, by: User, report: SafetyReport, adopt: bool, points=0, estimated_benefit=0, assessment: str = ""
) -> SafetyReport:
    """The union assesses a report: adopted with points credited to the unit's score for the period and the
    estimated benefit (yuan), or not adopted. Allowed while the report's period is open. Locks the period,
    then the report. The reporter is notified."""
    _require_manager(by, report.campaign)
    period, report = locks.safety_report_for_update(report)  # as scores: no credit after a close
    if period.status != Period.Status.OPEN:
        raise ValidationError(_("The period is closed; the assessment can no longer change."))
    try:
        points = Decimal(str(points or 0))
        benefit = round_fen(Decimal(str(estimated_benefit or 0)))
    except InvalidOperation:
        raise ValidationError(_("Enter numbers for points and benefit.")) from None
    if adopt and not (Decimal(0) <= points <= Decimal(10)):
        raise ValidationError({"points": _("Credit between 0 and 10 points.")})
    if benefit < 0:
        raise ValidationError({"estimated_benefit": _("The benefit cannot be negative.")})
    before = {"status": report.status, "points": str(report.points), "benefit": str(report.estimated_benefit)}
    report.status = SafetyReport.Status.ADOPTED if adopt else SafetyReport.Status.REJECTED
    report.points = points if adopt else Decimal(0)
    report.estimated_benefit = benefit if adopt else Decimal(0)
    report.assessment = assessment[:200]
    report.assessed_by = by
    report.assessed_at = timezone.now()
    report.save()
    audit_record(
        actor=by,
        action="competitions.report_assess",
        obj=report,
        detail={
            "before": before,
            "status": report.status,
            "points": str(report.points),
            "benefit": str(report.estimated_benefit),
        },
    )
    notify(
        user=report.reporter,
        event_key=f"competitions.report.{report.pk}.assessed.{report.assessed_at.isoformat()}",
        title=_("Your report was assessed: %(title)s") % {"title": report.title},
        body=report.get_status_display() + (f" · {report.assessment}" if report.assessment else ""),
        link=reverse("competitions:report_detail", args=[report.pk]),
    )
    return report

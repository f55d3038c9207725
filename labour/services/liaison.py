"""Writes of cadres' liaison (百名干部联基层): assign an enterprise to a cadre, end it, log a visit with the issues
raised, follow an issue up (a rights case or a bargaining round, through the other parts' services), close it."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from union_portal.audit import audit_record
from union_portal.notifications import notify

from ..models import IssueKind, IssueStatus, LiaisonAssignment, LiaisonIssue, LiaisonVisit
from ..permissions.liaison import can_assign, can_be_cadre_for, can_follow_up, can_log_visit


@dataclass(frozen=True)
class IssueInput:
    kind: str
    description: str


@transaction.atomic
def assignment_create(*, by, cadre, enterprise, today: dt.date | None = None) -> LiaisonAssignment:
    """Assign ``enterprise`` to ``cadre`` (district or township staff whose area holds it); ``by`` must be the
    district admin or township staff over the enterprise. The cadre is told."""
    today = today or timezone.localdate()
    if not can_assign(by, enterprise):
        raise PermissionDenied
    if not can_be_cadre_for(cadre, enterprise):
        raise ValidationError(
            {"cadre": _("%(name)s is not district or township staff over this enterprise.") % {"name": cadre}}
        )
    if LiaisonAssignment.objects.filter(cadre=cadre, enterprise=enterprise, ended_on__isnull=True).exists():
        raise ValidationError({"enterprise": _("This enterprise is already assigned to this cadre.")})
    assignment = LiaisonAssignment.objects.create(
        cadre=cadre, enterprise=enterprise, org=enterprise.township, assigned_on=today, assigned_by=by
    )
    audit_record(actor=by, action="labour.liaison.assign", obj=assignment, detail={"cadre": cadre.pk})
    notify(
        user=cadre,
        event_key=f"labour.liaison.assign.{assignment.pk}",
        title=_("An enterprise to visit: %(name)s") % {"name": enterprise.name},
        body=_("You are the liaison cadre of %(name)s. Log each visit and the issues raised.")
        % {"name": enterprise.name},
        link=reverse("labour:liaison_assignment", args=[assignment.pk]),
    )
    return assignment


@transaction.atomic
def assignment_end(*, by, assignment: LiaisonAssignment, today: dt.date | None = None) -> LiaisonAssignment:
    today = today or timezone.localdate()
    assignment = LiaisonAssignment.objects.select_for_update().select_related("enterprise").get(pk=assignment.pk)
    if not can_assign(by, assignment.enterprise):
        raise PermissionDenied
    if assignment.ended_on is not None:
        raise ValidationError(_("This assignment has already ended."))
    assignment.ended_on = today
    assignment.save(update_fields=["ended_on"])
    audit_record(actor=by, action="labour.liaison.end", obj=assignment)
    return assignment


@transaction.atomic
def visit_log(
    *,
    by,
    assignment: LiaisonAssignment,
    visited_on: dt.date,
    met_whom: str,
    notes: str = "",
    issues: Sequence[IssueInput] = (),
    today: dt.date | None = None,
) -> LiaisonVisit:
    """The cadre logs a visit and the issues raised there. Refused whole for a date in the future or before the
    assignment, nobody met, or an issue without words."""
    today = today or timezone.localdate()
    assignment = LiaisonAssignment.objects.select_for_update().select_related("enterprise").get(pk=assignment.pk)
    if not can_log_visit(by, assignment):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if visited_on > today:
        errors["visited_on"] = [_("The date cannot be in the future.")]
    elif visited_on < assignment.assigned_on:
        errors["visited_on"] = [
            _("The visit cannot be before the assignment (%(day)s).") % {"day": assignment.assigned_on.isoformat()}
        ]
    if not met_whom.strip():
        errors["met_whom"] = [_("Say whom you met.")]
    for number, item in enumerate(issues, start=1):
        if item.kind not in IssueKind.values:
            errors.setdefault("issues", []).append(_("Issue %(number)s: choose its kind.") % {"number": number})
        if not item.description.strip():
            errors.setdefault("issues", []).append(_("Issue %(number)s: describe it.") % {"number": number})
    if errors:
        raise ValidationError(errors)
    visit = LiaisonVisit.objects.create(
        assignment=assignment, visited_on=visited_on, met_whom=met_whom.strip(), notes=notes.strip(), created_by=by
    )
    LiaisonIssue.objects.bulk_create(
        [LiaisonIssue(visit=visit, kind=item.kind, description=item.description.strip()) for item in issues]
    )
    audit_record(actor=by, action="labour.liaison.visit", obj=visit, detail={"issues": len(issues)})
    if issues and assignment.assigned_by_id != by.pk:
        notify(
            user=assignment.assigned_by,
            event_key=f"labour.liaison.visit.{visit.pk}",
            title=_("Issues raised at %(name)s") % {"name": assignment.enterprise.name},
            body=_("%(count)s issue(s) raised on a liaison visit on %(day)s.")
            % {"count": len(issues), "day": visited_on.isoformat()},
            link=reverse("labour:liaison_assignment", args=[assignment.pk]),
        )
    return visit


def _locked_open_issue(by, issue: LiaisonIssue) -> LiaisonIssue:
    issue = (
        LiaisonIssue.objects.select_for_update()
        .select_related("visit__assignment__enterprise__township", "visit__assignment__cadre")
        .get(pk=issue.pk)
    )
    if not can_follow_up(by, issue):
        raise PermissionDenied
    if issue.status != IssueStatus.OPEN:
        raise ValidationError(_("This issue has already been followed up or closed."))
    return issue


@transaction.atomic
def issue_open_case(
    *,
    by,
    issue: LiaisonIssue,
    case_type: str,
    worker_name: str,
    worker_mobile: str,
    facts: str = "",
    requests: str = "",
    confidential: bool = True,
    worker_count: int = 1,
    today: dt.date | None = None,
) -> LiaisonIssue:
    """Open a rights case (source "liaison") from an open issue and link it; the case and the link stand or
    fall together."""
    from labour.services.cases import case_record  # the cases part's service

    issue = _locked_open_issue(by, issue)
    enterprise = issue.visit.assignment.enterprise
    case = case_record(
        by=by,
        case_type=case_type,
        facts=facts.strip() or issue.description,
        requests=requests,
        enterprise=enterprise,
        township=enterprise.township,
        worker_name=worker_name,
        worker_mobile=worker_mobile,
        confidential=confidential,
        worker_count=worker_count,
        source="liaison",
        today=today,
    )
    issue.rights_case = case
    issue.status = IssueStatus.FOLLOWED_UP
    issue.save(update_fields=["rights_case", "status", "updated_at"])
    audit_record(actor=by, action="labour.liaison.open_case", obj=issue, detail={"case": case.pk})
    return issue


@transaction.atomic
def issue_open_round(
    *, by, issue: LiaisonIssue, subject: str = "", note: str = "", today: dt.date | None = None
) -> LiaisonIssue:
    """Ask the enterprise, on the union's side, for a bargaining round about the issue, and link it."""
    from labour.services.contracts import round_request  # the contracts part's service

    today = today or timezone.localdate()
    issue = _locked_open_issue(by, issue)
    enterprise = issue.visit.assignment.enterprise
    round_ = round_request(
        by=by,
        enterprise=enterprise,
        requested_by="union",
        received_on=today,
        subject=subject.strip() or issue.description[:200],
        note=note,
        today=today,
    )
    issue.followup_kind = LiaisonIssue.FOLLOWUP_ROUND
    issue.followup_id = round_.pk
    issue.status = IssueStatus.FOLLOWED_UP
    issue.save(update_fields=["followup_kind", "followup_id", "status", "updated_at"])
    audit_record(actor=by, action="labour.liaison.open_round", obj=issue, detail={"round": round_.pk})
    return issue


@transaction.atomic
def issue_close(*, by, issue: LiaisonIssue, note: str, today: dt.date | None = None) -> LiaisonIssue:
    """Close an open or followed-up issue, saying how it was settled."""
    today = today or timezone.localdate()
    issue = LiaisonIssue.objects.select_for_update().select_related("visit__assignment__enterprise").get(pk=issue.pk)
    if not can_follow_up(by, issue):
        raise PermissionDenied
    if issue.status == IssueStatus.CLOSED:
        raise ValidationError(_("This issue is already closed."))
    if not note.strip():
        raise ValidationError({"note": _("Say how it was settled.")})
    issue.status = IssueStatus.CLOSED
    issue.closed_on = today
    issue.closing_note = note.strip()
    issue.save(update_fields=["status", "closed_on", "closing_note", "updated_at"])
    audit_record(actor=by, action="labour.liaison.close_issue", obj=issue, detail={"note": issue.closing_note})
    return issue

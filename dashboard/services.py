"""Every write of the dashboard: figure refreshes and assessments (surveys are the core's: union_portal.surveys).
Keyword-only, atomic, audited; each checks the caller may do it and the object is in a state that allows it."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from union_portal import tree
from union_portal.audit import audit_record
from union_portal.models import OrgUnit, User
from union_portal.permissions import can_administer
from union_portal.roles import ADMIN_ROLES
from union_portal.scoping import has_role
from union_portal.surveys.models import Survey
from union_portal.uploads import check_upload

from . import locks
from .models import AssessmentEntry, AssessmentItem, AssessmentScheme
from .permissions import can_enter_for
from .registry import get_metric

EVIDENCE_KINDS = ("pdf", "jpeg", "png")


# --- figures ---------------------------------------------------------------------------------------------


def figures_refresh_request(*, by: User) -> None:
    """Queue a refresh of every figure now (after commit). Admins only; audited."""
    if not has_role(by, *ADMIN_ROLES):
        raise PermissionDenied
    from .tasks import refresh_figures_task

    audit_record(actor=by, action="dashboard.refresh", object_type="dashboard.figuresnapshot")
    transaction.on_commit(lambda: refresh_figures_task.delay(requested_by_id=by.pk))


# --- assessment ------------------------------------------------------------------------------------------

TARGET_KINDS: dict[str, str] = {OrgUnit.Kind.DISTRICT: OrgUnit.Kind.TOWNSHIP, OrgUnit.Kind.CITY: OrgUnit.Kind.DISTRICT}


@transaction.atomic
def scheme_create(*, by: User, owner: OrgUnit, title: str, period: str) -> AssessmentScheme:
    """A draft checklist: the district assesses its townships, the city its districts."""
    if not can_administer(by, owner):
        raise PermissionDenied
    target = TARGET_KINDS.get(owner.kind)
    if target is None:
        raise ValidationError(_("Only the city and district federations run assessments."))
    if not (period.isdigit() and len(period) == 4):
        raise ValidationError({"period": _("Give the year, e.g. 2026.")})
    scheme = AssessmentScheme.objects.create(
        owner=owner, title=title.strip(), period=period, target_kind=target, created_by=by
    )
    audit_record(actor=by, action="assessment.create", obj=scheme)
    return scheme


@transaction.atomic
def item_add(
    *,
    by: User,
    scheme: AssessmentScheme,
    title: str,
    kind: str,
    weight: Decimal,
    metric: str = "",
    target: Decimal | None = None,
    lower_is_better: bool = False,
    survey: Survey | None = None,
    guidance: str = "",
) -> AssessmentItem:
    """Add a line to a draft or open checklist. A portal figure needs a registered metric and a target; a
    satisfaction item needs a survey of the same owner."""
    scheme = locks.scheme_for_update(scheme.pk)
    if not can_administer(by, scheme.owner):
        raise PermissionDenied
    if scheme.status == AssessmentScheme.Status.CLOSED:
        raise ValidationError(_("The assessment is closed."))
    if weight is None or weight <= 0:
        raise ValidationError({"weight": _("Points must be more than zero.")})
    if kind == AssessmentItem.Kind.FIGURE:
        found = get_metric(metric)
        if found is None or found.breakdown:
            raise ValidationError({"metric": _("Choose a figure the portal computes.")})
        if target is None or target <= 0:
            raise ValidationError({"target": _("A portal figure needs a target above zero.")})
    elif kind == AssessmentItem.Kind.SATISFACTION:
        if survey is None or survey.owner_id != scheme.owner_id:
            raise ValidationError({"survey": _("Choose one of your satisfaction surveys.")})
        metric, target = "", None
    else:
        metric, target, survey = "", None, None
    position = scheme.items.count() + 1
    item = AssessmentItem.objects.create(
        scheme=scheme,
        position=position,
        title=title.strip(),
        kind=kind,
        weight=weight,
        metric=metric,
        target=target,
        lower_is_better=lower_is_better,
        survey=survey,
        guidance=guidance,
    )
    audit_record(actor=by, action="assessment.item_add", obj=scheme, detail={"item": item.title, "kind": kind})
    return item


@transaction.atomic
def item_remove(*, by: User, item: AssessmentItem) -> None:
    """Remove a line from a draft checklist (once open, units may have entered against it)."""
    scheme = locks.scheme_for_update(item.scheme_id)
    if not can_administer(by, scheme.owner):
        raise PermissionDenied
    if scheme.status != AssessmentScheme.Status.DRAFT:
        raise ValidationError(_("Items can be removed only while the assessment is a draft."))
    audit_record(actor=by, action="assessment.item_remove", obj=scheme, detail={"item": item.title})
    item.delete()


@transaction.atomic
def scheme_set_status(*, by: User, scheme: AssessmentScheme, status: str) -> AssessmentScheme:
    """draft → open (entries may be made) → closed (results final)."""
    scheme = locks.scheme_for_update(scheme.pk)
    if not can_administer(by, scheme.owner):
        raise PermissionDenied
    allowed: dict[str, str] = {
        AssessmentScheme.Status.DRAFT: AssessmentScheme.Status.OPEN,
        AssessmentScheme.Status.OPEN: AssessmentScheme.Status.CLOSED,
    }
    if allowed.get(scheme.status) != status:
        raise ValidationError(_("This change of state is not allowed."))
    if status == AssessmentScheme.Status.OPEN and not scheme.items.exists():
        raise ValidationError(_("Add at least one item first."))
    before = scheme.status
    scheme.status = status
    scheme.save(update_fields=["status", "updated_at"])
    audit_record(actor=by, action="assessment.status", obj=scheme, detail={"from": before, "to": status})
    return scheme


@transaction.atomic
def entry_submit(*, by: User, item: AssessmentItem, unit: OrgUnit, statement: str, evidence=None) -> AssessmentEntry:
    """The assessed unit reports on a staff-entry item, with evidence (PDF or image, checked by content).
    Allowed while the assessment is open and before the entry is scored; resubmitting replaces it."""
    scheme = locks.scheme_for_update(item.scheme_id)
    if item.kind != AssessmentItem.Kind.ENTRY:
        raise ValidationError(_("This item is computed by the portal."))
    if unit.kind != scheme.target_kind or not tree.is_within(unit, scheme.owner):
        raise PermissionDenied
    if not can_enter_for(by, unit):
        raise PermissionDenied
    if scheme.status != AssessmentScheme.Status.OPEN:
        raise ValidationError(_("The assessment is not open for entries."))
    if not statement.strip():
        raise ValidationError({"statement": _("Describe what was done.")})
    if evidence is not None:
        check_upload(evidence, allowed=EVIDENCE_KINDS)
    entry = locks.entry_of_unit_for_update(item=item, unit=unit)
    if entry is not None and entry.score is not None:
        raise ValidationError(_("This entry has been scored and can no longer change."))
    if entry is None:
        entry = AssessmentEntry(item=item, unit=unit, entered_by=by, statement=statement.strip())
    entry.statement, entry.entered_by = statement.strip(), by
    if evidence is not None:
        entry.evidence = evidence
    entry.save()
    audit_record(actor=by, action="assessment.entry", obj=entry, detail={"item": item.pk, "unit": unit.code})
    return entry


@transaction.atomic
def entry_score(*, by: User, entry: AssessmentEntry, score: Decimal, note: str = "") -> AssessmentEntry:
    """The assessor scores an entry (0 … the item's points) while the assessment is open."""
    entry = locks.entry_for_update(entry.pk)
    scheme = entry.item.scheme
    if not can_administer(by, scheme.owner):
        raise PermissionDenied
    if scheme.status != AssessmentScheme.Status.OPEN:
        raise ValidationError(_("The assessment is not open."))
    if score is None or score < 0 or score > entry.item.weight:
        raise ValidationError({"score": _("The score must be between 0 and %(max)s.") % {"max": entry.item.weight}})
    before = entry.score
    entry.score, entry.scored_by, entry.score_note = score, by, note
    entry.save(update_fields=["score", "scored_by", "score_note"])
    audit_record(actor=by, action="assessment.score", obj=entry, detail={"from": str(before), "to": str(score)})
    return entry

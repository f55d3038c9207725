"""Every write of the dashboard: figure refreshes, satisfaction surveys, assessments. Keyword-only, atomic,
audited; each checks the caller may do it and the object is in a state that allows it."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member
from union_portal.audit import audit_record
from union_portal.models import OrgUnit
from union_portal.roles import ADMIN_ROLES, Role
from union_portal.scoping import has_role, node_in_scope, roles_at
from union_portal.uploads import check_upload

from .models import (
    AssessmentEntry,
    AssessmentItem,
    AssessmentScheme,
    Survey,
    SurveyAnswer,
    SurveyParticipation,
    SurveyQuestion,
    SurveyResponse,
)
from .registry import get_metric

MAX_COMMENT = 1000
EVIDENCE_KINDS = ("pdf", "jpeg", "png")


def can_administer(user, node: OrgUnit) -> bool:
    """District or city admin at ``node`` or above: builds surveys and assessments, refreshes figures."""
    return bool(roles_at(user, node) & set(ADMIN_ROLES))


# --- figures ---------------------------------------------------------------------------------------------


def figures_refresh_request(*, by) -> None:
    """Queue a refresh of every figure now (after commit). Admins only; audited."""
    if not has_role(by, *ADMIN_ROLES):
        raise PermissionDenied
    from .tasks import refresh_figures_task

    audit_record(actor=by, action="dashboard.refresh", object_type="union_portal.figuresnapshot")
    transaction.on_commit(lambda: refresh_figures_task.delay(requested_by_id=by.pk))


# --- surveys ---------------------------------------------------------------------------------------------


@transaction.atomic
def survey_create(
    *,
    by,
    owner: OrgUnit,
    title: str,
    service: str,
    questions: list[str],
    with_comment: bool = True,
    intro: str = "",
    closes_on: dt.date | None = None,
) -> Survey:
    """A draft survey with one rating question per entry of ``questions`` (and a closing comment box)."""
    if not can_administer(by, owner):
        raise PermissionDenied
    questions = [q.strip() for q in questions if q.strip()]
    if not questions:
        raise ValidationError({"questions": _("Give at least one question.")})
    if len(questions) > 20:
        raise ValidationError({"questions": _("A short survey has at most 20 questions.")})
    if closes_on and closes_on < timezone.localdate():
        raise ValidationError({"closes_on": _("The closing date has passed.")})
    survey = Survey.objects.create(
        owner=owner, title=title.strip(), service=service.strip(), intro=intro, closes_on=closes_on, created_by=by
    )
    rows = [SurveyQuestion(survey=survey, position=i, text=text) for i, text in enumerate(questions, start=1)]
    if with_comment:
        rows.append(
            SurveyQuestion(
                survey=survey,
                position=len(rows) + 1,
                text=_("Anything else you want to tell us?"),
                kind=SurveyQuestion.Kind.TEXT,
            )
        )
    SurveyQuestion.objects.bulk_create(rows)
    audit_record(actor=by, action="survey.create", obj=survey)
    return survey


@transaction.atomic
def survey_publish(*, by, survey: Survey) -> Survey:
    """Draft → open: members below the owner may answer from today. Locks the survey row."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if not can_administer(by, survey.owner):
        raise PermissionDenied
    if survey.status != Survey.Status.DRAFT:
        raise ValidationError(_("Only a draft survey can be published."))
    survey.status = Survey.Status.OPEN
    survey.opens_on = timezone.localdate()
    survey.save(update_fields=["status", "opens_on", "updated_at"])
    audit_record(actor=by, action="survey.publish", obj=survey)
    return survey


@transaction.atomic
def survey_delete_draft(*, by, survey: Survey) -> None:
    """Throw away a draft (to fix its questions, create it again). Published surveys are never deleted."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if not can_administer(by, survey.owner):
        raise PermissionDenied
    if survey.status != Survey.Status.DRAFT:
        raise ValidationError(_("Only a draft survey can be deleted."))
    audit_record(actor=by, action="survey.delete", obj=survey)
    survey.delete()


@transaction.atomic
def survey_close(*, by, survey: Survey) -> Survey:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if not can_administer(by, survey.owner):
        raise PermissionDenied
    if survey.status != Survey.Status.OPEN:
        raise ValidationError(_("Only an open survey can be closed."))
    survey.status = Survey.Status.CLOSED
    survey.save(update_fields=["status", "updated_at"])
    audit_record(actor=by, action="survey.close", obj=survey)
    return survey


def _member_of(user) -> Member | None:
    try:
        return user.member
    except Member.DoesNotExist:
        return None


@transaction.atomic
def survey_answer(*, user, survey: Survey, ratings: dict[int, int], comments: dict[int, str] | None = None) -> None:
    """Record one member's answers, once. Preconditions: the user is a member holding membership in a union
    below the survey's owner; the survey is open. The "has answered" row (unique per survey and user, in
    the database) and the anonymous answers are written in the same transaction but share nothing: the
    answers carry only the member's union, random keys and no time. Not audited per person on purpose."""
    comments = comments or {}
    member = _member_of(user)
    if member is None or member.status not in Member.HOLDING_STATUSES:
        raise PermissionDenied(_("Only members can answer this survey."))
    if not member.org.path.startswith(survey.owner.path):
        raise PermissionDenied(_("This survey is not for your union."))
    today = timezone.localdate()
    if survey.status != Survey.Status.OPEN or (survey.closes_on and survey.closes_on < today):
        raise ValidationError(_("This survey is not open."))
    questions = list(survey.questions.all())
    errors = {}
    answers = []
    for q in questions:
        if q.kind == SurveyQuestion.Kind.RATING:
            value = ratings.get(q.pk)
            if value not in (1, 2, 3, 4, 5):
                errors[f"q{q.pk}"] = _("Choose a rating from 1 to 5.")
                continue
            answers.append((q, value, ""))
        else:
            text = (comments.get(q.pk) or "").strip()
            if len(text) > MAX_COMMENT:
                errors[f"q{q.pk}"] = _("At most 1000 characters.")
                continue
            if text:
                answers.append((q, None, text))
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            SurveyParticipation.objects.create(survey=survey, user=user, on=today)
    except IntegrityError:
        raise ValidationError(_("You have already answered this survey. Thank you!")) from None
    response = SurveyResponse.objects.create(survey=survey, union_id=member.org_id)
    SurveyAnswer.objects.bulk_create(
        [SurveyAnswer(response=response, question=q, rating=r, comment=c) for q, r, c in answers]
    )


# --- assessment ------------------------------------------------------------------------------------------

TARGET_KINDS = {OrgUnit.Kind.DISTRICT: OrgUnit.Kind.TOWNSHIP, OrgUnit.Kind.CITY: OrgUnit.Kind.DISTRICT}


@transaction.atomic
def scheme_create(*, by, owner: OrgUnit, title: str, period: str) -> AssessmentScheme:
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
    by,
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
    scheme = AssessmentScheme.objects.select_for_update().get(pk=scheme.pk)
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
def item_remove(*, by, item: AssessmentItem) -> None:
    """Remove a line from a draft checklist (once open, units may have entered against it)."""
    scheme = AssessmentScheme.objects.select_for_update().get(pk=item.scheme_id)
    if not can_administer(by, scheme.owner):
        raise PermissionDenied
    if scheme.status != AssessmentScheme.Status.DRAFT:
        raise ValidationError(_("Items can be removed only while the assessment is a draft."))
    audit_record(actor=by, action="assessment.item_remove", obj=scheme, detail={"item": item.title})
    item.delete()


@transaction.atomic
def scheme_set_status(*, by, scheme: AssessmentScheme, status: str) -> AssessmentScheme:
    """draft → open (entries may be made) → closed (results final)."""
    scheme = AssessmentScheme.objects.select_for_update().get(pk=scheme.pk)
    if not can_administer(by, scheme.owner):
        raise PermissionDenied
    allowed = {
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


def can_enter_for(user, unit: OrgUnit) -> bool:
    """Township staff of the unit (or an admin above it) enter items for it."""
    return node_in_scope(user, unit, roles=(Role.TOWNSHIP_STAFF, *ADMIN_ROLES))


@transaction.atomic
def entry_submit(*, by, item: AssessmentItem, unit: OrgUnit, statement: str, evidence=None) -> AssessmentEntry:
    """The assessed unit reports on a staff-entry item, with evidence (PDF or image, checked by content).
    Allowed while the assessment is open and before the entry is scored; resubmitting replaces it."""
    scheme = AssessmentScheme.objects.select_for_update().get(pk=item.scheme_id)
    if item.kind != AssessmentItem.Kind.ENTRY:
        raise ValidationError(_("This item is computed by the portal."))
    if unit.kind != scheme.target_kind or not unit.path.startswith(scheme.owner.path):
        raise PermissionDenied
    if not can_enter_for(by, unit):
        raise PermissionDenied
    if scheme.status != AssessmentScheme.Status.OPEN:
        raise ValidationError(_("The assessment is not open for entries."))
    if not statement.strip():
        raise ValidationError({"statement": _("Describe what was done.")})
    if evidence is not None:
        check_upload(evidence, allowed=EVIDENCE_KINDS)
    entry = AssessmentEntry.objects.select_for_update().filter(item=item, unit=unit).first()
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
def entry_score(*, by, entry: AssessmentEntry, score: Decimal, note: str = "") -> AssessmentEntry:
    """The assessor scores an entry (0 … the item's points) while the assessment is open."""
    entry = AssessmentEntry.objects.select_for_update().select_related("item__scheme__owner").get(pk=entry.pk)
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

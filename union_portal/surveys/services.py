"""Every write of the surveys capability: create, publish, close, delete a draft, answer. Keyword-only, atomic,
audited (answers excepted: they are anonymous); each checks the caller may do it and the state allows it."""

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from union_portal import tree
from union_portal.audit import audit_record
from union_portal.membership import member_of_user
from union_portal.permissions import can_administer

from . import locks
from .models import Survey, SurveyAnswer, SurveyParticipation, SurveyQuestion, SurveyResponse
from .permissions import can_manage_survey

if TYPE_CHECKING:
    from union_portal.models import User

MAX_COMMENT = 1000


@transaction.atomic
def survey_create(
    *,
    by: "User",
    owner,
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
def survey_publish(*, by: "User", survey: Survey) -> Survey:
    """Draft → open: members below the owner may answer from today. Locks the survey row."""
    survey = locks.survey_for_update(survey.pk)
    if not can_manage_survey(by, survey):
        raise PermissionDenied
    if survey.status != Survey.Status.DRAFT:
        raise ValidationError(_("Only a draft survey can be published."))
    survey.status = Survey.Status.OPEN
    survey.opens_on = timezone.localdate()
    survey.save(update_fields=["status", "opens_on", "updated_at"])
    audit_record(actor=by, action="survey.publish", obj=survey)
    return survey


@transaction.atomic
def survey_delete_draft(*, by: "User", survey: Survey) -> None:
    """Throw away a draft (to fix its questions, create it again). Published surveys are never deleted."""
    survey = locks.survey_for_update(survey.pk)
    if not can_manage_survey(by, survey):
        raise PermissionDenied
    if survey.status != Survey.Status.DRAFT:
        raise ValidationError(_("Only a draft survey can be deleted."))
    audit_record(actor=by, action="survey.delete", obj=survey)
    survey.delete()


@transaction.atomic
def survey_close(*, by: "User", survey: Survey) -> Survey:
    survey = locks.survey_for_update(survey.pk)
    if not can_manage_survey(by, survey):
        raise PermissionDenied
    if survey.status != Survey.Status.OPEN:
        raise ValidationError(_("Only an open survey can be closed."))
    survey.status = Survey.Status.CLOSED
    survey.save(update_fields=["status", "updated_at"])
    audit_record(actor=by, action="survey.close", obj=survey)
    return survey


@transaction.atomic
def survey_answer(*, user, survey: Survey, ratings: dict[int, int], comments: dict[int, str] | None = None) -> None:
    """Record one member's answers, once. Preconditions: the user is a member holding membership in a union
    below the survey's owner; the survey is open. The "has answered" row (unique per survey and user, in
    the database) and the anonymous answers are written in the same transaction but share nothing: the
    answers carry only the member's union, random keys and no time. Not audited per person on purpose."""
    comments = comments or {}
    member = member_of_user(user=user, holding_only=True)
    if member is None:
        raise PermissionDenied(_("Only members can answer this survey."))
    if not tree.is_within(member.org, survey.owner):
        raise PermissionDenied(_("This survey is not for your union."))
    today = timezone.localdate()
    if survey.status != Survey.Status.OPEN or (survey.closes_on and survey.closes_on < today):
        raise ValidationError(_("This survey is not open."))
    questions = list(survey.questions.all())
    errors = {}
    answers: list[tuple[SurveyQuestion, int | None, str]] = []
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

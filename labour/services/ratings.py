"""Every write of the harmonious-enterprise ratings (和谐劳动关系企业创建). Each state change checks the
transition, records who/when/why (audit), and tells the people concerned. Staged review, public notice and
objections go through the core's notices (``union_portal.notices``), as awards does."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from members.models import Enterprise
from union_portal.audit import audit_record
from union_portal.identity import validate_mobile
from union_portal.models import OrgUnit, User
from union_portal.notices import services as notices
from union_portal.notices.models import Objection, PublicNotice, ReviewStep
from union_portal.notifications import notify
from union_portal.roles import Role, role_holders
from union_portal.scoping import roles_at
from union_portal.uploads import check_upload

from .. import deadlines
from ..models import (
    DeadlineKey,
    IndicatorKey,
    RatingApplication,
    RatingBatch,
    RatingEvidence,
    RatingIndicator,
    RatingStatus,
    RightsCase,
)
from ..permissions.ratings import (
    can_assess,
    can_assess_for,
    can_manage_batch,
    can_review_district,
    can_review_township,
)
from ..rules_ratings import DEFAULT_INDICATORS, Indicator, assess, is_withdrawing_case
from ..selectors import ratings as selectors

EDITABLE = (RatingStatus.DRAFT, RatingStatus.RETURNED)


# --- helpers ---------------------------------------------------------------------------------------------------


def _locked(application: RatingApplication) -> RatingApplication:
    return (
        RatingApplication.objects.select_for_update(of=("self",))
        .select_related("batch__org", "enterprise", "org", "notice")
        .get(pk=application.pk)
    )


def _tell(users, application: RatingApplication, event: str, title: str, body: str = "") -> None:
    for user in users:
        notify(
            user=user,
            event_key=f"labour.rating.{application.pk}.{event}.{user.pk}",
            title=title,
            body=body or title,
            link=application.get_absolute_url(),
        )


def _handlers(application: RatingApplication):
    return role_holders(Role.HANDLER, at=application.org)


def _township_staff(application: RatingApplication):
    return role_holders(Role.TOWNSHIP_STAFF, at_or_above=application.org, include_self=False)


def _district_admins(application: RatingApplication):
    return role_holders(Role.DISTRICT_ADMIN, at=application.batch.org)


def _percent(value, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError({field: _("Enter a percentage between 0 and 100.")}, code="percent") from None
    if not (0 <= number <= 100):
        raise ValidationError({field: _("Enter a percentage between 0 and 100.")}, code="percent")
    return number


def term_end(named_on: dt.date, years: int) -> dt.date:
    """The last day of a term of ``years`` years from ``named_on`` (29 February runs to 28 February)."""
    try:
        anniversary = named_on.replace(year=named_on.year + years)
    except ValueError:
        anniversary = named_on.replace(year=named_on.year + years, day=28) + dt.timedelta(days=1)
    return anniversary - dt.timedelta(days=1)


# --- batches and indicators ---------------------------------------------------------------------------------


@transaction.atomic
def batch_create(
    *,
    by: User,
    org: OrgUnit,
    title: str,
    level: str,
    period_start: dt.date,
    period_end: dt.date,
    apply_by: dt.date,
    pass_score: Decimal = Decimal("80"),
    term_years: int = 3,
) -> RatingBatch:
    """A batch with the shipped default indicators (``rules_ratings.DEFAULT_INDICATORS``). Precondition: ``by``
    is a district admin at ``org``."""
    if Role.DISTRICT_ADMIN not in roles_at(by, org):
        raise PermissionDenied
    errors: dict = {}
    if not (title or "").strip():
        errors["title"] = _("Give the batch a title.")
    if period_end < period_start:
        errors["period_end"] = _("The period ends before it starts.")
    if apply_by < period_start:
        errors["apply_by"] = _("Self-assessments cannot be due before the period starts.")
    if not (1 <= term_years <= 10):
        errors["term_years"] = _("A term lasts 1 to 10 years.")
    if not (0 <= pass_score <= 100):
        errors["pass_score"] = _("A score is between 0 and 100.")
    if errors:
        raise ValidationError(errors)
    batch = RatingBatch.objects.create(
        org=org,
        title=title.strip(),
        level=level,
        period_start=period_start,
        period_end=period_end,
        apply_by=apply_by,
        pass_score=pass_score,
        term_years=term_years,
        created_by=by,
    )
    RatingIndicator.objects.bulk_create(
        RatingIndicator(batch=batch, key=key, weight=weight, threshold=threshold, required=required)
        for key, weight, threshold, required in DEFAULT_INDICATORS
    )
    audit_record(actor=by, action="labour.rating_batch_create", obj=batch)
    return batch


@transaction.atomic
def indicator_update(
    *, by: User, indicator: RatingIndicator, weight: int, threshold: Decimal | None, required: bool
) -> RatingIndicator:
    """Change an indicator while no self-assessment of the batch has been submitted (the scores already given
    would no longer add up)."""
    batch = indicator.batch
    if not can_manage_batch(by, batch):
        raise PermissionDenied
    if batch.applications.exclude(status=RatingStatus.DRAFT).exists():
        raise ValidationError(
            _("Self-assessments have been submitted in this batch; its indicators can no longer change."),
            code="stage",
        )
    if weight < 0 or weight > 100:
        raise ValidationError({"weight": _("A weight is between 0 and 100 points.")}, code="weight")
    if indicator.key in (IndicatorKey.CONTRACT_RATE, IndicatorKey.INSURANCE_RATE):
        threshold = _percent(threshold, "threshold")
        if threshold is None:
            raise ValidationError({"threshold": _("A rate needs a threshold.")}, code="threshold")
    else:
        threshold = None
    indicator.weight, indicator.threshold, indicator.required = weight, threshold, required
    indicator.save()
    audit_record(
        actor=by,
        action="labour.rating_indicator_update",
        obj=indicator,
        detail={"weight": weight, "threshold": str(threshold) if threshold is not None else None, "required": required},
    )
    return indicator


# --- the self-assessment ---------------------------------------------------------------------------------------


@transaction.atomic
def application_create(
    *, by: User, batch: RatingBatch, enterprise: Enterprise, today: dt.date | None = None
) -> RatingApplication:
    """The handler of ``enterprise``'s grassroots union starts its self-assessment in ``batch``, before the
    batch's due date. One per enterprise and batch."""
    today = today or timezone.localdate()
    if enterprise.union_id is None:
        raise ValidationError(_("Only an enterprise with a union can be rated."), code="no_union")
    if not can_assess_for(by, enterprise.union):
        raise PermissionDenied
    if today > batch.apply_by:
        raise ValidationError(_("Self-assessments for this batch were due by %(day)s.") % {"day": batch.apply_by})
    if RatingApplication.objects.filter(batch=batch, enterprise=enterprise).exists():
        raise ValidationError(_("This enterprise already has a self-assessment in this batch."), code="duplicate")
    application = RatingApplication.objects.create(
        batch=batch, enterprise=enterprise, org=enterprise.union, created_by=by
    )
    audit_record(actor=by, action="labour.rating_create", obj=application)
    return application


@transaction.atomic
def application_update(
    *,
    by: User,
    application: RatingApplication,
    contract_rate,
    insurance_rate,
    wages_on_time: bool,
    safety_ok: bool,
    statement: str = "",
) -> RatingApplication:
    application = _locked(application)
    if not can_assess(by, application):
        raise PermissionDenied
    if application.status not in EDITABLE:
        raise ValidationError(_("The self-assessment can only be changed before it is submitted."), code="stage")
    application.contract_rate = _percent(contract_rate, "contract_rate")
    application.insurance_rate = _percent(insurance_rate, "insurance_rate")
    application.wages_on_time, application.safety_ok = bool(wages_on_time), bool(safety_ok)
    application.statement = (statement or "").strip()
    application.save()
    audit_record(actor=by, action="labour.rating_update", obj=application)
    return application


@transaction.atomic
def evidence_add(*, by: User, application: RatingApplication, description: str, file) -> RatingEvidence:
    application = _locked(application)
    if not can_assess(by, application):
        raise PermissionDenied
    if application.status not in EDITABLE:
        raise ValidationError(_("Evidence can only be added before the self-assessment is submitted."), code="stage")
    if not (description or "").strip():
        raise ValidationError({"description": _("Say what the file shows.")})
    check_upload(file, allowed=("pdf", "jpeg", "png"))
    evidence = RatingEvidence.objects.create(
        application=application, description=description.strip()[:200], file=file, uploaded_by=by
    )
    audit_record(actor=by, action="labour.rating_evidence_add", obj=application, detail={"evidence": evidence.pk})
    return evidence


def application_assessment(*, application: RatingApplication, on: dt.date | None = None):
    """The facts the portal knows and the assessment of the figures against the batch's indicators (from the
    period's start to its end, or to ``on`` when that is later: a dispute after the period still counts up to
    naming). Returns (facts, assessment)."""
    batch = application.batch
    end = max(batch.period_end, on) if on else batch.period_end
    facts = selectors.enterprise_facts(enterprise=application.enterprise, start=batch.period_start, end=end)
    values = {
        IndicatorKey.CONTRACT_RATE: application.contract_rate,
        IndicatorKey.INSURANCE_RATE: application.insurance_rate,
        IndicatorKey.WAGES_ON_TIME: application.wages_on_time,
        IndicatorKey.COLLECTIVE_CONTRACT: facts.has_collective_contract,
        IndicatorKey.CONGRESS: facts.congress_held,
        IndicatorKey.SAFETY: application.safety_ok,
        IndicatorKey.NO_DISPUTE: not facts.serious_dispute,
    }
    indicators = [Indicator(i.key, i.weight, i.threshold, i.required) for i in batch.indicators.all()]
    return facts, assess(indicators, {str(k): v for k, v in values.items()}, pass_score=batch.pass_score)


def _failing_words(application: RatingApplication, failing) -> str:
    labels = dict(IndicatorKey.choices)
    score = _("score below %(score)s") % {"score": application.batch.pass_score}
    return "；".join(score if key == "score" else str(labels[key]) for key in failing)


@transaction.atomic
def application_submit(*, by: User, application: RatingApplication, today: dt.date | None = None) -> RatingApplication:
    """Draft or returned → township review. The figures are given, evidence is attached, and the assessment
    passes (every required indicator met, the score at least the batch's pass score). The facts and the score
    are kept on the self-assessment. Locks it."""
    today = today or timezone.localdate()
    application = _locked(application)
    if not can_assess(by, application):
        raise PermissionDenied
    if application.status not in EDITABLE:
        raise ValidationError(_("This self-assessment has already been submitted."), code="stage")
    if today > application.batch.apply_by and application.status == RatingStatus.DRAFT:
        raise ValidationError(
            _("Self-assessments for this batch were due by %(day)s.") % {"day": application.batch.apply_by},
            code="late",
        )
    if application.contract_rate is None or application.insurance_rate is None:
        raise ValidationError(_("Give the labour-contract and social insurance rates first."), code="incomplete")
    if not application.evidence.exists():
        raise ValidationError(_("Attach at least one piece of evidence."), code="evidence")
    facts, assessment = application_assessment(application=application)
    if not assessment.passed:
        raise ValidationError(
            _("The enterprise does not meet the rating's requirements: %(failing)s.")
            % {"failing": _failing_words(application, assessment.failing)},
            code="thresholds",
        )
    application.has_collective_contract = facts.has_collective_contract
    application.congress_held = facts.congress_held
    application.serious_dispute = facts.serious_dispute
    application.score = assessment.score
    application.submitted_on = today
    application.status = RatingStatus.TOWNSHIP_REVIEW
    application.save()
    audit_record(actor=by, action="labour.rating_submit", obj=application, detail={"score": str(assessment.score)})
    _tell(
        _township_staff(application),
        application,
        f"submit.{today}",
        _("Self-assessment to review: %(name)s") % {"name": application.enterprise.name},
    )
    return application


@transaction.atomic
def application_review(
    *, by: User, application: RatingApplication, decision: str, comment: str = ""
) -> RatingApplication:
    """Township review → district review → passed; either may return the self-assessment with comments (the
    core's ``ReviewStep`` keeps who decided what). Locks it."""
    application = _locked(application)
    if application.status == RatingStatus.TOWNSHIP_REVIEW:
        if not can_review_township(by, application):
            raise PermissionDenied
        stage, next_status = ReviewStep.Stage.TOWNSHIP, RatingStatus.DISTRICT_REVIEW
    elif application.status == RatingStatus.DISTRICT_REVIEW:
        if not can_review_district(by, application):
            raise PermissionDenied
        stage, next_status = ReviewStep.Stage.DISTRICT, RatingStatus.PASSED
    else:
        raise ValidationError(_("This self-assessment is not waiting for a review."), code="stage")
    step = notices.review_record(by=by, subject=application, stage=stage, decision=decision, comment=comment)
    returned = decision == ReviewStep.Decision.RETURN
    application.status = RatingStatus.RETURNED if returned else next_status
    application.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=by,
        action=f"labour.rating_review_{stage}",
        obj=application,
        detail={"decision": decision, "comment": step.comment},
    )
    name = application.enterprise.name
    if returned:
        _tell(
            _handlers(application),
            application,
            f"return.{step.pk}",
            _("Self-assessment returned: %(name)s") % {"name": name},
            step.comment,
        )
    elif next_status == RatingStatus.DISTRICT_REVIEW:
        _tell(
            _district_admins(application),
            application,
            f"district.{step.pk}",
            _("Self-assessment to review: %(name)s") % {"name": name},
        )
    else:
        _tell(
            _handlers(application),
            application,
            f"passed.{step.pk}",
            _("Passed the district review: %(name)s") % {"name": name},
        )
    return application


@transaction.atomic
def application_notice_start(
    *, by: User, application: RatingApplication, starts_on: dt.date, today: dt.date | None = None
) -> RatingApplication:
    """Passed → on public notice (the core's PublicNotice, public audience) from ``starts_on`` for the working
    days of the rule ``RATING_NOTICE`` (default 5; a notice counts its first day). Locks it."""
    today = today or timezone.localdate()
    application = _locked(application)
    if not can_review_district(by, application):
        raise PermissionDenied
    if application.status != RatingStatus.PASSED:
        raise ValidationError(_("Only a self-assessment that passed review can go on public notice."), code="stage")
    if starts_on < today:
        raise ValidationError({"starts_on": _("A public notice cannot start in the past.")}, code="past")
    rule = deadlines.rule_for(DeadlineKey.RATING_NOTICE)
    batch = application.batch
    application.notice = notices.notice_open(
        by=by,
        subject=application,
        org=batch.org,
        title=_("%(batch)s: %(name)s") % {"batch": batch.title, "name": application.enterprise.name},
        unit_name=application.enterprise.name,
        starts_on=starts_on,
        working_days=rule.length,
        audience=PublicNotice.Audience.PUBLIC,
    )
    application.status = RatingStatus.NOTICE
    application.save(update_fields=["status", "notice", "updated_at"])
    audit_record(
        actor=by,
        action="labour.rating_notice_start",
        obj=application,
        detail={
            "starts": str(starts_on),
            "ends": str(application.notice.ends_on),
            "warnings": application.notice.warnings,
        },
    )
    _tell(
        _handlers(application),
        application,
        f"notice.{application.notice.pk}",
        _("On public notice: %(name)s") % {"name": application.enterprise.name},
        _("Until %(day)s.") % {"day": application.notice.ends_on},
    )
    return application


@transaction.atomic
def application_name(*, by: User, application: RatingApplication, named_on: dt.date | None = None) -> RatingApplication:
    """On notice → named for the batch's term, once the notice's last day has passed and every objection is
    answered, and no serious dispute arose since submission. A title the enterprise still holds from an earlier
    batch ends the day before (re-rating). Locks it."""
    named_on = named_on or timezone.localdate()
    application = _locked(application)
    if not can_review_district(by, application):
        raise PermissionDenied
    if application.status != RatingStatus.NOTICE or application.notice is None:
        raise ValidationError(_("An enterprise is named after its public notice."), code="stage")
    if named_on <= application.notice.last_day:
        raise ValidationError(
            _("The public notice runs until %(day)s; name the enterprise after it.")
            % {"day": application.notice.last_day},
            code="notice_running",
        )
    open_objections = application.notice.objections.filter(status=Objection.Status.OPEN).count()
    if open_objections:
        raise ValidationError(_("%(n)s objections are not answered yet.") % {"n": open_objections}, code="objections")
    facts, _assessment = application_assessment(application=application, on=named_on)
    if facts.serious_dispute:
        raise ValidationError(
            _("A serious dispute or group case of the enterprise is on record; it cannot be named."), code="dispute"
        )
    notices.notice_close(notice=application.notice, today=named_on)
    previous = list(
        selectors.titles_held(on=named_on)
        .filter(enterprise=application.enterprise)
        .exclude(pk=application.pk)
        .select_for_update()
    )
    for title in previous:
        title.term_ends_on = max(named_on - dt.timedelta(days=1), title.named_on + dt.timedelta(days=1))
        title.status = RatingStatus.EXPIRED
        title.save(update_fields=["term_ends_on", "status", "updated_at"])
        audit_record(actor=by, action="labour.rating_rerated", obj=title, detail={"by_rating": application.pk})
    application.named_on = named_on
    application.term_ends_on = term_end(named_on, application.batch.term_years)
    application.status = RatingStatus.NAMED
    application.save(update_fields=["named_on", "term_ends_on", "status", "updated_at"])
    audit_record(
        actor=by,
        action="labour.rating_name",
        obj=application,
        detail={"named_on": str(named_on), "until": str(application.term_ends_on)},
    )
    _tell(
        _handlers(application),
        application,
        "named",
        _("Named a harmonious labour-relations enterprise: %(name)s") % {"name": application.enterprise.name},
        _("Valid until %(day)s.") % {"day": application.term_ends_on},
    )
    return application


@transaction.atomic
def application_not_name(*, by: User, application: RatingApplication, reason: str) -> RatingApplication:
    """Passed or on notice → not named (an objection was upheld, the committee decided against), with reason."""
    application = _locked(application)
    if not can_review_district(by, application):
        raise PermissionDenied
    if application.status not in (RatingStatus.PASSED, RatingStatus.NOTICE):
        raise ValidationError(_("Only a self-assessment awaiting naming can be refused."), code="stage")
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason.")})
    if application.notice is not None:
        notices.notice_close(notice=application.notice)
    application.status = RatingStatus.NOT_NAMED
    application.withdrawal_reason = reason.strip()
    application.save(update_fields=["status", "withdrawal_reason", "updated_at"])
    audit_record(actor=by, action="labour.rating_not_name", obj=application, detail={"reason": reason.strip()})
    _tell(
        _handlers(application),
        application,
        "not_named",
        _("Not named: %(name)s") % {"name": application.enterprise.name},
        reason.strip(),
    )
    return application


# --- withdrawal, expiry, re-rating --------------------------------------------------------------------------


def _withdraw(
    application: RatingApplication, *, by: User | None, reason: str, on: dt.date, case_id: int | None = None
) -> RatingApplication:
    application.status = RatingStatus.WITHDRAWN
    application.withdrawn_on = on
    application.withdrawal_reason = reason
    application.withdrawal_case_id = case_id
    application.save(update_fields=["status", "withdrawn_on", "withdrawal_reason", "withdrawal_case_id", "updated_at"])
    audit_record(
        actor=by,
        action="labour.rating_withdraw",
        obj=application,
        detail={"reason": reason, "on": str(on), "case": case_id},
    )
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Harmonious-enterprise title withdrawn: %(name)s") % {"name": application.enterprise.name}
        _tell([*_handlers(application), *_district_admins(application)], application, "withdrawn", title, reason)
    return application


@transaction.atomic
def title_withdraw(
    *, by: User, application: RatingApplication, reason: str, on: dt.date | None = None
) -> RatingApplication:
    """The district admin withdraws a title after a serious violation, with the reason. Locks it."""
    on = on or timezone.localdate()
    application = _locked(application)
    if not can_review_district(by, application):
        raise PermissionDenied
    if application.status != RatingStatus.NAMED:
        raise ValidationError(_("Only a title in force can be withdrawn."), code="stage")
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the withdrawal.")})
    if on < application.named_on:
        raise ValidationError({"on": _("A title cannot be withdrawn before it was given.")}, code="dates")
    return _withdraw(application, by=by, reason=reason.strip(), on=on)


def _case_reason(case: RightsCase) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("Group case of unpaid wages %(number)s (%(workers)s workers) received on %(day)s.") % {
            "number": case.number,
            "workers": case.worker_count,
            "day": case.received_on,
        }


@transaction.atomic
def titles_withdraw_for_case(*, case_id: int, today: dt.date | None = None, **_event: object) -> list[int]:
    """The ``labour.group_wage_case`` handler: a group case of unpaid wages withdraws the employer's title in
    force, with the case as the reason, when the case falls in the batch's period or the term. Idempotent: a
    title already withdrawn is left alone. Returns the withdrawn titles' ids."""
    today = today or timezone.localdate()
    case = RightsCase.objects.filter(pk=case_id).first()
    if case is None or case.enterprise_id is None:
        return []
    if not is_withdrawing_case(is_group=case.is_group, case_type=case.case_type):
        return []
    titles = (
        selectors.titles_held(on=today)
        .filter(status=RatingStatus.NAMED, enterprise_id=case.enterprise_id, batch__period_start__lte=case.received_on)
        .select_for_update(of=("self",))
        .select_related("batch__org", "enterprise", "org")
        .order_by("pk")
    )
    done = []
    for title in titles:
        _withdraw(title, by=None, reason=_case_reason(case), on=today, case_id=case.pk)
        done.append(title.pk)
    return done


def titles_catch_up(*, today: dt.date | None = None) -> dict[str, int]:
    """The nightly sweep: withdraw titles whose enterprise has a group wage case the hook missed, end the
    titles whose term is over, re-evaluate and close the public notices whose last day passed. Idempotent."""
    today = today or timezone.localdate()
    withdrawn = 0
    held = selectors.titles_held(on=today).filter(status=RatingStatus.NAMED)
    cases = (
        RightsCase.objects.filter(
            is_group=True,
            case_type=RightsCase.Type.UNPAID_WAGES,
            enterprise_id__in=held.values("enterprise_id"),
            received_on__lte=today,
        )
        .order_by("received_on", "pk")
        .values_list("pk", flat=True)
    )
    for case_id in cases:
        withdrawn += len(titles_withdraw_for_case(case_id=case_id, today=today))
    with transaction.atomic():
        expired = RatingApplication.objects.filter(status=RatingStatus.NAMED, term_ends_on__lt=today).update(
            status=RatingStatus.EXPIRED, updated_at=timezone.now()
        )
    moved = rating_notices_reevaluate()
    return {"withdrawn": withdrawn, "expired": expired, "notices_moved": moved}


def rating_notices_reevaluate(**_event: object) -> int:
    """The ``workdays.calendar_changed`` handler: recompute the last day of the ratings' open notices and tell
    whoever opened one whose last day moved. Idempotent."""
    moves = [
        move
        for move in notices.notices_reevaluate(app_label=RatingApplication._meta.app_label)
        if move.notice.subject_type.model == RatingApplication._meta.model_name
    ]
    applications = {
        a.notice_id: a for a in RatingApplication.objects.filter(notice__in=[move.notice for move in moves])
    }
    with translation.override(settings.LANGUAGE_CODE):
        for move in moves:
            application = applications.get(move.notice.pk)
            notices.notice_tell_moved(
                move=move,
                users=[move.notice.created_by],
                link=application.get_absolute_url() if application else "",
            )
    return len(moves)


# --- objections during the notice ---------------------------------------------------------------------------


@transaction.atomic
def objection_file(
    *, application: RatingApplication, name: str, phone: str, code: str, content: str, today: dt.date | None = None
) -> Objection:
    """Anyone may object to an enterprise on public notice, with real name and a mobile phone proven by the
    one-time code (the core's notices). The district admins are told."""
    application = RatingApplication.objects.select_related("notice", "batch__org", "enterprise").get(pk=application.pk)
    if application.status != RatingStatus.NOTICE or application.notice is None:
        raise ValidationError(_("This enterprise is not on public notice."), code="stage")
    objection = notices.objection_file(
        notice=application.notice,
        name=name,
        phone=phone,
        code=code,
        content=content,
        validate_phone=validate_mobile,
        today=today,
    )
    _tell(
        _district_admins(application),
        application,
        f"objection.{objection.pk}",
        _("Objection to %(name)s") % {"name": application.enterprise.name},
    )
    return objection


def objection_answer(*, by: User, objection: Objection, status: str, answer: str) -> Objection:
    application = RatingApplication.objects.select_related("batch__org").get(notice=objection.notice)
    if not can_review_district(by, application):
        raise PermissionDenied
    return notices.objection_answer(by=by, objection=objection, status=status, answer=answer)

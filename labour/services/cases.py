"""Writes of rights cases (维权): filing (a worker online, staff from a 12351 call or a liaison visit), routing,
accepting, steps, lawyers, closing, satisfaction, group cases, escalation of overdue cases. Every state change
checks the transition, is audited and tells the people concerned."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from union_portal import hooks, onetime
from union_portal.audit import audit_record
from union_portal.money import fits_money_field, round_fen
from union_portal.notifications import notify
from union_portal.roles import Role, role_holders
from union_portal.scoping import home_nodes
from union_portal.tree import OrgUnit, ancestors
from union_portal.uploads import check_upload

from ..deadlines import due
from ..models import (
    CaseDocument,
    CaseOutcome,
    CaseSettings,
    CaseSource,
    CaseStatus,
    CaseStep,
    CaseType,
    ContactPreference,
    DeadlineKey,
    Lawyer,
    LawyerAssignment,
    RightsCase,
)
from ..permissions.cases import CASE_ADMIN_ROLES, can_handle, can_work, is_owner

FOLLOW_PURPOSE = "labour.case_follow"
FOLLOW_TTL = dt.timedelta(days=180)
MAX_DOCUMENTS = 10
GROUP_WAGE_EVENT = "labour.group_wage_case"


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _district_of(node: OrgUnit | None) -> OrgUnit:
    if node is not None:
        found = ancestors(node, include_self=True).filter(kind=OrgUnit.Kind.DISTRICT).first()
        if found is not None:
            return found
    district = OrgUnit.objects.filter(kind=OrgUnit.Kind.DISTRICT).order_by("path").first()
    if district is None:
        raise ValidationError(_("There is no district union to take the case."))
    return district


def route(*, enterprise=None, township: OrgUnit | None = None, fallback: OrgUnit | None = None):
    """(handling union, employer union): the employer's township union; for an employer not on the roll the
    township the worker names; else the district's queue (the district of ``fallback``)."""
    if enterprise is not None:
        return enterprise.township, enterprise.union
    if township is not None:
        if township.kind != OrgUnit.Kind.TOWNSHIP:
            raise ValidationError({"township": _("Choose a township or street union.")})
        return township, None
    return _district_of(fallback), None


def _check_documents(documents) -> list[tuple[object, str]]:
    documents = list(documents or [])
    if len(documents) > MAX_DOCUMENTS:
        raise ValidationError({"documents": _("At most 10 documents at a time.")})
    return [(f, check_upload(f)) for f in documents]


def _save_documents(*, case: RightsCase, checked, by, step: CaseStep | None = None) -> list[CaseDocument]:
    saved = []
    for uploaded, kind in checked:
        name = (getattr(uploaded, "name", "") or "document")[:200]
        saved.append(
            CaseDocument.objects.create(
                case=case,
                step=step,
                title=name[:100],
                file=uploaded,
                content_kind=kind,
                original_name=name,
                uploaded_by=by,
            )
        )
    return saved


def _set_deadlines(case: RightsCase) -> None:
    case.accept_due, _w1 = due(DeadlineKey.CASE_ACCEPT, case.received_on)
    case.answer_due, _w2 = due(DeadlineKey.CASE_FIRST_ANSWER, case.received_on)
    case.close_due, _w3 = due(DeadlineKey.CASE_CLOSE, case.received_on)


def _officers_of(org: OrgUnit):
    """Rights officers at the handling union or above (the district's see every township's cases)."""
    return role_holders(Role.RIGHTS_OFFICER, at_or_above=org)


def _tell_officers(case: RightsCase, *, key: str, title: str, body: str) -> None:
    link = reverse("labour:case_detail", args=[case.pk])
    for officer in _officers_of(case.org):
        notify(user=officer, event_key=f"{key}.{officer.pk}", title=title, body=body, link=link)


def _validate_common(*, case_type: str, facts: str, worker_count: int, enterprise, employer_name: str) -> None:
    errors = {}
    if case_type not in CaseType.values:
        errors["case_type"] = _("Choose the type of the case.")
    if not (facts or "").strip():
        errors["facts"] = _("Tell us what happened.")
    if worker_count is None or worker_count < 1:
        errors["worker_count"] = _("At least one worker is concerned.")
    if enterprise is None and not (employer_name or "").strip():
        errors["employer_name"] = _("Pick the employer or type its name.")
    if errors:
        raise ValidationError(errors)


def _create(
    *,
    by,
    source: str,
    case_type: str,
    facts: str,
    requests: str,
    enterprise,
    employer_name: str,
    township,
    worker_name: str,
    worker_mobile: str,
    member,
    user,
    confidential: bool,
    worker_count: int,
    contact_preference: str,
    health_details: str,
    today: dt.date,
    fallback: OrgUnit | None,
) -> RightsCase:
    org, employer_union = route(enterprise=enterprise, township=township, fallback=fallback)
    case = RightsCase(
        number=f"TMP-{timezone.now().timestamp()}-{by.pk if by else 0}"[:20],
        case_type=case_type,
        org=org,
        enterprise=enterprise,
        employer_name=(employer_name or "").strip() if enterprise is None else enterprise.name,
        employer_union=employer_union,
        confidential=confidential,
        is_group=worker_count > 1,
        worker_count=worker_count,
        received_on=today,
        created_by=by,
        source=source,
        user=user,
        member=member,
        worker_name=worker_name.strip(),
        worker_mobile=(worker_mobile or "").strip(),
        health_details=(health_details or "").strip(),
        facts=facts.strip(),
        requests=(requests or "").strip(),
        contact_preference=contact_preference,
    )
    _set_deadlines(case)
    case.save()
    case.number = f"WQ{today:%Y}{case.pk:06d}"
    case.save(update_fields=["number"])
    return case


def _after_group_change(case: RightsCase, *, by, today: dt.date) -> None:
    """A group case of unpaid wages fires the hook the ratings part listens to; a group at or over the
    threshold warns the district admin (once per lead case)."""
    from ..selectors.cases import case_settings, group_size

    lead = case.group_lead or case
    if not lead.is_group:
        return
    if lead.case_type == CaseType.UNPAID_WAGES:
        hooks.fire(GROUP_WAGE_EVENT, case_id=lead.pk)
    size = group_size(case=lead)
    threshold = case_settings().group_warning_threshold
    if size >= threshold:
        district = _district_of(lead.org)
        for admin in role_holders(Role.DISTRICT_ADMIN, at=district):
            notify(
                user=admin,
                event_key=f"labour.case.group_warning.{lead.pk}.{admin.pk}",
                title=_("Early warning: group case %(number)s") % {"number": lead.number},
                body=_("%(count)s workers of %(employer)s are concerned (warning from %(threshold)s).")
                % {"count": size, "employer": lead.employer_display, "threshold": threshold},
                link=reverse("labour:case_detail", args=[lead.pk]),
            )
        audit_record(actor=by, action="labour.case_group_warning", obj=lead, detail={"workers": size})


@transaction.atomic
def case_file(
    *,
    by,
    member,
    case_type: str,
    facts: str,
    requests: str = "",
    enterprise=None,
    employer_name: str = "",
    township=None,
    contact_preference: str = ContactPreference.PHONE,
    confidential: bool = True,
    worker_count: int = 1,
    health_details: str = "",
    documents=(),
    today: dt.date | None = None,
) -> RightsCase:
    """A worker (``by``, a logged-in member) files a request online. Routed to the employer's township union,
    else the township the worker names, else the district's queue."""
    today = _today(today)
    if member is None or member.user_id != by.pk:
        raise PermissionDenied(_("Only members can file a request online."))
    if contact_preference not in ContactPreference.values:
        raise ValidationError({"contact_preference": _("Choose how we should contact you.")})
    _validate_common(
        case_type=case_type, facts=facts, worker_count=worker_count, enterprise=enterprise, employer_name=employer_name
    )
    checked = _check_documents(documents)
    case = _create(
        by=by,
        source=CaseSource.ONLINE,
        case_type=case_type,
        facts=facts,
        requests=requests,
        enterprise=enterprise,
        employer_name=employer_name,
        township=township,
        worker_name=member.name,
        worker_mobile=member.mobile or getattr(by, "mobile", "") or "",
        member=member,
        user=by,
        confidential=confidential,
        worker_count=worker_count,
        contact_preference=contact_preference,
        health_details=health_details,
        today=today,
        fallback=member.org,
    )
    _save_documents(case=case, checked=checked, by=by)
    audit_record(actor=by, action="labour.case_file", obj=case)
    _tell_new_case(case)
    _after_group_change(case, by=by, today=today)
    return case


def _tell_new_case(case: RightsCase) -> None:
    """The handling union's rights officers are told of a new case and its acceptance deadline."""
    _tell_officers(
        case,
        key=f"labour.case.new.{case.pk}",
        title=_("New rights case %(number)s") % {"number": case.number},
        body=_("%(type)s, to be accepted by %(date)s.")
        % {"type": case.get_case_type_display(), "date": case.accept_due},
    )


@transaction.atomic
def case_record(
    *,
    by,
    case_type: str,
    facts: str,
    requests: str = "",
    enterprise=None,
    employer_name: str = "",
    township=None,
    worker_name: str,
    worker_mobile: str,
    member=None,
    confidential: bool = True,
    worker_count: int = 1,
    source: str = "hotline",
    today=None,
) -> RightsCase:
    """Staff (a rights officer, or a liaison cadre's visit) record a case for a worker: a 12351 call, a visit.
    The worker gets the case number by SMS with a one-time link to follow the case on a phone (no account
    needed). The staff member must be able to handle cases where it is routed, or be staff of the district."""
    today = _today(today)
    if not home_nodes(by).exists():
        raise PermissionDenied
    if source not in CaseSource.values:
        raise ValidationError({"source": _("Choose how the case came in.")})
    if not (worker_name or "").strip():
        raise ValidationError({"worker_name": _("Enter the worker's name.")})
    mobile = (worker_mobile or "").strip()
    if not (len(mobile) == 11 and mobile.isdigit() and mobile.startswith("1")):
        raise ValidationError({"worker_mobile": _("Enter an 11-digit mobile number.")})
    _validate_common(
        case_type=case_type, facts=facts, worker_count=worker_count, enterprise=enterprise, employer_name=employer_name
    )
    case = _create(
        by=by,
        source=source,
        case_type=case_type,
        facts=facts,
        requests=requests,
        enterprise=enterprise,
        employer_name=employer_name,
        township=township,
        worker_name=worker_name,
        worker_mobile=mobile,
        member=member,
        user=member.user if member is not None and member.user_id else None,
        confidential=confidential,
        worker_count=worker_count,
        contact_preference=ContactPreference.SMS,
        health_details="",
        today=today,
        fallback=home_nodes(by).first(),
    )
    audit_record(actor=by, action="labour.case_record", obj=case, detail={"source": source})
    send_follow_link(case=case, by=by)
    _tell_new_case(case)
    _after_group_change(case, by=by, today=today)
    return case


def send_follow_link(*, case: RightsCase, by=None) -> str:
    """Text the worker the case number and a one-time link to follow the case (a new link replaces the old)."""
    token = onetime.issue_subject_link(purpose=FOLLOW_PURPOSE, subject=f"case:{case.pk}", by=by, ttl=FOLLOW_TTL)
    link = (settings.SITE_URL or "").rstrip("/") + reverse("labour:case_follow", args=[token])
    notify(
        user=case.user,
        event_key=f"labour.case.follow.{case.pk}.{token[-12:]}",
        title=_("Your rights case %(number)s") % {"number": case.number},
        body=_("Case number %(number)s. Follow it here: %(link)s") % {"number": case.number, "link": link},
        link=link,
        phone=case.worker_mobile,
    )
    return token


def case_for_follow_token(*, token: str) -> RightsCase:
    """The case a follow link names (the link stays usable), or ValidationError."""
    subject = onetime.check_subject_link(purpose=FOLLOW_PURPOSE, token=token)
    kind, _sep, pk = subject.partition(":")
    case = (
        RightsCase.objects.filter(pk=int(pk)).select_related("org").first() if kind == "case" and pk.isdigit() else None
    )
    if case is None:
        raise ValidationError(_("This link is invalid, has expired or was already used."))
    return case


def _locked(case: RightsCase) -> RightsCase:
    return (
        RightsCase.objects.select_for_update(of=("self",))
        .select_related("org", "employer_union", "enterprise")
        .get(pk=case.pk)
    )


def _tell_worker(case: RightsCase, *, key: str, title: str, body: str) -> None:
    if case.user_id:
        notify(user=case.user, event_key=key, title=title, body=body, link=reverse("labour:my_case", args=[case.pk]))
    elif case.worker_mobile:
        notify(user=None, event_key=key, title=title, body=body, phone=case.worker_mobile)


@transaction.atomic
def case_accept(*, by, case: RightsCase, today: dt.date | None = None) -> RightsCase:
    """New → accepted by a rights officer of the handling union (or above). Locks the case row."""
    today = _today(today)
    case = _locked(case)
    if not can_handle(by, case):
        raise PermissionDenied
    if case.status != CaseStatus.NEW:
        raise ValidationError(_("Only a case waiting to be accepted can be accepted."))
    case.status = CaseStatus.ACCEPTED
    case.accepted_on = today
    case.officer = by
    case.save(update_fields=["status", "accepted_on", "officer", "updated_at"])
    audit_record(actor=by, action="labour.case_accept", obj=case)
    _tell_worker(
        case,
        key=f"labour.case.accepted.{case.pk}",
        title=_("Your rights case %(number)s was accepted") % {"number": case.number},
        body=_("A rights officer will contact you by %(date)s.") % {"date": case.answer_due},
    )
    return case


@transaction.atomic
def case_add_step(
    *,
    by,
    case: RightsCase,
    kind: str,
    on: dt.date,
    notes: str = "",
    lawyer: Lawyer | None = None,
    documents=(),
    today: dt.date | None = None,
) -> CaseStep:
    """A dated step of handling (contact, advice, mediation, document, legal aid, referral, progress report) with
    notes and documents, by the handling officer or the assigned lawyer. The first step is the first answer;
    an accepted case becomes "being handled". A legal-aid step by an officer names the lawyer it assigns."""
    today = _today(today)
    case = _locked(case)
    if not can_work(by, case):
        raise PermissionDenied
    if case.status == CaseStatus.NEW:
        raise ValidationError(_("Accept the case first."))
    if kind not in CaseStep.Kind.values:
        raise ValidationError({"kind": _("Choose the step.")})
    if on is None or on > today:
        raise ValidationError({"on": _("The date of a step cannot be in the future.")})
    if on < case.received_on:
        raise ValidationError({"on": _("The date of a step cannot be before the case was received.")})
    if kind == CaseStep.Kind.LEGAL_AID and lawyer is None and not hasattr(by, "lawyer"):
        raise ValidationError({"lawyer": _("Choose the lawyer of the roster who gives legal aid.")})
    checked = _check_documents(documents)
    step = CaseStep.objects.create(case=case, kind=kind, on=on, notes=(notes or "").strip(), by=by)
    _save_documents(case=case, checked=checked, by=by, step=step)
    if lawyer is not None:
        _assign(by=by, case=case, lawyer=lawyer, today=today)
    fields = ["updated_at"]
    if case.first_answer_on is None:
        case.first_answer_on = on
        fields.append("first_answer_on")
    if case.status == CaseStatus.ACCEPTED:
        case.status = CaseStatus.IN_HAND
        fields.append("status")
    case.save(update_fields=fields)
    audit_record(actor=by, action="labour.case_step", obj=case, detail={"step": kind})
    _tell_worker(
        case,
        key=f"labour.case.step.{step.pk}",
        title=_("News on your rights case %(number)s") % {"number": case.number},
        body=step.get_kind_display(),
    )
    return step


def _assign(*, by, case: RightsCase, lawyer: Lawyer, today: dt.date) -> LawyerAssignment:
    if not lawyer.active:
        raise ValidationError({"lawyer": _("This lawyer is no longer on the roster.")})
    existing = LawyerAssignment.objects.filter(case=case, lawyer=lawyer, ended_on__isnull=True).first()
    if existing is not None:
        return existing
    assignment = LawyerAssignment.objects.create(case=case, lawyer=lawyer, assigned_on=today, by=by)
    audit_record(actor=by, action="labour.case_lawyer", obj=case, detail={"lawyer": lawyer.pk})
    if lawyer.user_id:
        notify(
            user=lawyer.user,
            event_key=f"labour.case.lawyer.{assignment.pk}",
            title=_("Legal aid: rights case %(number)s") % {"number": case.number},
            body=case.get_case_type_display(),
            link=reverse("labour:case_detail", args=[case.pk]),
        )
    return assignment


@transaction.atomic
def case_assign_lawyer(*, by, case: RightsCase, lawyer: Lawyer, today: dt.date | None = None) -> LawyerAssignment:
    """Assign a lawyer of the roster to an open case (the handling officer). Locks the case row."""
    case = _locked(case)
    if not can_handle(by, case) or not case.is_open:
        raise PermissionDenied
    return _assign(by=by, case=case, lawyer=lawyer, today=_today(today))


def _money(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = round_fen(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        raise ValidationError({"money_recovered": _("Enter an amount in yuan.")}) from None
    if amount < 0 or not fits_money_field(amount):
        raise ValidationError({"money_recovered": _("Enter an amount in yuan.")})
    return amount


@transaction.atomic
def case_close(
    *, by, case: RightsCase, outcome: str, money_recovered=None, notes: str = "", today: dt.date | None = None
) -> RightsCase:
    """Accepted or being handled → closed with an outcome and the money recovered; ends lawyer assignments;
    asks the worker for satisfaction. Locks the case row."""
    today = _today(today)
    case = _locked(case)
    if not can_handle(by, case):
        raise PermissionDenied
    if case.status not in (CaseStatus.ACCEPTED, CaseStatus.IN_HAND):
        raise ValidationError(_("Only an accepted case can be closed."))
    if outcome not in CaseOutcome.values:
        raise ValidationError({"outcome": _("Choose the outcome.")})
    case.status = CaseStatus.CLOSED
    case.outcome = outcome
    case.money_recovered = _money(money_recovered)
    case.closed_on = today
    if case.first_answer_on is None:
        case.first_answer_on = today
    case.save(update_fields=["status", "outcome", "money_recovered", "closed_on", "first_answer_on", "updated_at"])
    LawyerAssignment.objects.filter(case=case, ended_on__isnull=True).update(ended_on=today)
    audit_record(
        actor=by,
        action="labour.case_close",
        obj=case,
        detail={"outcome": outcome, "money": str(case.money_recovered or ""), "notes": notes[:200]},
    )
    _tell_worker(
        case,
        key=f"labour.case.closed.{case.pk}",
        title=_("Your rights case %(number)s is closed") % {"number": case.number},
        body=_("Outcome: %(outcome)s. Please tell us how satisfied you are.") % {"outcome": case.get_outcome_display()},
    )
    return case


@transaction.atomic
def case_satisfaction(
    *, by, case: RightsCase, rating: int, comment: str = "", today: dt.date | None = None
) -> RightsCase:
    """The worker's satisfaction with a closed case (1–5), once. Stored on the case (staff see it) and, when the
    district runs an open satisfaction survey of rights cases (the core's surveys, service "维权服务"), counted
    there too for the assessment (once per worker: the survey allows one answer)."""
    today = _today(today)
    case = _locked(case)
    if not is_owner(by, case):
        raise PermissionDenied
    if case.status != CaseStatus.CLOSED:
        raise ValidationError(_("You can rate a case once it is closed."))
    if case.satisfaction is not None:
        raise ValidationError(_("You have already rated this case. Thank you!"))
    if rating not in (1, 2, 3, 4, 5):
        raise ValidationError({"rating": _("Choose a rating from 1 to 5.")})
    case.satisfaction = rating
    case.satisfaction_comment = (comment or "").strip()[:1000]
    case.satisfaction_on = today
    case.save(update_fields=["satisfaction", "satisfaction_comment", "satisfaction_on", "updated_at"])
    _feed_survey(by=by, case=case, rating=rating, comment=case.satisfaction_comment)
    audit_record(actor=by, action="labour.case_satisfaction", obj=case, detail={"rating": rating})
    return case


SURVEY_SERVICE = "维权服务"


def _feed_survey(*, by, case: RightsCase, rating: int, comment: str) -> None:
    from union_portal.surveys.models import Survey, SurveyParticipation, SurveyQuestion
    from union_portal.surveys.services import survey_answer

    survey = (
        Survey.objects.filter(status=Survey.Status.OPEN, service=SURVEY_SERVICE, owner=_district_of(case.org))
        .order_by("-id")
        .first()
    )
    if survey is None or SurveyParticipation.objects.filter(survey=survey, user=by).exists():
        return
    questions = list(survey.questions.all())
    ratings = {q.pk: rating for q in questions if q.kind == SurveyQuestion.Kind.RATING}
    comments = {q.pk: comment for q in questions if q.kind == SurveyQuestion.Kind.TEXT}
    try:
        with transaction.atomic():
            survey_answer(user=by, survey=survey, ratings=ratings, comments=comments)
    except (ValidationError, PermissionDenied):
        pass  # not a member below the survey's owner, or the survey just closed: the case keeps the answer


@transaction.atomic
def case_link_group(*, by, case: RightsCase, lead: RightsCase, today: dt.date | None = None) -> RightsCase:
    """Link ``case`` to the group case ``lead`` (the same employer). Both become group cases."""
    today = _today(today)
    first, second = sorted([case, lead], key=lambda c: c.pk)
    first, second = _locked(first), _locked(second)
    case, lead = (first, second) if first.pk == case.pk else (second, first)
    if not (can_handle(by, case) and can_handle(by, lead)):
        raise PermissionDenied
    if case.pk == lead.pk or lead.group_lead_id:
        raise ValidationError(_("Link the case to the group's first case."))
    same = (case.enterprise_id and case.enterprise_id == lead.enterprise_id) or (
        not case.enterprise_id and case.employer_name and case.employer_name == lead.employer_name
    )
    if not same:
        raise ValidationError(_("A group case links workers of one employer."))
    RightsCase.objects.filter(group_lead=case).update(group_lead=lead)
    case.group_lead = lead
    case.is_group = True
    case.save(update_fields=["group_lead", "is_group", "updated_at"])
    if not lead.is_group:
        lead.is_group = True
        lead.save(update_fields=["is_group", "updated_at"])
    audit_record(actor=by, action="labour.case_group", obj=case, detail={"lead": lead.pk})
    _after_group_change(lead, by=by, today=today)
    return case


def case_reveal(*, by, case: RightsCase) -> dict[str, str]:
    """The worker's mobile and health details in full, for one who may (audited)."""
    from ..permissions.cases import can_reveal

    if not can_reveal(by, case):
        raise PermissionDenied
    audit_record(actor=by, action="labour.case_reveal", obj=case)
    return {"mobile": case.worker_mobile, "health": case.health_details}


@transaction.atomic
def escalate_overdue(*, today: dt.date | None = None) -> int:
    """Escalate every open case past a timer and not yet escalated: mark it, tell the district's rights
    officers and admins. Idempotent (``escalated_on`` and the notifications' event keys). Returns how many."""
    from ..selectors.cases import overdue_q

    today = _today(today)
    count = 0
    cases = (
        RightsCase.objects.select_for_update(of=("self",))
        .filter(overdue_q(today), escalated_on__isnull=True)
        .select_related("org")
        .order_by("pk")
    )
    for case in cases:
        case.escalated_on = today
        case.save(update_fields=["escalated_on", "updated_at"])
        district = _district_of(case.org)
        people = {u.pk: u for u in role_holders(Role.RIGHTS_OFFICER, at=district)}
        people.update({u.pk: u for u in role_holders(Role.DISTRICT_ADMIN, at=district)})
        for person in people.values():
            notify(
                user=person,
                event_key=f"labour.case.escalated.{case.pk}.{person.pk}",
                title=_("Overdue rights case %(number)s") % {"number": case.number},
                body=_("%(union)s has not met a deadline of the case.") % {"union": case.org.name},
                link=reverse("labour:case_detail", args=[case.pk]),
            )
        audit_record(actor=None, action="labour.case_escalate", obj=case)
        count += 1
    return count


@transaction.atomic
def lawyer_add(*, by, name: str, firm: str, specialities: str = "", mobile: str = "", user=None) -> Lawyer:
    """Put a lawyer on the roster (district admin or rights officer); ``user`` links their outside account."""
    from union_portal.scoping import has_role

    if not has_role(by, *CASE_ADMIN_ROLES):
        raise PermissionDenied
    if not (name or "").strip() or not (firm or "").strip():
        raise ValidationError(_("Enter the lawyer's name and firm."))
    lawyer = Lawyer.objects.create(
        name=name.strip(), firm=firm.strip(), specialities=specialities.strip(), mobile=mobile.strip(), user=user
    )
    audit_record(actor=by, action="labour.lawyer_add", obj=lawyer)
    return lawyer


@transaction.atomic
def case_settings_update(*, by, group_warning_threshold: int) -> CaseSettings:
    """The district admin sets the group-case warning threshold."""
    from union_portal.scoping import has_role

    if not has_role(by, Role.DISTRICT_ADMIN):
        raise PermissionDenied
    if group_warning_threshold is None or not 2 <= group_warning_threshold <= 10000:
        raise ValidationError({"group_warning_threshold": _("Enter a number of workers from 2 to 10000.")})
    row = CaseSettings.objects.select_for_update().order_by("pk").first() or CaseSettings()
    before = row.group_warning_threshold if row.pk else None
    row.group_warning_threshold = group_warning_threshold
    row.save()
    audit_record(
        actor=by, action="labour.case_settings", obj=row, detail={"before": before, "after": group_warning_threshold}
    )
    return row


__all__ = [
    "case_accept",
    "case_add_step",
    "case_assign_lawyer",
    "case_close",
    "case_file",
    "case_for_follow_token",
    "case_link_group",
    "case_record",
    "case_reveal",
    "case_satisfaction",
    "case_settings_update",
    "escalate_overdue",
    "lawyer_add",
    "route",
    "send_follow_link",
]


def cases_reevaluate_deadlines(**_event: object) -> int:
    """The ``workdays.calendar_changed`` handler (and after a DeadlineRule edit): recompute the timers of every
    open case that has not passed them yet (each locked, in primary-key order). Idempotent. Returns how many
    moved."""
    ids = list(RightsCase.objects.exclude(status=CaseStatus.CLOSED).order_by("pk").values_list("pk", flat=True))
    return sum(_deadlines_refresh(pk) for pk in ids)


@transaction.atomic
def _deadlines_refresh(case_id: int) -> int:
    case = RightsCase.objects.select_for_update().filter(pk=case_id).exclude(status=CaseStatus.CLOSED).first()
    if case is None:
        return 0
    before = (case.accept_due, case.answer_due, case.close_due)
    _set_deadlines(case)
    if (case.accept_due, case.answer_due, case.close_due) == before:
        return 0
    case.save(update_fields=["accept_due", "answer_due", "close_due", "updated_at"])
    return 1

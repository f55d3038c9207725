"""Every write of a hardship application, from the draft to the opened file (DOMAIN.md "Hardship assistance"):
the rules versions, the draft and its household, documents, submission with the separate consents, the home
visit, the category, the notice at the unit, township review, district approval, and ``file_open``.

Each state change checks the transition under a row lock (``_locked``), records who/when/why (audit and, for
the review stages, ``union_portal.notices`` review steps) and tells the worker (inbox + SMS that names no
category, illness or income)."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from union_portal.audit import audit_record
from union_portal.crypto import mask_name
from union_portal.identity import id_number_hash, validate_id_number
from union_portal.notices.models import Objection, PublicNotice, ReviewStep
from union_portal.notices.selectors import notices_of
from union_portal.notices.services import notice_close, notice_open, review_record
from union_portal.notifications import notify
from union_portal.tree import ancestor_paths
from union_portal.uploads import check_upload

from ..models import (
    Application,
    ApplicationDocument,
    FilePerson,
    HardshipFile,
    HomeVisit,
    HouseholdMember,
    IncomeItem,
    RuleSet,
    SpendingItem,
    VisitPhoto,
)
from ..models.choices import Category, Cause, Relation
from ..permissions import applications as perms
from ..rules import DEFAULT_RULES, propose_category, validate_rules

if TYPE_CHECKING:
    from members.models import Member
    from union_portal.models import OrgUnit, User

Status = Application.Status
CONSENT_VERSION = "2026-1"
# The first version of a federation's rules, when none was written: in force since long before any application.
FIRST_RULES_DAY = dt.date(2000, 1, 1)
MAX_AGE = 120


# --- rules ---------------------------------------------------------------------------------------------------


def _district_of(org: "OrgUnit") -> "OrgUnit":
    """The district federation above ``org`` (or ``org`` itself), whose rules apply; the root when there is none."""
    from union_portal.models import OrgUnit

    above = OrgUnit.objects.filter(path__in=ancestor_paths(org, include_self=True)).order_by("-depth")
    return next((node for node in above if node.kind == OrgUnit.Kind.DISTRICT), above.last())


def ruleset_in_force(*, org: "OrgUnit", day: dt.date) -> RuleSet:
    """The rules version in force on ``day`` for applications of ``org`` (its district's). When the district has
    never written one, its first version is DEFAULT_RULES (created here, once, in force since FIRST_RULES_DAY)."""
    district = _district_of(org)
    found = RuleSet.objects.filter(org=district, effective_from__lte=day).order_by("-effective_from").first()
    if found is not None:
        return found
    first, _created = RuleSet.objects.get_or_create(
        org=district,
        effective_from=FIRST_RULES_DAY,
        defaults={"rules": dict(DEFAULT_RULES), "note": "DEFAULT_RULES"},
    )
    return first


@transaction.atomic
def ruleset_save(
    *, by: "User", org: "OrgUnit", effective_from: dt.date, rules: dict[str, Any], note: str = ""
) -> RuleSet:
    """A new rules version of the district ``org`` from ``effective_from`` (or a change of the version of that
    day). Applications already submitted keep the version they were judged by. District admins only."""
    if not perms.can_edit_rules(by, org):
        raise PermissionDenied
    errors = validate_rules(rules)
    if errors:
        raise ValidationError(errors)
    ruleset, created = RuleSet.objects.update_or_create(
        org=org, effective_from=effective_from, defaults={"rules": rules, "note": note[:200], "created_by": by}
    )
    audit_record(
        actor=by,
        action="assistance.rules_save",
        obj=ruleset,
        detail={"effective_from": str(effective_from), "created": created},
    )
    return ruleset


# --- the draft -----------------------------------------------------------------------------------------------


@dataclass
class PersonData:
    relation: str
    name: str
    id_number: str
    age: Any
    health: str = "healthy"
    health_note: str = ""
    work: str = "employed"
    school: str = ""


@dataclass
class AmountData:
    kind: str  # IncomeItem.Source or SpendingItem.Kind
    amount: Any
    note: str = ""


@dataclass
class ApplicationData:
    causes: list[str] = field(default_factory=list)
    cause_note: str = ""
    housing: str = ""
    housing_area: Any = None
    assets_note: str = ""


def _amount(value: Any, *, what: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError(_("%(what)s: enter an amount in yuan.") % {"what": what}, code="amount") from None
    if not number.is_finite():
        raise ValidationError(_("%(what)s: enter an amount in yuan.") % {"what": what}, code="amount")
    if number < 0:
        raise ValidationError(_("%(what)s: an amount cannot be negative.") % {"what": what}, code="negative")
    if number != number.quantize(Decimal("0.01")) or number >= Decimal("10000000000"):
        raise ValidationError(_("%(what)s: enter an amount in yuan and fen.") % {"what": what}, code="amount")
    return number


def _clean_household(people: list[PersonData]) -> list[HouseholdMember]:
    """Household rows, unsaved; every problem of every person in one ValidationError."""
    errors: list[str] = []
    rows: list[HouseholdMember] = []
    seen: set[str] = set()
    if not people:
        raise ValidationError(_("Add the members of the household, the worker first."), code="household")
    for index, person in enumerate(people, start=1):
        label = _("Household member %(n)s") % {"n": index}
        if person.relation not in Relation.values:
            errors.append(_("%(who)s: choose the relation to the worker.") % {"who": label})
        if not (person.name or "").strip():
            errors.append(_("%(who)s: enter the name.") % {"who": label})
        try:
            age = int(str(person.age).strip())
        except (TypeError, ValueError):
            age = -1
        if not 0 <= age <= MAX_AGE:
            errors.append(_("%(who)s: the age must be a whole number from 0 to 120.") % {"who": label})
        try:
            number = validate_id_number(person.id_number or "")
        except ValidationError as exc:
            errors.extend(f"{label}: {message}" for message in exc.messages)
            continue
        digest = id_number_hash(number)
        if digest in seen:
            errors.append(_("%(who)s: this ID number is already in the household.") % {"who": label})
        seen.add(digest)
        rows.append(
            HouseholdMember(
                relation=person.relation,
                name=(person.name or "").strip()[:50],
                id_number=number,
                id_number_hash=digest,
                age=max(age, 0),
                health=person.health or "healthy",
                health_note=(person.health_note or "")[:200],
                work=person.work or "employed",
                school=(person.school or "")[:100],
            )
        )
    selves = sum(1 for person in people if person.relation == Relation.SELF)
    if selves != 1:
        errors.append(_("Exactly one household member is the worker (relation: the worker)."))
    if seen:
        in_open_files = FilePerson.objects.filter(is_open=True, id_number_hash__in=seen).values_list(
            "id_number_hash", flat=True
        )
        for row in rows:
            if row.id_number_hash in set(in_open_files):
                errors.append(
                    _("%(name)s is already in an open hardship file; a person can be in one open file only.")
                    % {"name": mask_name(row.name)}
                )
    if errors:
        raise ValidationError(errors)
    return rows


def _clean_amounts(items: list[AmountData], *, kinds, what) -> list[tuple[str, Decimal, str]]:
    errors: list[str] = []
    cleaned = []
    for index, item in enumerate(items, start=1):
        label = f"{what} {index}"
        if item.kind not in kinds:
            errors.append(_("%(what)s: choose what it is.") % {"what": label})
            continue
        try:
            cleaned.append((item.kind, _amount(item.amount, what=label), (item.note or "")[:200]))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_data(data: ApplicationData) -> dict[str, Any]:
    errors: list[str] = []
    causes = list(dict.fromkeys(data.causes or []))
    if not set(causes) <= set(Cause.values):
        errors.append(_("Choose the causes from the list."))
    if data.housing and data.housing not in Application.Housing.values:
        errors.append(_("Choose the housing from the list."))
    area = None
    if data.housing_area not in (None, ""):
        try:
            area = Decimal(str(data.housing_area))
        except (InvalidOperation, ValueError):
            area = None
        if area is None or not area.is_finite() or area < 0 or area >= Decimal("100000"):
            errors.append(_("Enter the floor area in square metres."))
            area = None
        else:
            area = area.quantize(Decimal("0.1"))
    if errors:
        raise ValidationError(errors)
    return {
        "causes": causes,
        "cause_note": (data.cause_note or "")[:2000],
        "housing": data.housing or "",
        "housing_area": area,
        "assets_note": (data.assets_note or "")[:1000],
    }


def _next_number(application: Application, today: dt.date) -> str:
    return f"KN{today.year}-{application.pk:06d}"


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update(of=("self",)).select_related("org", "member").get(pk=application.pk)


@transaction.atomic
def application_save(
    *,
    by: "User",
    member: "Member",
    data: ApplicationData,
    household: list[PersonData],
    incomes: list[AmountData],
    spending: list[AmountData],
    application: Application | None = None,
    today: dt.date | None = None,
) -> Application:
    """Create or change the draft (or a returned application) of ``member``: the household, incomes and rigid
    spending over the last 12 months are replaced as a whole. ``by`` is the worker themself or a handler of the
    member's union (or staff above). Nothing is saved when anything is wrong (one ValidationError with every
    message). A second live application of the same worker is refused (also a partial unique constraint)."""
    today = today or timezone.localdate()
    channel = perms.filing_channel(by, member)
    if channel is None:
        raise PermissionDenied
    fields = _clean_data(data)
    errors: list[str] = []
    rows: list[HouseholdMember] = []
    income_rows: list = []
    spending_rows: list = []
    for step in (
        lambda: rows.extend(_clean_household(household)),
        lambda: income_rows.extend(_clean_amounts(incomes, kinds=IncomeItem.Source.values, what=_("Income"))),
        lambda: spending_rows.extend(
            _clean_amounts(spending, kinds=SpendingItem.Kind.values, what=_("Rigid spending"))
        ),
    ):
        try:
            step()
        except ValidationError as exc:
            errors.extend(exc.messages)
    self_rows = [row for row in rows if row.relation == Relation.SELF]
    if self_rows and self_rows[0].id_number_hash != member.id_number_hash:
        errors.append(_("The household member marked as the worker must be the worker (the ID number differs)."))
    if errors:
        raise ValidationError(errors)
    if application is None:
        if Application.objects.filter(member=member).exclude(status__in=_closed_statuses()).exists():
            raise ValidationError(_("This worker already has an application in progress."), code="live")
        try:
            with transaction.atomic():
                application = Application.objects.create(
                    number=f"tmp-{timezone.now().timestamp()}"[:20],
                    member=member,
                    org=member.org,
                    channel=channel,
                    filed_by=by,
                    **fields,
                )
        except IntegrityError:
            raise ValidationError(_("This worker already has an application in progress."), code="live") from None
        application.number = _next_number(application, today)
        application.save(update_fields=["number"])
        action = "assistance.application_create"
    else:
        application = _locked(application)
        if application.member_id != member.pk:
            raise PermissionDenied
        if application.status not in Application.EDITABLE:
            raise ValidationError(_("This application can no longer be changed."), code="stage")
        for name, value in fields.items():
            setattr(application, name, value)
        application.save()
        application.household.all().delete()
        application.incomes.all().delete()
        application.spending.all().delete()
        action = "assistance.application_update"
    for row in rows:
        row.application = application
    HouseholdMember.objects.bulk_create(rows)
    IncomeItem.objects.bulk_create(
        [IncomeItem(application=application, source=k, amount=a, note=n) for k, a, n in income_rows]
    )
    SpendingItem.objects.bulk_create(
        [SpendingItem(application=application, kind=k, amount=a, note=n) for k, a, n in spending_rows]
    )
    audit_record(actor=by, action=action, obj=application, detail={"household": len(rows)})
    return application


def _closed_statuses() -> list[str]:
    return [Status.APPROVED, Status.REJECTED, Status.WITHDRAWN]


@transaction.atomic
def application_document_add(*, by: "User", application: Application, kind: str, uploaded) -> ApplicationDocument:
    """Attach a document (PDF or photo, checked by content) while the application may be changed."""
    application = _locked(application)
    if perms.filing_channel(by, application.member) is None:
        raise PermissionDenied
    if application.status not in Application.EDITABLE:
        raise ValidationError(_("This application can no longer be changed."), code="stage")
    if kind not in ApplicationDocument.Kind.values:
        raise ValidationError({"kind": _("Choose what the document is.")})
    check_upload(uploaded)
    document = ApplicationDocument.objects.create(application=application, kind=kind, file=uploaded, uploaded_by=by)
    audit_record(actor=by, action="assistance.document_add", obj=application, detail={"kind": kind})
    return document


@transaction.atomic
def application_document_remove(*, by: "User", document: ApplicationDocument) -> None:
    application = _locked(document.application)
    if perms.filing_channel(by, application.member) is None:
        raise PermissionDenied
    if application.status not in Application.EDITABLE:
        raise ValidationError(_("This application can no longer be changed."), code="stage")
    kind = document.kind
    document.file.delete(save=False)
    document.delete()
    audit_record(actor=by, action="assistance.document_remove", obj=application, detail={"kind": kind})


# --- notifications ---------------------------------------------------------------------------------------------


def _tell(application: Application, step: str, title: str, body: str, *, key: str = "") -> None:
    """Tell the worker: the details in the inbox, and a separate text message that only points to the inbox (no
    category, illness, income or comments by SMS), unless they turned SMS off. Once per event."""
    from union_portal.channels import notification_channels

    member = application.member
    user = member.user
    event = f"assistance:application:{application.pk}:{step}:{key}"
    if user is not None:
        notify(user=user, event_key=event, title=title, body=body, link=reverse("assistance:my"))
    if member.mobile and (user is None or notification_channels(user=user)["sms"]):
        notify(
            user=None, event_key=f"{event}:sms", title=_("Hardship assistance"), body=_sms_text(), phone=member.mobile
        )


def _sms_text() -> str:
    return _("There is news about your assistance application. Please read it in your inbox on the union portal.")


# --- submission ------------------------------------------------------------------------------------------------


@transaction.atomic
def application_submit(
    *,
    by: "User",
    application: Application,
    consent_sensitive: bool,
    consent_check: bool,
    now: dt.datetime | None = None,
) -> Application:
    """Submit a draft (or resubmit a returned application). Needs the two separate consents (PIPL art. 29: the
    processing of health, income and family data; the union checking them with other agencies), the signed
    authorisation upload and at least the worker in the household. A returned application that had its home
    visit goes back to the category decision (figures re-worked with the visit's corrections)."""
    now = now or timezone.now()
    application = _locked(application)
    if perms.filing_channel(by, application.member) is None:
        raise PermissionDenied
    if application.status not in Application.EDITABLE:
        raise ValidationError(_("This application has already been submitted."), code="stage")
    errors: list[str] = []
    if not consent_sensitive:
        errors.append(_("Consent to the processing of health, income and family data is needed."))
    if not consent_check:
        errors.append(_("The authorisation for the union to check the data with other agencies is needed."))
    if not application.documents.filter(kind=ApplicationDocument.Kind.AUTHORISATION).exists():
        errors.append(_("Upload the signed authorisation."))
    if not application.household.filter(relation=Relation.SELF).exists():
        errors.append(_("Add the members of the household, the worker first."))
    if not application.causes:
        errors.append(_("Choose at least one cause of hardship."))
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate(now)
    returned = application.status == Status.RETURNED
    application.consent_version = CONSENT_VERSION
    application.consent_sensitive_at = now
    application.consent_check_at = now
    application.submitted_at = now
    application.rule_set = ruleset_in_force(org=application.org, day=today)
    application.outcome_note = ""
    visit = HomeVisit.objects.filter(application=application).first()
    if visit is not None:
        _work_figures(application, visit)
        application.status = Status.VISITED
    else:
        application.status = Status.SUBMITTED
    application.save()
    audit_record(
        actor=by,
        action="assistance.application_resubmit" if returned else "assistance.application_submit",
        obj=application,
        detail={"consent_version": CONSENT_VERSION},
    )
    _tell(
        application,
        "received",
        _("Your assistance application was received"),
        _("Application %(number)s was received. The grassroots union will arrange a home visit.")
        % {"number": application.number},
        key=str(now.timestamp()),
    )
    return application


# --- the home visit ----------------------------------------------------------------------------------------------


def declared_figures(application: Application) -> dict[str, Any]:
    """The figures as declared: household size, income and rigid spending over the last 12 months."""
    return {
        "household_size": application.household.count(),
        "income_12m": application.incomes.aggregate(total=Sum("amount"))["total"] or Decimal("0.00"),
        "spending_12m": application.spending.aggregate(total=Sum("amount"))["total"] or Decimal("0.00"),
    }


def _work_figures(application: Application, visit: HomeVisit) -> None:
    """Figures = declared, replaced by the visit's corrections; the category proposed by the rules version of the
    submission day, with its working. Saves nothing."""
    figures = declared_figures(application)
    for key, change in (visit.corrections or {}).items():
        value = change["corrected"]
        figures[key] = int(value) if key == "household_size" else Decimal(value)
    proposal = propose_category(
        income_12m=figures["income_12m"],
        spending_12m=figures["spending_12m"],
        household_size=figures["household_size"],
        causes=application.causes,
        rules=application.rule_set.rules,
    )
    application.household_size = figures["household_size"]
    application.income_12m = figures["income_12m"]
    application.spending_12m = figures["spending_12m"]
    application.per_capita_income = Decimal(proposal.working["per_capita"])
    application.proposed_category = proposal.category
    application.proposal_working = proposal.working


@transaction.atomic
def visit_record(
    *,
    by: "User",
    application: Application,
    visited_on: dt.date,
    staff_one: "User",
    staff_two: "User",
    findings: str,
    household_size: int | None = None,
    income_12m: Any = None,
    spending_12m: Any = None,
    photos: list | None = None,
    today: dt.date | None = None,
) -> HomeVisit:
    """Record the home visit (入户调查) of a submitted application: two different staff of the grassroots union
    (its handlers or township staff above), a date not in the future, the findings, photos, and the figures
    confirmed or corrected (a corrected figure is stored with the declared one). Proposes the category."""
    today = today or timezone.localdate()
    application = _locked(application)
    if not perms.can_visit(by, application):
        raise PermissionDenied
    if application.status != Status.SUBMITTED:
        raise ValidationError(_("A home visit is recorded for a submitted application."), code="stage")
    errors: list[str] = []
    if visited_on > today:
        errors.append(_("The date of the visit cannot be in the future."))
    if staff_one is None or staff_two is None or staff_one.pk == staff_two.pk:
        errors.append(_("Two different staff members make the home visit."))
    else:
        for person in (staff_one, staff_two):
            if not perms.can_visit(person, application):
                errors.append(
                    _("%(name)s is not staff of this grassroots union or of the township above it.")
                    % {"name": person.full_name or person.get_username()}
                )
    if not (findings or "").strip():
        errors.append(_("Write what the visit found."))
    declared = declared_figures(application)
    corrections: dict[str, dict[str, str]] = {}
    if household_size not in (None, ""):
        try:
            size = int(household_size)
        except (TypeError, ValueError):
            size = 0
        if not 1 <= size <= 30:
            errors.append(_("The household size must be a whole number from 1 to 30."))
        elif size != declared["household_size"]:
            corrections["household_size"] = {"declared": str(declared["household_size"]), "corrected": str(size)}
    for key, value, what in (
        ("income_12m", income_12m, _("Household income")),
        ("spending_12m", spending_12m, _("Rigid spending")),
    ):
        if value in (None, ""):
            continue
        try:
            amount = _amount(value, what=what)
        except ValidationError as exc:
            errors.extend(exc.messages)
            continue
        if amount != declared[key]:
            corrections[key] = {"declared": str(declared[key]), "corrected": str(amount)}
    for photo in photos or []:
        try:
            check_upload(photo, allowed=("jpeg", "png"))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    visit = HomeVisit.objects.create(
        application=application,
        visited_on=visited_on,
        staff_one=staff_one,
        staff_two=staff_two,
        findings=findings.strip(),
        figures_confirmed=not corrections,
        corrections=corrections,
        recorded_by=by,
    )
    for photo in photos or []:
        VisitPhoto.objects.create(visit=visit, file=photo)
    _work_figures(application, visit)
    application.status = Status.VISITED
    application.save()
    audit_record(
        actor=by,
        action="assistance.visit_record",
        obj=application,
        detail={"visited_on": str(visited_on), "corrected": sorted(corrections)},
    )
    _tell(
        application,
        "visited",
        _("Your home visit was recorded"),
        _("The home visit for application %(number)s was recorded on %(day)s.")
        % {"number": application.number, "day": visited_on.isoformat()},
    )
    return visit


# --- category and notice -----------------------------------------------------------------------------------------


def notice_of(application: Application) -> PublicNotice | None:
    return notices_of(application).first()


@transaction.atomic
def category_decide(
    *, by: "User", application: Application, category: str, reason: str = "", today: dt.date | None = None
) -> PublicNotice:
    """The staff decide the category after the visit (a reason when it differs from the proposal) and the case
    goes on notice at the unit: for the rules' working days counting the first day, seen by the logged-in
    members of that grassroots union only, with the name masked, the unit and the category."""
    today = today or timezone.localdate()
    application = _locked(application)
    if not perms.can_visit(by, application):
        raise PermissionDenied
    if application.status != Status.VISITED:
        raise ValidationError(_("The category is decided after the home visit."), code="stage")
    if category not in (Category.DEEP, Category.RELATIVE, Category.ACCIDENT):
        raise ValidationError({"category": _("Choose a hardship category.")})
    reason = (reason or "").strip()
    if category != application.proposed_category and not reason:
        raise ValidationError({"reason": _("Give the reason for a category different from the one the rules propose.")})
    application.category = category
    application.category_reason = reason if category != application.proposed_category else ""
    application.decided_at = timezone.now()
    application.decided_by = by
    application.status = Status.ON_NOTICE
    application.save()
    notice = notice_open(
        by=by,
        subject=application,
        org=application.org,
        title=_("Hardship assistance: %(name)s") % {"name": mask_name(application.member.name)},
        starts_on=today,
        working_days=int(application.rule_set.rules["notice_working_days"]),
        unit_name=application.org.name,
        audience=PublicNotice.Audience.UNIT_MEMBERS,
    )
    audit_record(
        actor=by,
        action="assistance.category_decide",
        obj=application,
        detail={"category": category, "proposed": application.proposed_category, "notice": notice.pk},
    )
    _tell(
        application,
        "notice",
        _("Your application is on notice at your union"),
        _("Application %(number)s is on notice at your union until %(day)s.")
        % {"number": application.number, "day": notice.last_day.isoformat()},
    )
    return notice


@transaction.atomic
def notice_finish(*, by: "User | None", application: Application, today: dt.date | None = None) -> Application:
    """After the notice's last day, with no objection open or upheld, the application goes to township review
    and the notice closes. ``by`` None: the nightly sweep. An objection upheld leaves it with the staff (return
    or reject at township review is then theirs to decide: it goes on to the township with the objection)."""
    today = today or timezone.localdate()
    application = _locked(application)
    if by is not None and not perms.can_visit(by, application) and not perms.can_review_township(by, application):
        raise PermissionDenied
    if application.status != Status.ON_NOTICE:
        raise ValidationError(_("This application is not on notice."), code="stage")
    notice = notice_of(application)
    if notice is None or notice.status != PublicNotice.Status.OPEN:
        raise ValidationError(_("This application is not on notice."), code="stage")
    if today <= notice.last_day:
        raise ValidationError(
            _("The notice runs until %(day)s.") % {"day": notice.last_day.isoformat()}, code="running"
        )
    if notice.objections.filter(status=Objection.Status.OPEN).exists():
        raise ValidationError(_("An objection is still being investigated."), code="objection")
    notice_close(notice=notice, today=today)
    application.status = Status.TOWNSHIP_REVIEW
    application.save(update_fields=["status", "updated_at"])
    upheld = notice.objections.filter(status=Objection.Status.UPHELD).count()
    audit_record(actor=by, action="assistance.notice_finish", obj=application, detail={"upheld": upheld})
    return application


# --- review and approval -----------------------------------------------------------------------------------------

PASS, RETURN, REJECT = "pass", "return", "reject"


@transaction.atomic
def application_review(
    *, by: "User", application: Application, decision: str, comment: str = "", today: dt.date | None = None
) -> Application:
    """Township review (township staff, then it goes to the district) or district approval (the district admin:
    the file is opened), by the application's stage. Each may return it with comments (the applicant or handler
    corrects and resubmits) or not approve it with a reason."""
    today = today or timezone.localdate()
    application = _locked(application)
    if application.status == Status.TOWNSHIP_REVIEW:
        allowed, stage = perms.can_review_township(by, application), ReviewStep.Stage.TOWNSHIP
    elif application.status == Status.DISTRICT_REVIEW:
        allowed, stage = perms.can_approve(by, application), ReviewStep.Stage.DISTRICT
    else:
        raise ValidationError(_("This application is not waiting for a review."), code="stage")
    if not allowed:
        raise PermissionDenied
    comment = (comment or "").strip()
    if decision not in (PASS, RETURN, REJECT):
        raise ValidationError({"decision": _("Choose pass, return or not approve.")})
    if decision in (RETURN, REJECT) and not comment:
        raise ValidationError({"comment": _("Say what must be changed, or why it is not approved.")})
    review_record(
        by=by,
        subject=application,
        stage=stage,
        decision=ReviewStep.Decision.PASS if decision == PASS else ReviewStep.Decision.RETURN,
        comment=comment if decision != REJECT else _("Not approved: %(reason)s") % {"reason": comment},
    )
    action = f"assistance.review_{stage}"
    if decision == PASS and stage == ReviewStep.Stage.TOWNSHIP:
        application.status = Status.DISTRICT_REVIEW
        application.save(update_fields=["status", "updated_at"])
        audit_record(actor=by, action=action, obj=application, detail={"decision": decision})
        return application
    if decision == PASS:
        application.status = Status.APPROVED
        application.save(update_fields=["status", "updated_at"])
        audit_record(actor=by, action=action, obj=application, detail={"decision": decision})
        hardship_file = file_open(by=by, application=application, today=today)
        _tell(
            application,
            "approved",
            _("Your assistance application was approved"),
            _("Application %(number)s was approved; your hardship file %(file)s is open until %(day)s.")
            % {"number": application.number, "file": hardship_file.number, "day": hardship_file.valid_until},
        )
        return application
    application.outcome_note = comment
    application.status = Status.RETURNED if decision == RETURN else Status.REJECTED
    application.save(update_fields=["status", "outcome_note", "updated_at"])
    audit_record(actor=by, action=action, obj=application, detail={"decision": decision, "comment": comment})
    if decision == RETURN:
        _tell(
            application,
            "returned",
            _("Your assistance application was returned"),
            _("Application %(number)s was returned for changes: %(comment)s")
            % {"number": application.number, "comment": comment},
            key=str(timezone.now().timestamp()),
        )
    else:
        _tell(
            application,
            "rejected",
            _("Your assistance application was not approved"),
            _("Application %(number)s was not approved: %(comment)s")
            % {"number": application.number, "comment": comment},
        )
    return application


@transaction.atomic
def file_open(*, by: "User", application: Application, today: dt.date | None = None) -> HardshipFile:
    """Open the hardship file of an approved application: number, category, household size, per-capita income,
    the minimum living standard line, opened today and valid for the rules' months, a FilePerson (is_open) for every household
    member. One open file per member and nobody in two open files (partial unique constraints): a clash is
    a clear message and nothing is saved. Precondition: the caller approved it (status APPROVED)."""
    today = today or timezone.localdate()
    application = _locked(application)
    if application.status != Status.APPROVED:
        raise ValidationError(_("A file is opened for an approved application."), code="stage")
    rules = application.rule_set.rules
    try:
        with transaction.atomic():
            hardship_file = HardshipFile.objects.create(
                number=f"tmp-{application.pk}",
                member=application.member,
                org=application.org,
                application=application,
                category=application.category,
                household_size=application.household_size,
                per_capita_income=application.per_capita_income,
                poverty_line=Decimal(str(rules["poverty_line"])),
                opened_on=today,
                valid_until=today + relativedelta(months=int(rules["file_valid_months"])),
            )
            hardship_file.number = f"KD{today.year}-{hardship_file.pk:06d}"
            hardship_file.save(update_fields=["number"])
            FilePerson.objects.bulk_create(
                [
                    FilePerson(
                        file=hardship_file,
                        household_member=person,
                        relation=person.relation,
                        name=person.name,
                        id_number_hash=person.id_number_hash,
                        is_open=True,
                    )
                    for person in application.household.all()
                ]
            )
    except IntegrityError:
        raise ValidationError(
            _("The worker or a member of the household is already in an open hardship file."), code="open_file"
        ) from None
    audit_record(actor=by, action="assistance.file_open", obj=hardship_file, detail={"application": application.pk})
    return hardship_file


def application_reveal(*, by: "User", application: Application) -> None:
    """Record that ``by`` saw the health and income details in full. Precondition: the caller checked
    ``perms.can_reveal``."""
    audit_record(actor=by, action="assistance.application_reveal", obj=application)


def notices_finish_due(*, today: dt.date | None = None) -> list[int]:
    """The nightly sweep: every application whose notice at the unit has passed its last day, with no objection
    open, goes to township review (``notice_finish``). Idempotent; one that cannot move yet is left for staff."""
    today = today or timezone.localdate()
    due = (
        PublicNotice.objects.filter(
            subject_type__app_label="assistance",
            subject_type__model="application",
            status=PublicNotice.Status.OPEN,
            ends_on__lt=today,
        )
        .order_by("pk")
        .values_list("subject_id", flat=True)
    )
    moved = []
    for application in Application.objects.filter(pk__in=list(due), status=Status.ON_NOTICE).order_by("pk"):
        try:
            notice_finish(by=None, application=application, today=today)
        except ValidationError:
            continue
        moved.append(application.pk)
    return moved

"""Every write of mutual aid. Each state change checks the transition, writes a ClaimEvent and an audit row,
and notifies the worker.

Locks, always in this order: claim rows (pk order) → the member's period ledger. Money is decided only
while the ledger row is held with SELECT FOR UPDATE, so two approvals of one member's claims serialise and
the cap holds."""

import datetime as dt
import functools
import logging
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.models import Member
from members.selectors import member_status_events, member_status_on
from union_portal import tree
from union_portal.audit import AuditRow, audit_record, audit_record_many
from union_portal.enqueue import enqueue
from union_portal.identity import BANK_ACCOUNT_RE, normalize_bank_account
from union_portal.models import OrgUnit, User
from union_portal.money import ZERO, fits_money_field, is_whole_fen, round_fen
from union_portal.notifications import notify
from union_portal.payments import selectors as payments_selectors
from union_portal.payments import services as payments
from union_portal.payments.locks import payment_for_update
from union_portal.payments.models import Payment, PaymentBatch
from union_portal.roles import Role, role_holders
from union_portal.scoping import home_nodes
from union_portal.uploads import check_upload

from . import locks, selectors
from .models import (
    Benefit,
    Claim,
    ClaimDocument,
    ClaimEvent,
    ClaimInvoice,
    Cover,
    Enrolment,
    Ledger,
    RuleVersion,
    Scheme,
)
from .permissions import can_act_for, can_confirm_payment, can_enrol, can_reveal_bank_account, can_review
from .rules import DEFAULT_PREMIUMS, DEFAULT_RULES, Computation, compute_inpatient, compute_lump_sum, lump_sum_key
from .rules import validate_rules as _validate_rules

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


logger = logging.getLogger(__name__)

CONSENT_VERSION = "2026-01"
CONSENT_TEXT = gettext_lazy(
    "I separately consent to the district trade union federation processing my medical information (hospital "
    "records, invoices, settlement sheets, diagnoses) only to review and pay this mutual-aid claim, keeping it "
    "for the period the rules require, and sharing it with no one else except as the law requires "
    "(Personal Information Protection Law, art. 29)."
)
APPEAL_DAYS = 30

# Automatic review check codes and their messages (params filled in at display time).
CHECK_MESSAGES = {
    "MEMBER_NOT_ACTIVE": gettext_lazy("The person was not an active member on the admission date."),
    "NOT_COVERED": gettext_lazy("The member was not covered for this benefit on the admission date."),
    "WAITING_PERIOD": gettext_lazy("Admitted during the waiting period (it ends on %(until)s)."),
    "DEADLINE_MISSED": gettext_lazy("Filed after the claim deadline (%(deadline)s)."),
    "DOCUMENTS_MISSING": gettext_lazy("Required documents are missing: %(documents)s."),
    "INVOICE_REUSED": gettext_lazy("Invoice %(invoice)s was already claimed in claim #%(other)s."),
    "STAY_OVERLAP": gettext_lazy("The stay overlaps claim #%(other)s of the same member."),
    "CAP_REACHED": gettext_lazy("Nothing is left to pay: the cap is reached or the lump sum was already used."),
    "FEMALE_ONLY": gettext_lazy("This benefit is for women members only."),
    "NOTHING_PAYABLE": gettext_lazy("The rules give nothing for this amount (it lies in the band paid at rate 0)."),
    "DISEASE_NOT_LISTED": gettext_lazy("The disease is not on the scheme's list."),
}


# What a passed check established, shown next to its tick on the claim page.
CHECK_PASSED = {
    "MEMBER_NOT_ACTIVE": gettext_lazy("An active member on the admission date"),
    "NOT_COVERED": gettext_lazy("Covered for this benefit on the admission date"),
    "WAITING_PERIOD": gettext_lazy("Admitted after the waiting period"),
    "DEADLINE_MISSED": gettext_lazy("Filed within the claim deadline"),
    "DOCUMENTS_MISSING": gettext_lazy("All required documents are present"),
    "INVOICE_REUSED": gettext_lazy("No invoice was claimed before"),
    "STAY_OVERLAP": gettext_lazy("The stay overlaps no other claim"),
    "CAP_REACHED": gettext_lazy("Within the cap"),
    "FEMALE_ONLY": gettext_lazy("A woman member"),
    "NOTHING_PAYABLE": gettext_lazy("The rules give an amount to pay"),
    "DISEASE_NOT_LISTED": gettext_lazy("The disease is on the scheme's list"),
}


def check_label(check: dict) -> str:
    """The line shown for one automatic check: what it established, or why it failed."""
    if check.get("ok"):
        return str(CHECK_PASSED.get(check.get("code", ""), check.get("code", "")))
    return check_message(check)


def check_message(check: dict) -> str:
    template = CHECK_MESSAGES.get(check.get("code", ""), check.get("code", ""))
    params = check.get("params") or {}
    if params.get("documents"):
        params = dict(params, documents="、".join(str(ClaimDocument.Kind(d).label) for d in params["documents"]))
    return str(template) % params if params else str(template)


def _require(condition: bool, message: str, field: str | None = None) -> None:
    if not condition:
        raise ValidationError({field: message} if field else message)


# --- Schemes and rules ----------------------------------------------------------------------------------
@transaction.atomic
def scheme_create(*, by: User, year: int, name: str = "", starts_on: dt.date | None = None, ends_on=None) -> Scheme:
    """A scheme period with the three default benefits and their default rules (DOMAIN.md), first version
    effective from the period's start. District admin only."""
    _require(year >= 2000, _("The year is not valid."), "year")
    _require(not Scheme.objects.filter(year=year).exists(), _("A scheme for this year exists already."), "year")
    starts_on = starts_on or dt.date(year, 1, 1)
    ends_on = ends_on or dt.date(year, 12, 31)
    _require(ends_on > starts_on, _("The period must end after it starts."), "ends_on")
    scheme = Scheme.objects.create(
        year=year, name=name or _("Medical mutual aid %(year)s") % {"year": year}, starts_on=starts_on, ends_on=ends_on
    )
    names = {
        Benefit.Kind.INPATIENT: ("住院医疗互助", False, "base"),
        Benefit.Kind.MAJOR_DISEASE: ("重大疾病互助", False, "base"),
        Benefit.Kind.FEMALE_DISEASE: ("女职工特殊疾病互助", True, "female"),
    }
    for kind, (bname, female_only, package) in names.items():
        benefit = Benefit.objects.create(
            scheme=scheme,
            kind=kind,
            name=bname,
            premium=DEFAULT_PREMIUMS[kind],
            female_only=female_only,
            package=package,
        )
        RuleVersion.objects.create(
            benefit=benefit, effective_from=starts_on, rules=DEFAULT_RULES[kind], created_by=by, note="default"
        )
    audit_record(actor=by, action="mutual_aid.scheme_create", obj=scheme)
    return scheme


@transaction.atomic
def scheme_update(*, by: User, scheme: Scheme, **fields) -> Scheme:
    allowed = {
        "name",
        "deadline_month",
        "deadline_day",
        "min_participation_pct",
        "large_unit_size",
        "large_unit_min_pct",
    }
    changes = {}
    for key, value in fields.items():
        _require(key in allowed, "bad field")
        changes[key] = [str(getattr(scheme, key)), str(value)]
        setattr(scheme, key, value)
    try:
        dt.date(2001, scheme.deadline_month, scheme.deadline_day)
    except ValueError:
        raise ValidationError({"deadline_day": _("The deadline is not a valid date.")}) from None
    scheme.save()
    audit_record(actor=by, action="mutual_aid.scheme_update", obj=scheme, detail=changes)
    return scheme


@transaction.atomic
def rule_version_create(
    *, by: User, benefit: Benefit, effective_from: dt.date, rules: dict, premium: Decimal | None = None, note: str = ""
) -> RuleVersion:
    """A new version of a benefit's rules. Claims admitted from ``effective_from`` on use it; earlier claims
    keep theirs. Versions are never edited, so a decided claim can always be recomputed."""
    scheme = benefit.scheme
    _require(
        scheme.starts_on <= effective_from <= scheme.ends_on,
        _("The date must lie within the scheme period."),
        "effective_from",
    )
    _require(
        not benefit.versions.filter(effective_from=effective_from).exists(),
        _("A version effective on this date exists already."),
        "effective_from",
    )
    try:
        rules = _validate_rules(benefit.kind, rules)
    except ValidationError as exc:
        raise ValidationError({"rules": exc.messages}) from None
    version = RuleVersion.objects.create(
        benefit=benefit, effective_from=effective_from, rules=rules, created_by=by, note=note
    )
    if premium is not None:
        _require(premium >= 0, _("The premium cannot be negative."), "premium")
        benefit.premium = round_fen(premium)
        benefit.save(update_fields=["premium"])
    audit_record(actor=by, action="mutual_aid.rules_version", obj=version, detail={"rules": rules})
    return version


# --- Enrolment ------------------------------------------------------------------------------------------
def participation_minimum(*, scheme: Scheme, eligible: int) -> int:
    """Members a unit must enrol: 80% (50% from 1,000 members), rounded up."""
    pct = scheme.large_unit_min_pct if eligible >= scheme.large_unit_size else scheme.min_participation_pct
    return -(-eligible * pct // 100)


@transaction.atomic
def enrolment_create(*, by: User, benefit: Benefit, org: OrgUnit, members: list[Member]) -> Enrolment:
    """Enrol members of one grassroots union in one benefit for the period. Checks every member is an
    active (and, for the women's package, female) member of the union, not enrolled already, and the
    participation minimum. Premium due = members × premium. Cover starts when finance confirms payment."""
    if not can_enrol(by, org):
        raise PermissionDenied
    scheme = benefit.scheme
    _require(org.kind == OrgUnit.Kind.GRASSROOTS, _("Only a grassroots union can enrol its members."))
    _require(
        not Enrolment.objects.filter(scheme=scheme, benefit=benefit, org=org).exists(),
        _("This union is already enrolled in this benefit for the period."),
    )
    ids = {m.pk for m in members}
    _require(bool(ids), _("Choose at least one member."))
    eligible_ids = set(selectors.eligible_members(org=org, benefit=benefit).values_list("pk", flat=True))
    wrong = ids - eligible_ids
    _require(
        not wrong,
        _("%(n)s of the chosen people are not active members of this union who may join this benefit.")
        % {"n": len(wrong)},
    )
    minimum = participation_minimum(scheme=scheme, eligible=len(eligible_ids))
    _require(
        len(ids) >= minimum,
        _("At least %(min)s of the %(eligible)s eligible members must be enrolled (%(n)s chosen).")
        % {"min": minimum, "eligible": len(eligible_ids), "n": len(ids)},
    )
    enrolment = Enrolment.objects.create(
        scheme=scheme,
        benefit=benefit,
        org=org,
        member_count=len(ids),
        eligible_count=len(eligible_ids),
        premium_due=round_fen(benefit.premium * len(ids)),
        enrolled_by=by,
    )
    previous = set(
        Cover.objects.filter(
            scheme__year=scheme.year - 1, benefit__kind=benefit.kind, member_id__in=ids, starts_on__isnull=False
        ).values_list("member_id", flat=True)
    )
    try:
        with transaction.atomic():
            Cover.objects.bulk_create(
                Cover(enrolment=enrolment, scheme=scheme, benefit=benefit, member_id=pk, continuing=pk in previous)
                for pk in sorted(ids)
            )
    except IntegrityError:
        raise ValidationError(_("Some of these members are enrolled in this benefit already.")) from None
    audit_record(
        actor=by,
        action="mutual_aid.enrol",
        obj=enrolment,
        detail={"members": len(ids), "premium": str(enrolment.premium_due)},
    )
    return enrolment


def parse_enrolment_excel(*, upload, org: OrgUnit, benefit: Benefit) -> tuple[list[Member], list]:
    """Read an Excel list (column 会员编号 member number; optional 姓名 name) into members of ``org``. Returns
    (members, row errors); nothing is written."""
    from union_portal.excel import ExcelFileError, RowError, read_table

    try:
        table = read_table(upload, required=["会员编号"], optional=["姓名", "身份证号", "备注"])
    except ExcelFileError as exc:
        return [], [RowError(1, "", str(exc))]
    numbers = [row["会员编号"].strip() for _n, row in table.rows]
    eligible = {m.member_number: m for m in selectors.eligible_members(org=org, benefit=benefit)}
    members, errors, seen = [], [], set()
    for (row_no, row), number in zip(table.rows, numbers, strict=True):
        if not number:
            errors.append(RowError(row_no, "会员编号", _("The member number is empty.")))
        elif number in seen:
            errors.append(RowError(row_no, "会员编号", _("This member is listed twice.")))
        elif number not in eligible:
            errors.append(
                RowError(
                    row_no, "会员编号", _("No active member with this number in this union may join this benefit.")
                )
            )
        elif row.get("姓名") and row["姓名"].strip() != eligible[number].name:
            errors.append(RowError(row_no, "姓名", _("The name does not match the member number.")))
        else:
            members.append(eligible[number])
        seen.add(number)
    return members, errors


@transaction.atomic
def enrolment_confirm_payment(
    *, by: User, enrolment: Enrolment, reference: str, on: dt.datetime | None = None
) -> Enrolment:
    """Finance confirms the unit's premium arrived. Cover starts at 00:00 the next day; the waiting period
    runs from then, except for members enrolled without a gap in the previous period. Locks the enrolment."""
    if not can_confirm_payment(by, enrolment.org):
        raise PermissionDenied
    enrolment = locks.enrolment_for_update(enrolment.pk)
    _require(enrolment.status == Enrolment.Status.AWAITING_PAYMENT, _("The payment was confirmed already."))
    _require(bool(reference.strip()), _("Give the payment reference."), "reference")
    now = on or timezone.now()
    starts = timezone.localtime(now).date() + dt.timedelta(days=1)
    version = selectors.rule_version_in_force(benefit=enrolment.benefit, on=starts)
    assert version is not None  # a benefit is created with its first rule version
    waiting = dt.timedelta(days=int(version.rules.get("waiting_days", 0)))
    enrolment.status = Enrolment.Status.PAID
    enrolment.confirmed_by = by
    enrolment.confirmed_at = now
    enrolment.payment_reference = reference.strip()
    enrolment.cover_starts_on = starts
    enrolment.save()
    enrolment.covers.filter(continuing=True).update(starts_on=starts, waiting_ends_on=starts)
    enrolment.covers.filter(continuing=False).update(starts_on=starts, waiting_ends_on=starts + waiting)
    audit_record(actor=by, action="mutual_aid.enrolment_paid", obj=enrolment, detail={"reference": reference})
    return enrolment


# --- Claims: filing -------------------------------------------------------------------------------------
def _notify_event(claim: Claim, event: ClaimEvent, title: str, body: str) -> None:
    member = claim.member
    if member.user_id is None:
        return
    notify(
        user=member.user,
        event_key=f"mutual_aid.claim.{claim.pk}.{event.action}.{event.pk}",
        title=title,
        body=body,
        link=claim.get_absolute_url(),
        phone=member.mobile or "",
        email=member.email or "",
    )


def _event(
    claim: Claim, *, action: str, from_status: str, by: User, note: str = "", amount=None, at: dt.datetime | None = None
) -> ClaimEvent:
    event = ClaimEvent.objects.create(
        claim=claim, action=action, from_status=from_status, to_status=claim.status, by=by, note=note, amount=amount
    )
    if at is not None:  # a service given ``now=`` dates its event so (``at`` is auto_now_add)
        ClaimEvent.objects.filter(pk=event.pk).update(at=at)
        event.at = at
    audit_record(
        actor=by,
        action=f"mutual_aid.claim_{action}",
        obj=claim,
        detail={"from": from_status, "to": claim.status, "note": note, "amount": str(amount) if amount else ""},
    )
    return event


def _enqueue_review(claim: Claim) -> None:
    pk, submission = claim.pk, claim.submission
    transaction.on_commit(lambda: _send_review(pk, submission))


def _send_review(pk: int, submission: int) -> None:
    """Queue the automatic review. The claim is already committed: a broker that is down must not lose it
    nor fail the worker's request. The review then runs when the periodic sweep (requeue_stale_reviews)
    finds the claim still SUBMITTED once the broker is back."""
    from .tasks import auto_review_task

    enqueue(auto_review_task, pk, submission, what=f"the review of claim {pk}")


def _clean_amount(value, label: str, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except Exception:  # noqa: BLE001 - any unparsable input is the same user error
        raise ValidationError({field: _("%(what)s is not a number.") % {"what": label}}) from None
    if not amount.is_finite():
        raise ValidationError({field: _("%(what)s is not a number.") % {"what": label}})
    if not fits_money_field(amount):
        raise ValidationError({field: _("%(what)s is too large.") % {"what": label}})
    if amount < 0:
        raise ValidationError({field: _("%(what)s cannot be negative.") % {"what": label}})
    if not is_whole_fen(amount):
        raise ValidationError({field: _("%(what)s has more than two decimals.") % {"what": label}})
    return round_fen(amount)


@transaction.atomic
def claim_submit(
    *,
    by: User,
    member: Member,
    benefit_kind: str,
    hospital: str,
    admission_date: dt.date,
    discharge_date: dt.date,
    total_amount,
    self_paid_amount,
    excluded_amount=ZERO,
    disease_code: str = "",
    invoice_numbers: list[str],
    documents: list[tuple[str, object]],
    bank_account: str = "",
    bank_name: str = "",
    consent: bool,
    now: dt.datetime | None = None,
) -> Claim:
    """File a claim for ``member`` (by the member, or a handler over their union). Validates everything
    before writing; the automatic review runs in Celery after commit. Raises ValidationError. ``now``: the
    moment of filing (default: now); the dates may not lie after its day."""
    if not can_act_for(by, member):
        raise PermissionDenied
    errors: dict[str, str] = {}
    filed_at = now or timezone.now()
    today = timezone.localdate(filed_at)
    if not consent:
        errors["consent"] = _("The separate consent to processing medical data is required to file a claim.")
    if admission_date > discharge_date:
        errors["discharge_date"] = _("The discharge date cannot be before the admission date.")
    if discharge_date > today or admission_date > today:
        errors["discharge_date"] = _("The dates cannot be in the future.")
    if not hospital.strip():
        errors["hospital"] = _("Give the hospital.")
    try:
        total: Decimal | None = _clean_amount(total_amount, _("The total cost"), "total_amount")
        self_paid: Decimal | None = _clean_amount(self_paid_amount, _("The self-paid amount"), "self_paid_amount")
        excluded: Decimal | None = _clean_amount(excluded_amount or ZERO, _("The excluded items"), "excluded_amount")
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
        total = self_paid = excluded = None
    if total is not None and self_paid is not None and excluded is not None:  # all three or none
        if self_paid > total:
            errors["self_paid_amount"] = _("The self-paid amount cannot be larger than the total cost.")
        elif excluded > self_paid:
            errors["excluded_amount"] = _("The excluded items cannot be larger than the self-paid amount.")
    scheme = selectors.scheme_for_date(admission_date)
    benefit = selectors.benefit_of(scheme=scheme, kind=benefit_kind) if scheme else None
    if scheme is None or benefit is None:
        errors["admission_date"] = _("No mutual-aid scheme offers this benefit on the admission date.")
    elif not Cover.objects.filter(member=member, benefit=benefit, starts_on__isnull=False).exists():
        errors["benefit"] = _("%(name)s is not covered by this benefit in the %(year)s period.") % {
            "name": member.name,
            "year": scheme.year,
        }
    version = selectors.rule_version_in_force(benefit=benefit, on=admission_date) if benefit else None
    numbers = [n.strip().upper() for n in invoice_numbers if n and n.strip()]
    if len(set(numbers)) != len(numbers):
        errors["invoice_numbers"] = _("An invoice number is listed twice.")
    if benefit is not None and benefit.kind == Benefit.Kind.INPATIENT:
        if not numbers:
            errors["invoice_numbers"] = _("Give the hospital invoice number(s).")
        disease_code = ""
    elif version is not None and disease_code not in version.rules.get("diseases", {}):
        errors["disease_code"] = _("Choose a disease from the scheme's list.")
    checked = []
    for kind, upload in documents:
        if kind not in ClaimDocument.Kind.values:
            errors["documents"] = _("Unknown document type.")
            continue
        try:
            checked.append((kind, upload, check_upload(upload)))
        except ValidationError as exc:
            errors["documents"] = exc.messages[0]
    bank_account = normalize_bank_account(bank_account or member.bank_account or "")
    bank_name = bank_name or member.bank_name or ""
    if not BANK_ACCOUNT_RE.match(bank_account):
        errors["bank_account"] = _("Give a valid bank account number (12 to 30 digits).")
    if not bank_name.strip():
        errors["bank_name"] = _("Give the bank.")
    if errors:
        raise ValidationError(errors)
    assert scheme and benefit and total is not None and self_paid is not None and excluded is not None  # else errors
    claim = Claim.objects.create(
        member=member,
        scheme=scheme,
        benefit=benefit,
        rule_version=version,
        filed_by=by,
        hospital=hospital.strip(),
        admission_date=admission_date,
        discharge_date=discharge_date,
        total_amount=total,
        self_paid_amount=self_paid,
        excluded_amount=excluded,
        disease_code=disease_code,
        payee_bank_account=bank_account,
        payee_bank_name=bank_name.strip(),
        consent_version=CONSENT_VERSION,
        consent_at=filed_at,
        submitted_at=filed_at,
    )
    ClaimInvoice.objects.bulk_create(ClaimInvoice(claim=claim, number=n) for n in numbers)
    for kind, upload, content_kind in checked:
        ClaimDocument.objects.create(
            claim=claim,
            kind=kind,
            file=upload,
            content_kind=content_kind,
            original_name=(getattr(upload, "name", "") or "")[:200],
            uploaded_by=by,
        )
    event = _event(claim, action="submitted", from_status="", by=by, at=now)
    audit_record(actor=by, action="mutual_aid.consent", obj=claim, detail={"version": CONSENT_VERSION})
    _notify_event(
        claim,
        event,
        _("Claim received"),
        _("Your mutual-aid claim %(number)s was received and is being reviewed.") % {"number": claim.number},
    )
    _enqueue_review(claim)
    return claim


# --- Automatic review -----------------------------------------------------------------------------------
def _deadline(scheme: Scheme, discharge: dt.date) -> dt.date:
    return dt.date(discharge.year + 1, scheme.deadline_month, scheme.deadline_day)


def compute_for_claim(claim: Claim, ledger: Ledger | None):
    """The rule amount for ``claim`` against ``ledger`` (None: nothing used yet)."""
    assert claim.rule_version is not None  # set when the claim is filed
    rules = claim.rule_version.rules
    if claim.benefit.kind == Benefit.Kind.INPATIENT:
        return compute_inpatient(
            rules,
            base=claim.base,
            prior_base=ledger.cumulative_base if ledger else ZERO,
            prior_paid=ledger.inpatient_paid if ledger else ZERO,
        )
    return compute_lump_sum(
        claim.benefit.kind, rules, disease=claim.disease_code, used=ledger.lump_sums_used if ledger else []
    )


class _ReviewFields(TypedDict):
    """What ``_review_queryset`` reads beside each claim."""

    rv_cover_starts: dt.date | None
    rv_cover_waiting: dt.date | None
    rv_ledger_base: Decimal | None
    rv_ledger_paid: Decimal  # read only when rv_ledger_base (same row) is not None
    rv_ledger_used: list[str] | None
    rv_overlap: int | None
    rv_dup_number: str | None
    rv_dup_claim: int | None
    rv_status_event: str | None
    rv_status_later: str | None


def _review_queryset() -> "QuerySet[WithAnnotations[Claim, _ReviewFields]]":
    """Claims with what the automatic review needs beside them, read in the same SELECT: the member's cover,
    period ledger, the first overlapping stay, the first other claim holding one of its invoices, and the
    membership events that tell the member's status on the admission date (see ``_status_on_admission``)."""
    cover = Cover.objects.filter(
        member_id=OuterRef("member_id"), benefit_id=OuterRef("benefit_id"), starts_on__isnull=False
    ).order_by("pk")
    ledger = Ledger.objects.filter(member_id=OuterRef("member_id"), scheme_id=OuterRef("scheme_id"))
    overlap = (
        Claim.objects.filter(
            member_id=OuterRef("member_id"),
            benefit_id=OuterRef("benefit_id"),
            admission_date__lte=OuterRef("discharge_date"),
            discharge_date__gte=OuterRef("admission_date"),
        )
        .exclude(pk=OuterRef("pk"))
        .exclude(status=Claim.Status.REJECTED)
        .order_by("pk")
        .values("pk")[:1]
    )
    duplicate = (
        ClaimInvoice.objects.filter(
            number__in=ClaimInvoice.objects.filter(claim_id=OuterRef(OuterRef("pk"))).values("number")
        )
        .exclude(claim_id=OuterRef("pk"))
        .exclude(claim__status=Claim.Status.REJECTED)
        .order_by("claim_id")
    )
    # The two reads of members.selectors.member_status_on, as subqueries.
    status_event, status_later = member_status_events(member_id=OuterRef("member_id"), on=OuterRef("admission_date"))
    return Claim.objects.annotate(
        rv_cover_starts=Subquery(cover.values("starts_on")[:1]),
        rv_cover_waiting=Subquery(cover.values("waiting_ends_on")[:1]),
        rv_ledger_base=Subquery(ledger.values("cumulative_base")[:1]),
        rv_ledger_paid=Subquery(ledger.values("inpatient_paid")[:1]),
        rv_ledger_used=Subquery(ledger.values("lump_sums_used")[:1]),
        rv_overlap=Subquery(overlap),
        rv_dup_number=Subquery(duplicate.values("number")[:1]),
        rv_dup_claim=Subquery(duplicate.values("claim_id")[:1]),
        rv_status_event=Subquery(status_event[:1]),
        rv_status_later=Subquery(status_later[:1]),
    )


def _status_on_admission(claim: "WithAnnotations[Claim, _ReviewFields]") -> str | None:
    """``members.selectors.member_status_on(member, on=admission_date)`` from the subqueries read with the
    claim (``_review_queryset``): no further query. tests/mutual_aid pins the two to the same answers."""
    read = (lambda: claim.rv_status_event, lambda: claim.rv_status_later)
    return member_status_on(member=claim.member, on=claim.admission_date, read=read)


def run_checks(
    claim: "WithAnnotations[Claim, _ReviewFields]", documents: set[str] | None = None
) -> tuple[list[dict], Computation | None]:
    """The automatic checks of one claim (fetched through ``_review_queryset``) and the proposed
    computation. Reads only; ``documents`` (the kinds present) is read here when not given."""
    checks: list[dict] = []

    def add(code: str, ok: bool, **params) -> None:
        checks.append({"code": code, "ok": ok, "params": {k: str(v) for k, v in params.items()}})

    member, scheme, benefit = claim.member, claim.scheme, claim.benefit
    status = _status_on_admission(claim)
    add("MEMBER_NOT_ACTIVE", status in Member.HOLDING_STATUSES)
    if benefit.female_only:
        add("FEMALE_ONLY", member.sex == Member.Sex.FEMALE)
    starts, waiting = claim.rv_cover_starts, claim.rv_cover_waiting
    covered = starts is not None and starts <= claim.admission_date <= scheme.ends_on
    add("NOT_COVERED", covered)
    if starts is not None and waiting:
        add("WAITING_PERIOD", claim.admission_date >= waiting, until=waiting)
    deadline = _deadline(scheme, claim.discharge_date)
    add("DEADLINE_MISSED", timezone.localtime(claim.submitted_at).date() <= deadline, deadline=deadline)
    assert claim.rule_version is not None  # set when the claim is filed
    required = claim.rule_version.rules.get("documents", [])
    present = documents if documents is not None else set(claim.documents.values_list("kind", flat=True))
    missing = [d for d in required if d not in present]
    checks.append({"code": "DOCUMENTS_MISSING", "ok": not missing, "params": {"documents": missing} if missing else {}})
    dup = claim.rv_dup_claim
    add("INVOICE_REUSED", dup is None, **({"invoice": claim.rv_dup_number, "other": dup} if dup else {}))
    if benefit.kind == Benefit.Kind.INPATIENT:
        overlap = claim.rv_overlap
        add("STAY_OVERLAP", overlap is None, **({"other": overlap} if overlap else {}))
    ledger = None
    if claim.rv_ledger_base is not None:
        ledger = Ledger(
            cumulative_base=claim.rv_ledger_base,
            inpatient_paid=claim.rv_ledger_paid,
            lump_sums_used=claim.rv_ledger_used or [],
        )
    try:
        computation = compute_for_claim(claim, ledger)
    except ValidationError:
        add("DISEASE_NOT_LISTED", False)
        computation = None
    if computation is not None:
        add("CAP_REACHED", not (computation.capped and computation.amount == 0))
        if not computation.capped:
            add("NOTHING_PAYABLE", computation.amount > 0)
    return checks, computation


@functools.cache
def _review_select():
    """The review's SELECT FOR UPDATE, built once per process (building its ten subqueries is most of the
    CPU of a lone review); every use clones it with ``.filter()``, so it is never evaluated itself."""
    return (
        _review_queryset()
        .select_for_update(of=("self",))
        .select_related("member", "scheme", "benefit", "rule_version")
        .defer("payee_bank_account", "member__id_number", "member__mobile", "member__bank_account")
        .order_by("pk")
    )


# Claims reviewed in one transaction by auto_review_many (and so by one batch task): their rows stay locked
# until it commits, a fraction of a second.
REVIEW_CHUNK = 100


def auto_review_many(items: list[tuple[int, int | None]], *, raise_errors: bool = True) -> list[Claim]:
    """The automatic review of several claim submissions ``[(claim_id, submission or None), ...]`` in ONE
    transaction; returns the claims (locked, in pk order; one reviewed here has ``_reviewed_now`` set).

    Locks: the claim rows FOR UPDATE in pk order (the services' lock order), read in one SELECT with all
    that the checks need, then one query for the documents' kinds. Idempotent per claim exactly as a lone
    review: a claim is reviewed only while SUBMITTED, for the submission asked (None: the current one) and
    not reviewed yet for it; so a redelivered or duplicated task, or a claim in two batches, changes nothing
    the second time. Writes, in bulk: the claims' findings and FIRST_REVIEW, one ``auto_reviewed``
    ClaimEvent and one audit row per claim (as ``_event`` does). Never pays; takes no ledger lock (no
    money is decided: the amount is a proposal, granted only under the ledger lock at approval).

    ``raise_errors=False`` (batch task): a claim whose checks raise is logged and left SUBMITTED (the
    stale-review sweep tries it again) instead of failing the others."""
    wanted: dict[int, int | None] = {}
    for claim_id, submission in items:
        wanted[int(claim_id)] = submission
    if not wanted:
        return []
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # No fsync wait for this transaction: the review is recomputable, and a result lost in a crash
            # leaves the claim SUBMITTED, which requeue_stale_reviews (Celery beat) sends for review again.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        claims = list(_review_select().filter(pk__in=list(wanted)))
        due = [
            c
            for c in claims
            if c.status == Claim.Status.SUBMITTED
            and wanted[c.pk] in (None, c.submission)
            and c.auto_reviewed_submission < c.submission
        ]
        if not due:
            return claims
        present: dict[int, set[str]] = {c.pk: set() for c in due}
        for claim_id, kind in ClaimDocument.objects.filter(claim_id__in=list(present)).values_list("claim_id", "kind"):
            present[claim_id].add(kind)
        now = timezone.now()
        reviewed: list[Claim] = []
        for claim in due:
            try:
                checks, computation = run_checks(claim, present[claim.pk])
            except Exception:
                if raise_errors:
                    raise
                logger.exception("automatic review of claim %s failed; left submitted", claim.pk)
                continue
            claim.auto_checks = checks
            claim.auto_passed = all(c["ok"] for c in checks)
            claim.proposed_amount = computation.amount if computation else ZERO
            claim.working = computation.as_working() if computation else {}
            claim.auto_reviewed_submission = claim.submission
            claim.status = Claim.Status.FIRST_REVIEW
            claim.updated_at = now
            claim._reviewed_now = True
            reviewed.append(claim)
        if not reviewed:
            return claims
        if len(reviewed) == 1:
            reviewed[0].save(update_fields=_REVIEW_FIELDS)
        else:
            Claim.objects.bulk_update(reviewed, _REVIEW_FIELDS)
        events = []
        audits: list[AuditRow] = []
        for claim in reviewed:
            note = ",".join(c["code"] for c in claim.auto_checks if not c["ok"])
            events.append(
                ClaimEvent(
                    claim=claim,
                    action="auto_reviewed",
                    from_status=Claim.Status.SUBMITTED,
                    to_status=claim.status,
                    by=None,
                    note=note,
                    amount=claim.proposed_amount,
                )
            )
            audits.append(
                {
                    "actor": None,
                    "action": "mutual_aid.claim_auto_reviewed",
                    "obj": claim,
                    "detail": {
                        "from": Claim.Status.SUBMITTED,
                        "to": claim.status,
                        "note": note,
                        "amount": str(claim.proposed_amount) if claim.proposed_amount else "",
                    },
                }
            )
        ClaimEvent.objects.bulk_create(events)
        audit_record_many(audits)
    return claims


_REVIEW_FIELDS = [
    "auto_checks",
    "auto_passed",
    "proposed_amount",
    "working",
    "auto_reviewed_submission",
    "status",
    "updated_at",
]


def auto_review(claim_id: int, submission: int | None = None) -> Claim | None:
    """Run the automatic review of one submission of a claim. Idempotent: locks the claim row and does
    nothing when that submission was reviewed already (a redelivered or duplicated task). Never pays:
    it moves the claim to the first review with its findings and a proposed amount. (auto_review_many
    with one claim.)"""
    claims = auto_review_many([(claim_id, submission)])
    return claims[0] if claims else None


def requeue_stale_reviews(*, older_than: dt.timedelta = dt.timedelta(minutes=10)) -> int:
    """Queue the automatic review again for claims still SUBMITTED after ``older_than`` (a task lost with a
    crashed worker or broker), as batch tasks of REVIEW_CHUNK claims. Safe to run any time: the review is
    idempotent. Returns the number of claims queued."""
    from .tasks import auto_review_batch_task

    stale = sorted(
        Claim.objects.filter(status=Claim.Status.SUBMITTED, updated_at__lt=timezone.now() - older_than).values_list(
            "pk", "submission"
        )[:5000]
    )
    for i in range(0, len(stale), REVIEW_CHUNK):
        auto_review_batch_task.delay([[pk, submission] for pk, submission in stale[i : i + REVIEW_CHUNK]])
    return len(stale)


# --- Claims: human review -------------------------------------------------------------------------------
def _check_reviewer(by: User, claim: Claim) -> None:
    if not can_review(by, claim.member.org):
        raise PermissionDenied
    if claim.status == Claim.Status.APPEALED and claim.appeal_reviewer_id != by.pk:
        raise ValidationError(_("This appeal is assigned to another reviewer."))
    if claim.status == Claim.Status.SECOND_REVIEW and claim.first_reviewer_id == by.pk:
        raise ValidationError(_("The second review must be done by a different reviewer than the first."))


def _decide_amount(claim: Claim, by: User) -> Decimal:
    """Grant the claim's amount against the locked ledger: the rule amount with the cap left now, cut to
    the reviewer's amount if one was set. Updates the ledger. Caller holds the claim lock."""
    ledger = locks.ledger_for_update(claim)
    if claim.invoices.exists():
        reused = (
            ClaimInvoice.objects.filter(number__in=claim.invoices.values("number"))
            .exclude(claim_id=claim.pk)
            .filter(
                claim__status__in=[
                    Claim.Status.APPROVED,
                    Claim.Status.IN_BATCH,
                    Claim.Status.PAID,
                    Claim.Status.PAYMENT_FAILED,
                ]
            )
            .exists()
        )
        _require(not reused, _("An invoice of this claim was already granted in another claim."))
    computation = compute_for_claim(claim, ledger)
    amount = computation.amount
    if claim.adjusted_amount is not None and claim.adjusted_amount < amount:
        amount = claim.adjusted_amount
    amount = round_fen(amount)
    if claim.benefit.kind == Benefit.Kind.INPATIENT:
        ledger.cumulative_base = round_fen(ledger.cumulative_base + claim.base)
        ledger.inpatient_paid = round_fen(ledger.inpatient_paid + amount)
    else:
        if amount > 0:
            assert claim.rule_version is not None  # set when the claim is filed
            key = lump_sum_key(claim.benefit.kind, claim.rule_version.rules, claim.disease_code)
            ledger.lump_sums_used = [*ledger.lump_sums_used, key]
        ledger.lump_sums_paid = round_fen(ledger.lump_sums_paid + amount)
    ledger.save()
    working = computation.as_working()
    if amount != computation.amount:
        working["adjusted"] = {"amount": str(amount), "reason": claim.adjust_reason}
    claim.approved_amount = amount
    claim.approved_working = working
    return amount


def _finish_approval(claim: Claim, by: User, from_status: str, action: str, now: dt.datetime | None) -> Claim:
    amount = _decide_amount(claim, by)
    claim.status = Claim.Status.APPROVED
    claim.decided_at = now or timezone.now()
    claim.save()
    event = _event(claim, action=action, from_status=from_status, by=by, amount=amount, at=now)
    _notify_event(
        claim,
        event,
        _("Claim approved"),
        _("Your mutual-aid claim %(number)s was approved: %(amount)s yuan will be paid to your bank account.")
        % {"number": claim.number, "amount": amount},
    )
    return claim


@transaction.atomic
def claim_approve(*, by: User, claim: Claim, now: dt.datetime | None = None) -> Claim:
    """First review → second review; second review (a different reviewer) → approved; an appeal's
    reviewer → approved. Approval decides the money under the ledger lock. ``now``: the moment of the
    decision (default: now)."""
    claim = locks.claim_for_update(claim.pk)
    _require(claim.status in Claim.REVIEW_STATES, _("This claim is not awaiting a review."))
    _check_reviewer(by, claim)
    from_status = claim.status
    if claim.status == Claim.Status.FIRST_REVIEW:
        claim.first_reviewer = by
        claim.status = Claim.Status.SECOND_REVIEW
        claim.save(update_fields=["first_reviewer", "status", "updated_at"])
        _event(claim, action="first_approved", from_status=from_status, by=by, at=now)
        return claim
    if claim.status == Claim.Status.SECOND_REVIEW:
        claim.second_reviewer = by
        return _finish_approval(claim, by, from_status, "approved", now)
    return _finish_approval(claim, by, from_status, "appeal_upheld", now)


@transaction.atomic
def claim_adjust_amount(*, by: User, claim: Claim, amount, reason: str) -> Claim:
    """A reviewer sets the amount below the rule amount, with a reason. Takes effect at approval (the cap
    may cut it further there)."""
    claim = locks.claim_for_update(claim.pk)
    _require(claim.status in Claim.REVIEW_STATES, _("This claim is not awaiting a review."))
    _check_reviewer(by, claim)
    amount = _clean_amount(amount, _("The amount"), "amount")
    _require(bool(reason.strip()), _("Give the reason for the amount."), "reason")
    ledger = selectors.ledger_of(scheme=claim.scheme, member=claim.member)
    rule_amount = compute_for_claim(claim, ledger).amount
    _require(
        amount <= rule_amount,
        _("The amount cannot be more than the rules allow (%(max)s).") % {"max": rule_amount},
        "amount",
    )
    claim.adjusted_amount = amount
    claim.adjust_reason = reason.strip()
    claim.save(update_fields=["adjusted_amount", "adjust_reason", "updated_at"])
    _event(claim, action="amount_changed", from_status=claim.status, by=by, note=reason.strip(), amount=amount)
    return claim


@transaction.atomic
def claim_return(*, by: User, claim: Claim, documents: list[str], note: str = "") -> Claim:
    """Send the claim back to the worker for named missing documents."""
    claim = locks.claim_for_update(claim.pk)
    _require(
        claim.status in (Claim.Status.FIRST_REVIEW, Claim.Status.SECOND_REVIEW),
        _("This claim is not awaiting a review."),
    )
    _check_reviewer(by, claim)
    documents = [d for d in documents if d in ClaimDocument.Kind.values]
    _require(bool(documents), _("Name the missing documents."), "documents")
    from_status = claim.status
    claim.status = Claim.Status.RETURNED
    claim.missing_documents = documents
    claim.return_note = note.strip()[:300]
    claim.save(update_fields=["status", "missing_documents", "return_note", "updated_at"])
    names = "、".join(str(ClaimDocument.Kind(d).label) for d in documents)
    event = _event(claim, action="returned", from_status=from_status, by=by, note=names)
    _notify_event(
        claim,
        event,
        _("Documents needed for your claim"),
        _("Your claim %(number)s needs these documents: %(documents)s. %(note)s")
        % {"number": claim.number, "documents": names, "note": claim.return_note},
    )
    return claim


@transaction.atomic
def claim_resubmit(*, by: User, claim: Claim, documents: list[tuple[str, object]]) -> Claim:
    """The worker (or handler) adds the missing documents; the claim is reviewed again from the start."""
    claim = locks.claim_for_update(claim.pk)
    if not can_act_for(by, claim.member):
        raise PermissionDenied
    _require(claim.status == Claim.Status.RETURNED, _("This claim is not waiting for documents."))
    checked = []
    for kind, upload in documents:
        _require(kind in ClaimDocument.Kind.values, _("Unknown document type."), "documents")
        try:
            checked.append((kind, upload, check_upload(upload)))
        except ValidationError as exc:
            raise ValidationError({"documents": exc.messages}) from None
    given = {k for k, _u, _c in checked}
    missing = [d for d in claim.missing_documents if d not in given]
    _require(
        not missing,
        _("Still missing: %(documents)s.")
        % {"documents": "、".join(str(ClaimDocument.Kind(d).label) for d in missing)},
        "documents",
    )
    for kind, upload, content_kind in checked:
        ClaimDocument.objects.create(
            claim=claim,
            kind=kind,
            file=upload,
            content_kind=content_kind,
            original_name=(getattr(upload, "name", "") or "")[:200],
            uploaded_by=by,
        )
    claim.status = Claim.Status.SUBMITTED
    claim.submission += 1
    claim.submitted_at = claim.submitted_at  # age in the queue counts from the first filing
    claim.first_reviewer = None
    claim.second_reviewer = None
    claim.missing_documents = []
    claim.save()
    event = _event(claim, action="resubmitted", from_status=Claim.Status.RETURNED, by=by)
    _notify_event(
        claim,
        event,
        _("Claim received"),
        _("Your mutual-aid claim %(number)s was received and is being reviewed.") % {"number": claim.number},
    )
    _enqueue_review(claim)
    return claim


@transaction.atomic
def claim_reject(*, by: User, claim: Claim, reason: str, now: dt.datetime | None = None) -> Claim:
    """Reject with a reason (the worker may appeal once within 30 days of ``now``, default now, unless this
    decides an appeal)."""
    claim = locks.claim_for_update(claim.pk)
    _require(claim.status in Claim.REVIEW_STATES, _("This claim is not awaiting a review."))
    _check_reviewer(by, claim)
    _require(bool(reason.strip()), _("Give the reason for the rejection."), "reason")
    from_status = claim.status
    claim.status = Claim.Status.REJECTED
    claim.rejected_by = by
    claim.rejection_reason = reason.strip()[:300]
    claim.decided_at = now or timezone.now()
    claim.save()
    action = "appeal_rejected" if from_status == Claim.Status.APPEALED else "rejected"
    event = _event(claim, action=action, from_status=from_status, by=by, note=claim.rejection_reason, at=now)
    body = _("Your mutual-aid claim %(number)s was rejected: %(reason)s.") % {
        "number": claim.number,
        "reason": claim.rejection_reason,
    }
    if from_status != Claim.Status.APPEALED:
        body += " " + _("You may appeal once within %(days)s days.") % {"days": APPEAL_DAYS}
    _notify_event(claim, event, _("Claim rejected"), body)
    return claim


def can_appeal(claim: Claim, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        claim.status == Claim.Status.REJECTED
        and claim.appealed_at is None
        and claim.decided_at is not None
        and now - claim.decided_at <= dt.timedelta(days=APPEAL_DAYS)
    )


@transaction.atomic
def claim_appeal(*, by: User, claim: Claim, reason: str) -> Claim:
    """Appeal a rejection, once, within 30 days. The appeal goes to the reviewer with the fewest open
    appeals among those who did not decide this claim."""
    claim = locks.claim_for_update(claim.pk)
    if not can_act_for(by, claim.member):
        raise PermissionDenied
    _require(claim.status == Claim.Status.REJECTED, _("Only a rejected claim can be appealed."))
    _require(claim.appealed_at is None, _("This claim was appealed already; a claim can be appealed once."))
    _require(can_appeal(claim), _("The %(days)s days for an appeal have passed.") % {"days": APPEAL_DAYS})
    _require(bool(reason.strip()), _("Say why you appeal."), "reason")
    deciders = {pk for pk in (claim.first_reviewer_id, claim.second_reviewer_id, claim.rejected_by_id) if pk}
    eligible = list(role_holders(Role.REVIEWER, at_or_above=claim.member.org).exclude(pk__in=deciders))
    _require(bool(eligible), _("No reviewer who did not decide this claim is available; contact the federation."))
    load = dict(
        Claim.objects.filter(status=Claim.Status.APPEALED, appeal_reviewer__in=eligible)
        .values_list("appeal_reviewer")
        .annotate(n=Count("id"))
    )
    reviewer = min(eligible, key=lambda u: (load.get(u.pk, 0), u.pk))
    claim.status = Claim.Status.APPEALED
    claim.appealed_at = timezone.now()
    claim.appeal_reason = reason.strip()[:500]
    claim.appeal_reviewer = reviewer
    claim.save()
    event = _event(claim, action="appealed", from_status=Claim.Status.REJECTED, by=by, note=claim.appeal_reason)
    _notify_event(
        claim,
        event,
        _("Appeal received"),
        _("Your appeal against the decision on claim %(number)s was received and will be reviewed by another reviewer.")
        % {"number": claim.number},
    )
    return claim


# --- Payments -------------------------------------------------------------------------------------------
def _finance_node(by: User) -> OrgUnit:
    node = home_nodes(by, roles=[Role.FINANCE]).first()
    if node is None:
        raise PermissionDenied
    return node


CLAIM_PAYMENT_PURPOSE = "职工医疗互助金"  # 用途 on the bank's transfer file


@transaction.atomic
def batch_create(*, by: User, claim_ids: list[int] | None = None, now: dt.datetime | None = None) -> PaymentBatch:
    """Put approved claims (all in the finance officer's area, or the given ones) in a new batch of the
    core's payment batches at ``now`` (default: now). Locks the claims in pk order; a claim already pending or
    paid cannot get a second payment (the core's partial unique constraints, per paying object)."""
    node = _finance_node(by)
    qs = Claim.objects.filter(
        tree.subtree_q(node, field="member__org"), status=Claim.Status.APPROVED, approved_amount__gt=0
    )
    if claim_ids is not None:
        qs = qs.filter(pk__in=claim_ids)
    claims = locks.claims_for_update(qs)
    _require(bool(claims), _("There are no approved claims to pay."))
    batch = payments.batch_create(
        by=by,
        org=node,
        app_label=selectors.BATCH_APP,
        items=[
            payments.PaymentItem(
                payer=claim,
                amount=cast(Decimal, claim.approved_amount),  # approved_amount__gt=0 above
                account_name=claim.member.name,
                bank_account=claim.payee_bank_account,
                bank_name=claim.payee_bank_name,
                purpose=CLAIM_PAYMENT_PURPOSE,
                reference=claim.number,
            )
            for claim in claims
        ],
        now=now,
    )
    for claim in claims:
        claim.status = Claim.Status.IN_BATCH
        claim.save(update_fields=["status", "updated_at"])
        _event(claim, action="in_batch", from_status=Claim.Status.APPROVED, by=by, note=str(batch), at=now)
    return batch


def _lock_payment(by: User, payment: Payment) -> tuple[Payment, Claim]:
    """Lock the claim, then its payment (the order every payment decision takes)."""
    if not can_confirm_payment(by, payment.batch.org):
        raise PermissionDenied
    claim = locks.claim_payer_for_update(payment.payer_id)
    return payment_for_update(payment), claim


@transaction.atomic
def payment_mark_paid(*, by: User, payment: Payment, reference: str, now: dt.datetime | None = None) -> Payment:
    """The bank transferred the money (at ``now``, default now). Locks the claim then the payment; the claim
    is paid once, ever."""
    _require(bool(reference.strip()), _("Give the bank reference."), "reference")
    payment, claim = _lock_payment(by, payment)
    _require(claim.status == Claim.Status.IN_BATCH and claim.paid_at is None, _("This claim is not awaiting payment."))
    payments.payment_record_paid(by=by, payment=payment, reference=reference, now=now)
    claim.status = Claim.Status.PAID
    claim.paid_at = payment.decided_at
    claim.save(update_fields=["status", "paid_at", "updated_at"])
    event = _event(
        claim,
        action="paid",
        from_status=Claim.Status.IN_BATCH,
        by=by,
        note=payment.bank_reference,
        amount=payment.amount,
        at=now,
    )
    _notify_event(
        claim,
        event,
        _("Claim paid"),
        _("%(amount)s yuan for your claim %(number)s was transferred to your account %(account)s.")
        % {"amount": payment.amount, "number": claim.number, "account": payment.bank_account_masked},
    )
    return payment


@transaction.atomic
def payment_mark_failed(*, by: User, payment: Payment, reason: str) -> Payment:
    """The transfer failed (e.g. wrong account): the worker is asked to correct the account; the claim then
    goes into a later batch."""
    _require(bool(reason.strip()), _("Give the reason the payment failed."), "reason")
    payment, claim = _lock_payment(by, payment)
    payments.payment_record_failed(by=by, payment=payment, reason=reason)
    claim.status = Claim.Status.PAYMENT_FAILED
    claim.save(update_fields=["status", "updated_at"])
    event = _event(
        claim, action="payment_failed", from_status=Claim.Status.IN_BATCH, by=by, note=payment.failure_reason
    )
    _notify_event(
        claim,
        event,
        _("Payment failed: check your bank account"),
        _("The transfer for claim %(number)s failed (%(reason)s). Please correct your bank account in the portal.")
        % {"number": claim.number, "reason": payment.failure_reason},
    )
    return payment


@transaction.atomic
def batch_apply_return_file(*, by: User, batch: PaymentBatch, data: bytes) -> tuple[int, int]:
    """Mark the batch's pending payments paid or failed from the bank's return file (回盘文件), all or
    nothing: a file with any wrong line changes nothing (ValidationError listing the lines). Lines of
    payments decided already are skipped. Claims are locked in pk order. Returns (paid, failed)."""
    from union_portal.excel import ExcelFileError
    from union_portal.payments.layouts import read_return_file

    if not can_confirm_payment(by, batch.org):
        raise PermissionDenied
    try:
        lines, errors = read_return_file(data, payments=list(payments_selectors.batch_payments(batch=batch)))
    except ExcelFileError as exc:
        raise ValidationError(str(exc)) from exc
    if errors:
        raise ValidationError([str(error) for error in errors])
    paid = failed = 0
    for line in sorted(lines, key=lambda line: line.payment.payer_id):
        if line.payment.status != Payment.Status.PENDING:
            continue
        if line.paid:
            payment_mark_paid(by=by, payment=line.payment, reference=line.bank_reference)
            paid += 1
        else:
            payment_mark_failed(by=by, payment=line.payment, reason=line.reason)
            failed += 1
    audit_record(actor=by, action="mutual_aid.batch_return_file", obj=batch, detail={"paid": paid, "failed": failed})
    return paid, failed


@transaction.atomic
def claim_correct_account(*, by: User, claim: Claim, bank_account: str, bank_name: str) -> Claim:
    """After a failed payment the worker (or handler) gives a corrected account; the claim is payable again."""
    claim = locks.claim_for_update(claim.pk)
    if not can_act_for(by, claim.member):
        raise PermissionDenied
    _require(claim.status == Claim.Status.PAYMENT_FAILED, _("Only a claim whose payment failed needs a new account."))
    account = normalize_bank_account(bank_account)
    _require(
        bool(BANK_ACCOUNT_RE.match(account)),
        _("Give a valid bank account number (12 to 30 digits)."),
        "bank_account",
    )
    _require(bool(bank_name.strip()), _("Give the bank."), "bank_name")
    claim.payee_bank_account = account
    claim.payee_bank_name = bank_name.strip()
    claim.status = Claim.Status.APPROVED
    claim.save()
    _event(claim, action="account_corrected", from_status=Claim.Status.PAYMENT_FAILED, by=by)
    return claim


def reveal_bank_account(*, by: User, claim: Claim) -> str:
    """The payee's bank account in full, for a role in REVEAL_ROLES over the member's union; every reveal
    and every refusal is audited (as ``members.reveal``)."""
    if not can_reveal_bank_account(by, claim):
        audit_record(actor=by, action="mutual_aid.reveal", obj=claim, result="denied", detail={"field": "bank_account"})
        raise PermissionDenied
    audit_record(actor=by, action="mutual_aid.reveal", obj=claim, detail={"field": "bank_account"})
    return claim.payee_bank_account

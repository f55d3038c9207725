"""Enrolment: a grassroots union enrols its members in a benefit; finance confirms the premium and cover starts."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member
from union_portal import identity
from union_portal.audit import audit_record
from union_portal.models import OrgUnit, User
from union_portal.money import round_fen
from union_portal.sheets import Column, Kind, Spec, read_sheet, template_workbook

from .. import locks, selectors
from ..models import Benefit, Cover, Enrolment, EnrolmentAddition, Scheme
from ..permissions import can_confirm_payment, can_enrol
from ..rules import addition_premium
from ._common import _require

# Enrolling (or adding members) this many days or fewer before the period ends is warned of first.
SHORT_COVER_DAYS = 92


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
    previous = _continuing(scheme=scheme, benefit=benefit, ids=ids)
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


COL_NUMBER, COL_NAME, COL_ID, COL_NOTE = "会员编号", "姓名", "身份证号", "备注"
ENROLMENT_SPEC = Spec(
    title="参保名单",
    columns=(
        Column(COL_NUMBER, required=True, synonyms=("会员号", "会员证号")),
        Column(COL_NAME, Kind.NAME, synonyms=("职工姓名", "会员姓名")),
        Column(COL_ID, Kind.ID_NUMBER, synonyms=("身份证号码", "公民身份号码", "证件号码", "身份证")),
        Column(COL_NOTE),
    ),
)


def enrolment_template() -> bytes:
    """The enrolment list's template: the ID column formatted as text, an instruction sheet."""
    return template_workbook(ENROLMENT_SPEC, [["", "张三", "", ""]])


def parse_enrolment_excel(*, upload, org: OrgUnit, benefit: Benefit) -> tuple[list[Member], list]:
    """Read an Excel list (column 会员编号 member number; optional 姓名 name and 身份证号 ID number, each
    checked against the member, so that the wrong person is never enrolled) into members of ``org``.
    Returns (members, row errors); nothing is written."""
    from union_portal.excel import ExcelFileError, RowError

    data = upload.read() if hasattr(upload, "read") else upload
    try:
        table = read_sheet(data, ENROLMENT_SPEC, name=getattr(upload, "name", "") or "")
    except ExcelFileError as exc:
        return [], [RowError(1, "", str(exc))]
    eligible = {m.member_number: m for m in selectors.eligible_members(org=org, benefit=benefit)}
    errors = list(table.errors)
    refused = table.bad_rows
    members, seen = [], set()
    for row_no, row in table.rows:
        number = row[COL_NUMBER] or ""
        if row_no in refused:
            pass
        elif not number:
            errors.append(RowError(row_no, COL_NUMBER, _("The member number is empty.")))
        elif number in seen:
            errors.append(RowError(row_no, COL_NUMBER, _("This member is listed twice.")))
        elif number not in eligible:
            errors.append(
                RowError(
                    row_no, COL_NUMBER, _("No active member with this number in this union may join this benefit.")
                )
            )
        elif row[COL_NAME] and row[COL_NAME] != identity.normalize_name(eligible[number].name):
            errors.append(RowError(row_no, COL_NAME, _("The name does not match the member number.")))
        elif row[COL_ID] and identity.id_number_hash(row[COL_ID]) != eligible[number].id_number_hash:
            errors.append(RowError(row_no, COL_ID, _("The ID number does not match the member number.")))
        else:
            members.append(eligible[number])
        seen.add(number)
    errors.sort(key=lambda e: e.row)
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
    # the unit's own members only: members added later start with their addition's payment
    covers = enrolment.covers.filter(addition__isnull=True)
    covers.filter(continuing=True).update(starts_on=starts, waiting_ends_on=starts)
    covers.filter(continuing=False).update(starts_on=starts, waiting_ends_on=starts + waiting)
    audit_record(actor=by, action="mutual_aid.enrolment_paid", obj=enrolment, detail={"reference": reference})
    return enrolment


def _continuing(*, scheme: Scheme, benefit: Benefit, ids) -> set[int]:
    """Members covered in the previous period for this benefit (no waiting period)."""
    return set(
        Cover.objects.filter(
            scheme__year=scheme.year - 1, benefit__kind=benefit.kind, member_id__in=ids, starts_on__isnull=False
        ).values_list("member_id", flat=True)
    )


def addition_terms(*, benefit: Benefit, today: dt.date | None = None) -> tuple[Decimal, int | None]:
    """The premium per person (and months charged) of members added to an enrolment of ``benefit`` on
    ``today``, under the rules in force then."""
    today = today or timezone.localdate()
    scheme = benefit.scheme
    version = selectors.rule_version_in_force(benefit=benefit, on=today)
    rules = version.rules if version is not None else {}
    return addition_premium(rules, benefit.premium, starts_on=scheme.starts_on, ends_on=scheme.ends_on, on=today)


def short_cover_warning(*, benefit: Benefit, addition: bool = False, today: dt.date | None = None) -> str:
    """A warning for enrolling (``addition``: adding members) close to the period's end: the days of cover
    left (from tomorrow, the earliest start) and what is paid for them; "" when the period is not near its end
    (or is over: nothing can be covered then, and enrolment_add_members refuses)."""
    today = today or timezone.localdate()
    scheme = benefit.scheme
    days = (scheme.ends_on - today).days
    if not (0 < days <= SHORT_COVER_DAYS) or today < scheme.starts_on:
        return ""
    if addition:
        premium, months = addition_terms(benefit=benefit, today=today)
        if months is not None:
            return _(
                "Only %(days)s days are left in this period: the premium is charged for the %(months)s months "
                "remaining, %(amount)s yuan per person."
            ) % {"days": days, "months": months, "amount": premium}
    return _(
        "Only %(days)s days are left in this period, and the full premium of %(amount)s yuan per person is still "
        "charged."
    ) % {"days": days, "amount": round_fen(benefit.premium)}


def addable_members(*, enrolment: Enrolment):
    """The union's eligible members not yet covered for this benefit in this period."""
    covered = Cover.objects.filter(scheme_id=enrolment.scheme_id, benefit_id=enrolment.benefit_id).values("member_id")
    return selectors.eligible_members(org=enrolment.org, benefit=enrolment.benefit).exclude(pk__in=covered)


@transaction.atomic
def enrolment_add_members(
    *, by: User, enrolment: Enrolment, members: list[Member], today: dt.date | None = None
) -> EnrolmentAddition:
    """Add members to a unit's enrolment during the period (增员): each an eligible member of the union not
    yet covered for the benefit this period. No participation minimum (that is for the first enrolment).
    The premium per person is the benefit's, full or by the whole months remaining on ``today`` as the rules
    in force then say; cover starts when finance confirms this addition's payment. Locks the enrolment (the
    count of members enrolled is updated under it)."""
    if not can_enrol(by, enrolment.org):
        raise PermissionDenied
    today = today or timezone.localdate()
    enrolment = locks.enrolment_for_update(enrolment.pk)
    scheme, benefit = enrolment.scheme, enrolment.benefit
    _require(today <= scheme.ends_on, _("This period has ended: no members can be added to it."))
    ids = {m.pk for m in members}
    _require(bool(ids), _("Choose at least one member."))
    already = set(
        Cover.objects.filter(scheme=scheme, benefit=benefit, member_id__in=ids).values_list("member_id", flat=True)
    )
    _require(
        not already,
        _("%(n)s of the chosen members are enrolled in this benefit for the period already.") % {"n": len(already)},
    )
    eligible_ids = set(
        selectors.eligible_members(org=enrolment.org, benefit=benefit).filter(pk__in=ids).values_list("pk", flat=True)
    )
    wrong = ids - eligible_ids
    _require(
        not wrong,
        _("%(n)s of the chosen people are not active members of this union who may join this benefit.")
        % {"n": len(wrong)},
    )
    premium, months = addition_terms(benefit=benefit, today=today)
    addition = EnrolmentAddition.objects.create(
        enrolment=enrolment,
        member_count=len(ids),
        months=months,
        premium_per_person=premium,
        premium_due=round_fen(premium * len(ids)),
        added_by=by,
    )
    previous = _continuing(scheme=scheme, benefit=benefit, ids=ids)
    try:
        with transaction.atomic():
            Cover.objects.bulk_create(
                Cover(
                    enrolment=enrolment,
                    addition=addition,
                    scheme=scheme,
                    benefit=benefit,
                    member_id=pk,
                    continuing=pk in previous,
                )
                for pk in sorted(ids)
            )
    except IntegrityError:
        raise ValidationError(_("Some of these members are enrolled in this benefit already.")) from None
    enrolment.member_count += len(ids)
    enrolment.save(update_fields=["member_count"])
    audit_record(
        actor=by,
        action="mutual_aid.enrolment_add",
        obj=enrolment,
        detail={"addition": addition.pk, "members": len(ids), "premium": str(addition.premium_due), "months": months},
    )
    return addition


@transaction.atomic
def addition_confirm_payment(
    *, by: User, addition: EnrolmentAddition, reference: str, on: dt.datetime | None = None
) -> EnrolmentAddition:
    """Finance confirms the premium of members added to an enrolment arrived: their cover starts at 00:00 the
    next day and their waiting period runs from then (none for members covered without a gap last period).
    Locks the enrolment, then the addition (the order enrolment_add_members takes)."""
    enrolment = addition.enrolment
    if not can_confirm_payment(by, enrolment.org):
        raise PermissionDenied
    locks.enrolment_for_update(enrolment.pk)
    addition = locks.addition_for_update(addition.pk)
    _require(addition.status == Enrolment.Status.AWAITING_PAYMENT, _("The payment was confirmed already."))
    _require(bool(reference.strip()), _("Give the payment reference."), "reference")
    now = on or timezone.now()
    starts = timezone.localtime(now).date() + dt.timedelta(days=1)
    version = selectors.rule_version_in_force(benefit=addition.enrolment.benefit, on=starts)
    assert version is not None  # a benefit is created with its first rule version
    waiting = dt.timedelta(days=int(version.rules.get("waiting_days", 0)))
    addition.status = Enrolment.Status.PAID
    addition.confirmed_by = by
    addition.confirmed_at = now
    addition.payment_reference = reference.strip()
    addition.cover_starts_on = starts
    addition.save()
    addition.covers.filter(continuing=True).update(starts_on=starts, waiting_ends_on=starts)
    addition.covers.filter(continuing=False).update(starts_on=starts, waiting_ends_on=starts + waiting)
    audit_record(
        actor=by,
        action="mutual_aid.addition_paid",
        obj=addition.enrolment,
        detail={"addition": addition.pk, "reference": reference.strip()},
    )
    return addition


@transaction.atomic
def enrolment_remove_members(
    *, by: User, enrolment: Enrolment, member_ids: list[int], reason: str, left_on: dt.date
) -> int:
    """Take members off a unit's enrolment (减员): they left the union, retired, died or moved out of the
    district. Their cover ends on ``left_on`` (a claim admitted on or before it is still covered, one
    admitted after it is not); the premium paid is not refunded. A member moved to another union of the
    district is not taken off: they keep the cover paid for until the period ends. Locks the enrolment.
    Returns the number of members taken off."""
    if not can_enrol(by, enrolment.org):
        raise PermissionDenied
    enrolment = locks.enrolment_for_update(enrolment.pk)
    _require(reason in Cover.EndReason.values, _("Choose why the members leave."), "reason")
    scheme = enrolment.scheme
    _require(
        scheme.starts_on <= left_on <= scheme.ends_on,
        _("The date of leaving must lie within the scheme period."),
        "left_on",
    )
    covers = list(
        enrolment.covers.filter(member_id__in=member_ids, ends_on__isnull=True).select_for_update().order_by("pk")
    )
    _require(bool(covers), _("Choose at least one member still enrolled."))
    Cover.objects.filter(pk__in=[c.pk for c in covers]).update(ends_on=left_on, end_reason=reason)
    audit_record(
        actor=by,
        action="mutual_aid.enrolment_remove",
        obj=enrolment,
        detail={"members": [c.member_id for c in covers], "reason": reason, "left_on": left_on.isoformat()},
    )
    return len(covers)

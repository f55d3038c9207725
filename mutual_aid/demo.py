"""Demo data: the default scheme of DOMAIN.md for last year (closed, with a paid claim) and for this year
(open), handler's union enrolled and paid in both, and claims of the demo worker in several states.
Idempotent. Dated relative to today (``timezone.localdate()``), so it holds on any day of the year: the
claims still in review were filed today for stays of the last weeks (of last December early in January,
before this year's cover has started)."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from members.models import Member
from members.selectors import member_of_user
from union_portal.models import OrgUnit
from union_portal.pdf import letter

from . import selectors, services
from .models import Benefit, Claim, ClaimEvent, Cover, Enrolment, Scheme
from .rules import INPATIENT_DOCUMENTS, LUMP_SUM_DOCUMENTS


def _user(username):
    return get_user_model().objects.get(username=username)


def _pdf(kind: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        f"{kind}.pdf", letter(title="示例材料", paragraphs=[kind]), content_type="application/pdf"
    )


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    """``day`` at ``hour`` o'clock, local time."""
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def _claim(worker, member, *, admission, days, base, kind="inpatient", disease="", invoice="", now=None):
    base = Decimal(base)
    return services.claim_submit(
        by=worker,
        member=member,
        benefit_kind=kind,
        hospital="绍兴市柯桥区中医医院" if kind == "inpatient" else "浙江省肿瘤医院",
        admission_date=admission,
        discharge_date=admission + dt.timedelta(days=days),
        total_amount=base * 2 if base else Decimal("30000.00"),
        self_paid_amount=base,
        excluded_amount=Decimal("0"),
        disease_code=disease,
        invoice_numbers=[invoice] if invoice else [],
        documents=[(k, _pdf(k)) for k in (INPATIENT_DOCUMENTS if kind == "inpatient" else LUMP_SUM_DOCUMENTS)],
        consent=True,
        now=now,
    )


def _scheme(*, admin, handler, finance, year: int, paid_on: dt.datetime) -> Scheme:
    """The year's scheme with handler's union enrolled in every benefit, its premium confirmed ``paid_on``."""
    scheme = Scheme.objects.filter(year=year).first() or services.scheme_create(by=admin, year=year)
    union = OrgUnit.objects.get(code="KQ-HS-001")
    for benefit in scheme.benefits.all():
        if Enrolment.objects.filter(scheme=scheme, benefit=benefit, org=union).exists():
            continue
        members = list(selectors.eligible_members(org=union, benefit=benefit))
        if not members:
            continue
        enrolment = services.enrolment_create(by=handler, benefit=benefit, org=union, members=members)
        services.enrolment_confirm_payment(
            by=finance, enrolment=enrolment, reference=f"ZH{paid_on:%Y%m%d}-001", on=paid_on
        )
    return scheme


@transaction.atomic
def seed(*, stdout) -> None:
    now = timezone.now()
    today = timezone.localdate(now)
    year = today.year
    admin, handler, finance = _user("district_admin"), _user("handler"), _user("finance")
    reviewer1, reviewer2 = _user("reviewer1"), _user("reviewer2")
    # Last year's scheme, closed; this year's, open. Units pay their premium in the first days of January
    # (on 1 to 4 January: today, so that cover starts tomorrow).
    last = _scheme(admin=admin, handler=handler, finance=finance, year=year - 1, paid_on=_at(dt.date(year - 1, 1, 5)))
    scheme = _scheme(
        admin=admin, handler=handler, finance=finance, year=year, paid_on=min(_at(dt.date(year, 1, 5)), now)
    )
    worker = _user("worker")
    member = member_of_user(user=worker)
    if member is None or Claim.objects.filter(member=member).exists():
        stdout.write(f"  mutual aid: schemes {last.year} and {scheme.year}, {Claim.objects.count()} claims")
        return
    # Last year: paid (12,000 base -> 5,700.00), filed, reviewed and paid within weeks of the stay.
    admission = last.starts_on + dt.timedelta(days=60)
    filed = _at(admission + dt.timedelta(days=12))
    paid = _claim(
        worker,
        member,
        admission=admission,
        days=8,
        base="12000.00",
        invoice=f"330600{last.year % 100:02d}A0001",
        now=filed,
    )
    services.auto_review(paid.pk)
    ClaimEvent.objects.filter(claim=paid, action="auto_reviewed").update(at=filed + dt.timedelta(minutes=1))
    services.claim_approve(by=reviewer1, claim=paid, now=filed + dt.timedelta(days=3))
    services.claim_approve(by=reviewer2, claim=paid, now=filed + dt.timedelta(days=4))
    paid_on = filed + dt.timedelta(days=10)
    batch = services.batch_create(by=finance, claim_ids=[paid.pk], now=paid_on)
    services.payment_mark_paid(
        by=finance,
        payment=batch.payments.get(),
        reference=f"ICBC{paid_on:%Y%m%d}001",
        now=paid_on + dt.timedelta(days=1),
    )
    # Filed today, for stays of the last weeks: in this year's scheme once its cover has run three weeks,
    # else in last year's (stays of last December, within the claim deadline of 31 March).
    cover_starts = (
        Cover.objects.filter(scheme=scheme, member=member, starts_on__isnull=False)
        .order_by("starts_on")
        .values_list("starts_on", flat=True)
        .first()
    )
    recent = today - dt.timedelta(days=25)
    if cover_starts is None or recent < cover_starts:
        recent = last.ends_on - dt.timedelta(days=25)
        current = last
    else:
        current = scheme
    invoice = f"330600{current.year % 100:02d}A"
    # approved, awaiting payment (3,000 base; in last year's period, after the paid claim: at 60%)
    approved = _claim(worker, member, admission=recent, days=5, base="3000.00", invoice=f"{invoice}0002")
    services.auto_review(approved.pk)
    services.claim_approve(by=reviewer2, claim=approved)
    services.claim_approve(by=reviewer1, claim=approved)
    # rejected (may be appealed): the same stay again
    rejected = _claim(
        worker, member, admission=recent + dt.timedelta(days=1), days=2, base="800.00", invoice=f"{invoice}0003"
    )
    services.auto_review(rejected.pk)
    services.claim_reject(by=reviewer1, claim=rejected, reason="与已受理的住院时段重叠，属重复申请")
    # submitted: the women's special-disease lump sum, awaiting review
    if current.benefits.filter(kind=Benefit.Kind.FEMALE_DISEASE).exists() and member.sex == Member.Sex.FEMALE:
        submitted = _claim(
            worker,
            member,
            admission=recent + dt.timedelta(days=10),
            days=10,
            base="0",
            kind="female_disease",
            disease="breast_cis",
        )
        services.auto_review(submitted.pk)
    stdout.write(f"  mutual aid: schemes {last.year} and {scheme.year}, {Claim.objects.count()} claims")

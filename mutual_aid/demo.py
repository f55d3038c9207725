"""Demo data: the default scheme of DOMAIN.md for the current year, handler's union enrolled and paid, and
claims of the demo worker in several states. Idempotent."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from members.models import Member
from union_portal.models import OrgUnit
from union_portal.pdf import letter

from . import services
from .models import Benefit, Claim, Enrolment, Scheme
from .rules import INPATIENT_DOCUMENTS, LUMP_SUM_DOCUMENTS


def _user(username):
    return get_user_model().objects.get(username=username)


def _pdf(kind: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        f"{kind}.pdf", letter(title="示例材料", paragraphs=[kind]), content_type="application/pdf"
    )


def _claim(worker, member, *, admission, days, base, kind="inpatient", disease="", invoice=""):
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
    )


@transaction.atomic
def seed(*, stdout) -> None:
    year = timezone.localdate().year
    admin, handler, finance = _user("district_admin"), _user("handler"), _user("finance")
    reviewer1, reviewer2 = _user("reviewer1"), _user("reviewer2")
    scheme = Scheme.objects.filter(year=year).first() or services.scheme_create(by=admin, year=year)
    union = OrgUnit.objects.get(code="KQ-HS-001")
    for benefit in scheme.benefits.all():
        if Enrolment.objects.filter(scheme=scheme, benefit=benefit, org=union).exists():
            continue
        members = list(services.selectors.eligible_members(org=union, benefit=benefit))
        if not members:
            continue
        enrolment = services.enrolment_create(by=handler, benefit=benefit, org=union, members=members)
        services.enrolment_confirm_payment(
            by=finance,
            enrolment=enrolment,
            reference=f"ZH{year}0105-001",
            on=timezone.make_aware(dt.datetime(year, 1, 5, 10, 0)),
        )
    worker = _user("worker")
    member = Member.objects.filter(user=worker).first()
    if member is None or Claim.objects.filter(member=member).exists():
        stdout.write(f"  mutual aid: scheme {scheme.year}, {Claim.objects.count()} claims")
        return
    start = scheme.starts_on
    # paid: 12,000 base -> 5,700.00
    paid = _claim(
        worker, member, admission=start + dt.timedelta(days=60), days=8, base="12000.00", invoice="33060026A0001"
    )
    services.auto_review(paid.pk)
    services.claim_approve(by=reviewer1, claim=paid)
    services.claim_approve(by=reviewer2, claim=paid)
    batch = services.batch_create(by=finance, claim_ids=[paid.pk])
    services.payment_mark_paid(by=finance, payment=batch.payments.get(), reference=f"ICBC{year}0320001")
    # approved, awaiting payment: 3,000 more -> 1,800.00 at 60%
    approved = _claim(
        worker, member, admission=start + dt.timedelta(days=120), days=5, base="3000.00", invoice="33060026A0002"
    )
    services.auto_review(approved.pk)
    services.claim_approve(by=reviewer2, claim=approved)
    services.claim_approve(by=reviewer1, claim=approved)
    # rejected (may be appealed): the same stay again
    rejected = _claim(
        worker, member, admission=start + dt.timedelta(days=121), days=2, base="800.00", invoice="33060026A0003"
    )
    services.auto_review(rejected.pk)
    services.claim_reject(by=reviewer1, claim=rejected, reason="与已受理的住院时段重叠，属重复申请")
    # submitted: the women's special-disease lump sum, awaiting review
    if scheme.benefits.filter(kind=Benefit.Kind.FEMALE_DISEASE).exists() and member.sex == Member.Sex.FEMALE:
        submitted = _claim(
            worker,
            member,
            admission=start + dt.timedelta(days=200),
            days=10,
            base="0",
            kind="female_disease",
            disease="breast_cis",
        )
        services.auto_review(submitted.pk)
    stdout.write(f"  mutual aid: scheme {scheme.year}, {Claim.objects.count()} claims")

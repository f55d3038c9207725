"""Mutual-aid fixtures: last year's default scheme, the demo worker enrolled and covered, claim helpers."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from members.models import Member
from mutual_aid import services
from mutual_aid.models import Benefit
from mutual_aid.rules import INPATIENT_DOCUMENTS, LUMP_SUM_DOCUMENTS
from tests import clock
from tests.factories import make_member  # noqa: F401  (tests.security.test_faults imports it from here)

# The scheme period of these tests: last year, wholly in the past on any test date, so that every claim date in it
# (after the waiting periods) may be filed.
YEAR = clock.last_year()

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="doc.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def docs(kinds=INPATIENT_DOCUMENTS):
    return [(k, pdf(f"{k}.pdf")) for k in kinds]


@pytest.fixture
def scheme(district_admin):
    scheme = services.scheme_create(by=district_admin, year=YEAR)
    # the tests file last year's claims on any day of this year: the claim deadline is the end of this year
    return services.scheme_update(by=district_admin, scheme=scheme, deadline_month=12, deadline_day=31)


@pytest.fixture
def member(worker):
    return Member.objects.get(user=worker)


def enrol_and_pay(*, scheme, kind, org, members, handler, finance, on=None):
    benefit = scheme.benefits.get(kind=kind)
    enrolment = services.enrolment_create(by=handler, benefit=benefit, org=org, members=members)
    on = on or dt.datetime(YEAR, 1, 5, 10, 0, tzinfo=timezone.get_current_timezone())
    return services.enrolment_confirm_payment(by=finance, enrolment=enrolment, reference="BANK-1", on=on)


@pytest.fixture
def covered(scheme, member, handler, finance):
    """The demo worker covered for all three benefits from YEAR-01-06 (waiting ends 02-05 / 04-06)."""
    for kind in (Benefit.Kind.INPATIENT, Benefit.Kind.MAJOR_DISEASE, Benefit.Kind.FEMALE_DISEASE):
        enrol_and_pay(scheme=scheme, kind=kind, org=member.org, members=[member], handler=handler, finance=finance)
    return member


_invoice = itertools.count(1)


def file_claim(by, member, *, base="12000.00", kind="inpatient", admission=dt.date(YEAR, 6, 1), days=5, **kw):
    base = Decimal(base)
    args = dict(
        by=by,
        member=member,
        benefit_kind=kind,
        hospital="绍兴市人民医院",
        admission_date=admission,
        discharge_date=admission + dt.timedelta(days=days),
        total_amount=base * 2,
        self_paid_amount=base,
        excluded_amount=Decimal("0"),
        invoice_numbers=[f"INV{next(_invoice):06d}"] if kind == "inpatient" else [],
        documents=docs(INPATIENT_DOCUMENTS if kind == "inpatient" else LUMP_SUM_DOCUMENTS),
        consent=True,
    )
    if member.user_id != by.pk:  # a handler filing for the member brings the member's signed consent
        args["consent_document"] = pdf("consent.pdf")
    args.update(kw)
    return services.claim_submit(**args)


def approve_twice(claim, r1, r2):
    services.claim_approve(by=r1, claim=claim)
    return services.claim_approve(by=r2, claim=claim)

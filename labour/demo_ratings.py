"""Demo data: harmonious-enterprise ratings. A past batch whose enterprises hold their title, and a current
batch with self-assessments at each stage in 华舍 and 齐贤. The collective contracts and workers' congress
sessions the indicators read are created here directly (marked 演示-和谐企业) when the enterprise has none:
the contracts and congress parts are built separately. Idempotent: a batch already there is left alone."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from members.models import Enterprise
from union_portal.models import OrgUnit

from .models import (
    CollectiveContract,
    CongressSession,
    RatingApplication,
    RatingBatch,
    RatingEvidence,
    RatingIndicator,
    RatingStatus,
)
from .rules_ratings import DEFAULT_INDICATORS
from .services import ratings as services

DEMO_MARK = "演示-和谐企业"
PAST_TITLE = "第四批区级和谐劳动关系企业"
CURRENT_TITLE = "第五批区级和谐劳动关系企业"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# (grassroots union code, stage the current batch's self-assessment is at)
CURRENT = [
    ("KQ-HS-001", RatingStatus.NOTICE),
    ("KQ-HS-002", RatingStatus.RETURNED),
    ("KQ-HS-003", RatingStatus.TOWNSHIP_REVIEW),
    ("KQ-QX-001", RatingStatus.DISTRICT_REVIEW),
    # a group case of unpaid wages (labour's cases demo) keeps 齐贤机械 from submitting, and withdrew its title
    ("KQ-QX-002", RatingStatus.DRAFT),
]
# Enterprises named in the past batch: one in each township.
PAST_NAMED = ["KQ-HS-002", "KQ-QX-002"]


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _facts(enterprise: Enterprise, by, start: dt.date, end: dt.date) -> None:
    """A wage contract in force and a congress session in the period, unless the enterprise has them."""
    if not CollectiveContract.objects.filter(enterprise=enterprise, title__startswith=DEMO_MARK).exists():
        contract = CollectiveContract.objects.create(
            kind="wage",
            level="enterprise",
            org=enterprise.union,
            enterprise=enterprise,
            title=f"{DEMO_MARK} {enterprise.name}工资专项集体合同",
            status="effective",
            signed_on=start,
            starts_on=start,
            ends_on=end + dt.timedelta(days=730),
            filed_on=start,
            workers_covered=enterprise.employee_count,
            created_by=by,
        )
        contract.covered.add(enterprise)
    if not CongressSession.objects.filter(enterprise=enterprise, agenda__startswith=DEMO_MARK).exists():
        CongressSession.objects.create(
            enterprise=enterprise,
            org=enterprise.union,
            held_on=start + dt.timedelta(days=60),
            delegates=40,
            present=36,
            agenda=f"{DEMO_MARK}：审议年度工资集体协商方案、厂务公开情况报告",
            created_by=by,
        )


@transaction.atomic
def seed(*, stdout) -> None:
    User = get_user_model()
    admin = User.objects.get(username="district_admin")
    district = OrgUnit.objects.get(code="SX-KQ")
    today = timezone.localdate()
    firms = {e.union.code: e for e in Enterprise.objects.filter(union__isnull=False).select_related("union")}
    if not RatingBatch.objects.filter(title=PAST_TITLE).exists():
        past = RatingBatch.objects.create(
            org=district,
            title=PAST_TITLE,
            level="district",
            period_start=today - dt.timedelta(days=900),
            period_end=today - dt.timedelta(days=536),
            apply_by=today - dt.timedelta(days=500),
            created_by=admin,
        )
        # a past batch is made directly (its dates are behind us): the default indicators, as batch_create gives
        RatingIndicator.objects.bulk_create(
            RatingIndicator(batch=past, key=k, weight=w, threshold=t, required=r) for k, w, t, r in DEFAULT_INDICATORS
        )
        named_on = today - dt.timedelta(days=420)
        for code in PAST_NAMED:
            firm = firms[code]
            application = RatingApplication.objects.create(
                batch=past,
                enterprise=firm,
                org=firm.union,
                status=RatingStatus.NAMED,
                contract_rate=Decimal("100"),
                insurance_rate=Decimal("98"),
                wages_on_time=True,
                safety_ok=True,
                has_collective_contract=True,
                congress_held=True,
                serious_dispute=False,
                score=Decimal("100"),
                submitted_on=today - dt.timedelta(days=495),
                named_on=named_on,
                term_ends_on=services.term_end(named_on, past.term_years),
                created_by=admin,
            )
            RatingEvidence.objects.create(
                application=application, description="劳动合同台账", file=_pdf("ledger.pdf"), uploaded_by=admin
            )
    if not RatingBatch.objects.filter(title=CURRENT_TITLE).exists():
        batch = services.batch_create(
            by=admin,
            org=district,
            title=CURRENT_TITLE,
            level="district",
            period_start=today - dt.timedelta(days=365),
            period_end=today - dt.timedelta(days=1),
            apply_by=today + dt.timedelta(days=30),
        )
        staff = {"KQ-HS": User.objects.get(username="huashe_staff"), "KQ-QX": User.objects.get(username="qixian_staff")}
        for code, stage in CURRENT:
            firm = firms[code]
            handler = User.objects.filter(assignments__node=firm.union, assignments__role="handler").first() or admin
            _facts(firm, handler, batch.period_start, batch.period_end)
            application = services.application_create(by=handler, batch=batch, enterprise=firm, today=today)
            services.application_update(
                by=handler,
                application=application,
                contract_rate=Decimal("100"),
                insurance_rate=Decimal("97.5"),
                wages_on_time=True,
                safety_ok=True,
                statement="劳动合同签订率100%，社会保险参保率97.5%，工资按月足额发放，全年无重大劳动争议。",
            )
            services.evidence_add(by=handler, application=application, description="社保缴费清单", file=_pdf("si.pdf"))
            if stage == RatingStatus.DRAFT:
                continue
            services.application_submit(by=handler, application=application, today=today)
            if stage == RatingStatus.TOWNSHIP_REVIEW:
                continue
            township = staff[firm.township.code] if firm.township.code in staff else admin
            if stage == RatingStatus.RETURNED:
                services.application_review(
                    by=township, application=application, decision="return", comment="请补充职代会决议原件"
                )
                continue
            services.application_review(by=township, application=application, decision="pass")
            if stage == RatingStatus.DISTRICT_REVIEW:
                continue
            services.application_review(by=admin, application=application, decision="pass")
            services.application_notice_start(by=admin, application=application, starts_on=today, today=today)
    stdout.write(f"  harmonious-enterprise ratings: {RatingApplication.objects.count()} self-assessments")

"""Demo data: rights cases (维权). Accounts rights_huashe / rights_qixian (rights officers of the two townships)
and lawyer1 (a legal-aid lawyer of the roster, outside account); lawyers; cases in every state in 华舍 and 齐贤:
the demo worker's own confidential case against the demo handler's enterprise, a group case of unpaid wages, a
hotline case, one with a document. Through the services, dated relative to today. Idempotent."""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from members.models import Enterprise, Member
from union_portal.roles import Role
from union_portal.tree import OrgUnit

from .models import CaseStep, Lawyer, RightsCase
from .services import cases as services

ACCOUNTS = [
    ("rights_huashe", "华舍街道维权干部", Role.RIGHTS_OFFICER, "KQ-HS"),
    ("rights_qixian", "齐贤街道维权干部", Role.RIGHTS_OFFICER, "KQ-QX"),
    ("lawyer1", "法律援助律师周明", Role.LAWYER, "SX-KQ"),
]

LAWYERS = [
    ("周明", "浙江柯桥公正律师事务所", "劳动争议、工伤", "lawyer1"),
    ("沈佳", "绍兴越州律师事务所", "欠薪、劳动合同", None),
    ("陆建华", "浙江导司律师事务所", "社会保险、女职工权益", None),
]

# A tiny but valid PDF (the upload check reads the content).
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _accounts() -> dict:
    User = get_user_model()
    users = {}
    for username, full_name, role, node_code in ACCOUNTS:
        user, created = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
        if created:
            user.set_password(settings.DEMO_PASSWORD)
            user.save()
        user.assignments.get_or_create(role=role, node=OrgUnit.objects.get(code=node_code))
        users[username] = user
    return users


@transaction.atomic
def seed(*, stdout) -> None:
    users = _accounts()
    for name, firm, specialities, username in LAWYERS:
        Lawyer.objects.get_or_create(
            name=name,
            firm=firm,
            defaults={"specialities": specialities, "user": users.get(username) if username else None},
        )
    stdout.write("  rights-case accounts: " + ", ".join(f"{u} ({n})" for u, n, _r, _c in ACCOUNTS))
    if RightsCase.objects.exists():
        stdout.write(f"  rights cases: {RightsCase.objects.count()} (kept)")
        return
    today = timezone.localdate()
    ago = lambda days: today - dt.timedelta(days=days)  # noqa: E731
    lawyer = Lawyer.objects.get(name="周明")
    hs, qx = users["rights_huashe"], users["rights_qixian"]
    firm_hs = Enterprise.objects.get(union__code="KQ-HS-001")
    firm_hs2 = Enterprise.objects.get(union__code="KQ-HS-002")
    firm_qx = Enterprise.objects.get(union__code="KQ-QX-001")
    firm_qx2 = Enterprise.objects.get(union__code="KQ-QX-002")

    # the demo worker's own request: confidential, at the demo handler's enterprise; accepted, being handled
    worker = get_user_model().objects.get(username="worker")
    member = Member.objects.get(user=worker)
    own = services.case_file(
        by=worker,
        member=member,
        case_type="overtime",
        facts="车间连续三个月每周加班超过36小时，加班费未按规定支付。",
        requests="补发加班费，按法律规定安排工时。",
        enterprise=firm_hs,
        confidential=True,
        documents=[SimpleUploadedFile("加班记录.pdf", PDF, content_type="application/pdf")],
        today=ago(6),
    )
    services.case_accept(by=hs, case=own, today=ago(5))
    services.case_add_step(
        by=hs, case=own, kind=CaseStep.Kind.CONTACT, on=ago(5), notes="电话联系职工，核实加班情况。", today=ago(5)
    )

    for officer, firm, township, tag in ((hs, firm_hs2, "KQ-HS", "华舍"), (qx, firm_qx, "KQ-QX", "齐贤")):
        # waiting to be accepted (a hotline call)
        services.case_record(
            by=officer,
            case_type="unpaid_wages",
            facts=f"{tag}某工地班组长来电：已两个月未发工资。",
            requests="尽快补发工资",
            employer_name=f"{tag}某建筑劳务队",
            township=OrgUnit.objects.get(code=township),
            worker_name="赵大军" if tag == "华舍" else "钱小兵",
            worker_mobile="13700000011" if tag == "华舍" else "13700000022",
            today=today,
        )
        # accepted
        accepted = services.case_record(
            by=officer,
            case_type="contract",
            facts="入职半年未签订书面劳动合同。",
            enterprise=firm,
            worker_name="孙丽" if tag == "华舍" else "李芳",
            worker_mobile="13700000033" if tag == "华舍" else "13700000044",
            today=ago(2),
        )
        services.case_accept(by=officer, case=accepted, today=ago(1))
        # being handled with legal aid and a document
        handled = services.case_record(
            by=officer,
            case_type="work_injury",
            facts="工作中左手受伤，企业拒绝申报工伤。",
            requests="申报工伤，支付医疗费",
            enterprise=firm,
            worker_name="周强" if tag == "华舍" else "吴刚",
            worker_mobile="13700000055" if tag == "华舍" else "13700000066",
            today=ago(12),
        )
        services.case_accept(by=officer, case=handled, today=ago(11))
        services.case_add_step(
            by=officer,
            case=handled,
            kind=CaseStep.Kind.LEGAL_AID,
            on=ago(10),
            notes="指派法律援助律师代理工伤认定申请。",
            lawyer=lawyer,
            documents=[SimpleUploadedFile("工伤认定申请书.pdf", PDF, content_type="application/pdf")],
            today=ago(10),
        )
        # closed with money recovered
        closed = services.case_record(
            by=officer,
            case_type="dismissal",
            facts="被无故辞退，未支付经济补偿。",
            enterprise=firm,
            worker_name="郑伟" if tag == "华舍" else "王敏",
            worker_mobile="13700000077" if tag == "华舍" else "13700000088",
            today=ago(40),
        )
        services.case_accept(by=officer, case=closed, today=ago(39))
        services.case_add_step(
            by=officer, case=closed, kind=CaseStep.Kind.MEDIATION, on=ago(30), notes="调解达成协议。", today=ago(30)
        )
        services.case_close(by=officer, case=closed, outcome="resolved", money_recovered="18600.00", today=ago(25))

    # a group case of unpaid wages on a 齐贤 site: 16 workers, over the early-warning threshold
    lead = services.case_record(
        by=qx,
        case_type="unpaid_wages",
        facts="机械厂外包班组16名农民工春节前工资未结清。",
        requests="结清工资",
        enterprise=firm_qx2,
        worker_name="冯建国",
        worker_mobile="13700000099",
        worker_count=12,
        today=ago(3),
    )
    other = services.case_record(
        by=qx,
        case_type="unpaid_wages",
        facts="同一班组另外4名工人工资未结清。",
        enterprise=firm_qx2,
        worker_name="陈亮",
        worker_mobile="13700000100",
        worker_count=4,
        today=ago(3),
    )
    services.case_link_group(by=qx, case=other, lead=lead, today=ago(2))
    stdout.write(f"  rights cases: {RightsCase.objects.count()}; lawyers: {Lawyer.objects.count()}")

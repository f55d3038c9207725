"""Demo data of the members app: the enterprises of the demo tree and the demo worker's membership
(``seed_enterprises_and_worker``), a few dozen members across the demo unions, a pending founding
application, a pending join application and a pending transfer. Idempotent. Dated relative to today."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from union_portal.demo import GRASSROOTS, NON_UNIONISED
from union_portal.identity import id_number_hash, make_id_number, make_uscc, mobile_hash
from union_portal.models import OrgUnit

from . import services
from .models import Enterprise, FoundingApplication, JoinApplication, Member, MemberEvent, MemberTransfer

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = [
    "建国",
    "秀英",
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "霞",
]
JOBS = ["挡车工", "印染工", "机修工", "质检员", "仓管员", "班组长", "技术员", "电工", "叉车司机", "化验员"]
# (union code, how many members)
ROLL = [("KQ-HS-001", 18), ("KQ-QX-001", 14), ("KQ-HS-002", 5), ("KQ-QX-002", 4), ("KQ-KQ-001", 4), ("KQ-QQ-001", 3)]
# Regions: Shaoxing county (330621), Anhui (341221), Henan (411421), Guizhou (522401) — migrant workers.
REGIONS = ["330621", "330621", "341221", "411421", "522401"]
MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _person(i: int) -> tuple[str, str, str]:
    region = REGIONS[i % len(REGIONS)]
    birth = dt.date(1970 + i % 30, 1 + i % 12, 1 + i % 28)
    name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)]
    return name, make_id_number(region, birth, 200 + i), f"139{57510000 + i:08d}"


DEMO_WORKER_ID = make_id_number("330621", dt.date(1988, 3, 8), 124)  # a woman from Shaoxing county
DEMO_WORKER_MOBILE = "13957500001"


@transaction.atomic
def seed_enterprises_and_worker(*, stdout) -> None:
    """The enterprises of the core's demo tree (with their unions, and a few without one yet) and the demo
    worker's membership. Needs union_portal.demo (the tree and the accounts)."""
    nodes = {n.code: n for n in OrgUnit.objects.all()}
    for seq, (code, _union_name, parent_code, firm, industry, staff) in enumerate(GRASSROOTS, start=1):
        township = nodes[parent_code] if nodes[parent_code].kind == OrgUnit.Kind.TOWNSHIP else nodes["KQ-KQ"]
        Enterprise.objects.get_or_create(
            uscc=make_uscc(seq),
            defaults={
                "name": firm,
                "industry": industry,
                "employee_count": staff,
                "township": township,
                "union": nodes[code],
            },
        )
    for seq, (parent_code, firm, industry, staff) in enumerate(NON_UNIONISED, start=100):
        Enterprise.objects.get_or_create(
            uscc=make_uscc(seq),
            defaults={"name": firm, "industry": industry, "employee_count": staff, "township": nodes[parent_code]},
        )
    worker = get_user_model().objects.get(username="worker")
    if not Member.objects.filter(id_number_hash=id_number_hash(DEMO_WORKER_ID)).exists():
        Member.objects.create(
            user=worker,
            member_number="KQ2026000001",
            name="陈小红",
            id_number=DEMO_WORKER_ID,
            id_number_hash=id_number_hash(DEMO_WORKER_ID),
            sex=Member.Sex.FEMALE,
            birth_date=dt.date(1988, 3, 8),
            mobile=DEMO_WORKER_MOBILE,
            mobile_hash=mobile_hash(DEMO_WORKER_MOBILE),
            bank_account="6228480402564890018",
            bank_name="中国农业银行",
            org=nodes["KQ-HS-001"],
            enterprise=Enterprise.objects.get(union=nodes["KQ-HS-001"]),
            job="挡车工",
            is_frontline=True,
            is_migrant=True,
            joined_on=dt.date(2019, 5, 1),
        )
        member = Member.objects.get(user=worker)
        MemberEvent.objects.create(
            member=member,
            kind=MemberEvent.Kind.JOINED,
            effective_on=member.joined_on,
            to_status=Member.Status.ACTIVE,
            to_org=member.org,
        )
    stdout.write(f"  enterprises: {Enterprise.objects.count()}; demo worker 陈小红")


@transaction.atomic
def seed(*, stdout) -> None:
    today = timezone.localdate()
    seed_enterprises_and_worker(stdout=stdout)
    User = get_user_model()
    admin = User.objects.get(username="district_admin")
    nodes = {n.code: n for n in OrgUnit.objects.filter(code__in=[c for c, _n in ROLL] + ["KQ-HS", "KQ-QX"])}
    i = 0
    created = 0
    for code, count in ROLL:
        for _k in range(count):
            i += 1
            name, id_number, mobile = _person(i)
            if Member.objects.filter(id_number_hash=id_number_hash(id_number)).exists():
                continue
            region = id_number[:6]
            services.member_create(
                by=admin,
                org=nodes[code],
                name=name,
                id_number=id_number,
                mobile=mobile,
                joined_on=dt.date(today.year - 11 + i % 10, 1 + i % 12, 1 + i % 27),  # 2 to 11 years ago
                job=JOBS[i % len(JOBS)],
                is_frontline=i % 3 != 0,
                is_migrant=region != "330621",
                is_hardship=i % 11 == 0,
                is_technical=i % 7 == 0,
                bank_name="中国工商银行" if i % 2 else "中国农业银行",
                bank_account=f"62220212{i:011d}",
                reason="演示数据",
            )
            created += 1
    # One retired member with a history.
    retired_id = _person(3)[1]
    member = Member.objects.filter(id_number_hash=id_number_hash(retired_id), status=Member.Status.ACTIVE).first()
    if member is not None and not member.events.filter(kind="status").exists():
        services.member_change_status(
            by=admin,
            member=member,
            status=Member.Status.RETIRED,
            effective_on=dt.date(today.year - 1, 12, 31),
            reason="到龄退休",
        )

    # A pending transfer: a Huashe member moving to the Qixian chemical-fibre union.
    mover = Member.objects.filter(id_number_hash=id_number_hash(_person(5)[1])).first()
    if mover is not None and not MemberTransfer.objects.filter(member=mover).exists():
        services.transfer_request(
            by=admin, member=mover, to_org=nodes["KQ-QX-001"], reason="调入浙江齐贤化纤有限公司工作"
        )

    # A pending join application to the handler's union.
    applicant_id = make_id_number("341221", dt.date(1996, 7, 15), 318)
    if not JoinApplication.objects.filter(id_number_hash=id_number_hash(applicant_id)).exists():
        services.join_submit(
            user=None,
            org=nodes["KQ-HS-001"],
            name="周晓燕",
            id_number=applicant_id,
            mobile="13957520001",
            job="缝纫工",
            is_frontline=True,
            is_migrant=True,
            consent=True,
        )

    # A pending founding application of a 25+ firm without a union in Huashe.
    firm = Enterprise.objects.filter(township=nodes["KQ-HS"], union__isnull=True, employee_count__gte=25).first()
    if firm is not None and not FoundingApplication.objects.filter(enterprise=firm).exists():
        services.founding_submit(
            by=User.objects.get(username="huashe_staff"),
            enterprise=firm,
            union_name=f"{firm.name}工会",
            chair_name="沈国良",
            meeting_date=today - dt.timedelta(days=80),
            member_count=52,
            election_result=ContentFile(MINIMAL_PDF, name="election.pdf"),
            applicant_name="沈国良",
            applicant_phone="13957530001",
        )
    stdout.write(f"  members: {created} added, {Member.objects.count()} on the roll")

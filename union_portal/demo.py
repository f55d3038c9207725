"""Demo data for the foundation: the Keqiao tree, enterprises, the demo accounts. Idempotent.

Each domain app adds its own demo data in ``<app>/demo.py`` (``seed(*, stdout) -> None``), called by
``manage.py seed_demo`` in dependency order after this module."""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from members.models import Enterprise, Member, MemberEvent
from union_portal.identity import id_number_hash, make_id_number, make_uscc, mobile_hash
from union_portal.models import OrgUnit

from .roles import Role

TOWNSHIPS = [
    ("KQ-KQ", "柯桥街道工会"),
    ("KQ-KY", "柯岩街道工会"),
    ("KQ-HS", "华舍街道工会"),
    ("KQ-HT", "湖塘街道工会"),
    ("KQ-QX", "齐贤街道工会"),
    ("KQ-AC", "安昌街道工会"),
    ("KQ-FQ", "福全街道工会"),
    ("KQ-QQ", "钱清街道工会"),
    ("KQ-LT", "兰亭街道工会"),
    ("KQ-MA", "马鞍街道工会"),
    ("KQ-YXQ", "杨汛桥街道工会"),
    ("KQ-LZ", "漓渚镇工会"),
    ("KQ-PS", "平水镇工会"),
    ("KQ-WT", "王坛镇工会"),
    ("KQ-JD", "稽东镇工会"),
    ("KQ-XL", "夏履镇工会"),
]
INDUSTRY_UNIONS = [("KQ-IND-TEX", "柯桥区纺织行业工会"), ("KQ-IND-BLD", "柯桥区建筑行业工会")]

# (union code, union name, parent code, enterprise name, industry, employees)
GRASSROOTS = [
    ("KQ-HS-001", "浙江华舍纺织印染有限公司工会", "KQ-HS", "浙江华舍纺织印染有限公司", "纺织印染", 860),
    ("KQ-HS-002", "绍兴华舍织造有限公司工会", "KQ-HS", "绍兴华舍织造有限公司", "纺织", 240),
    ("KQ-HS-003", "华舍街道小微企业联合工会", "KQ-HS", "绍兴华舍家纺工作室", "家纺", 18),
    ("KQ-QX-001", "浙江齐贤化纤有限公司工会", "KQ-QX", "浙江齐贤化纤有限公司", "化纤", 1200),
    ("KQ-QX-002", "绍兴齐贤机械制造有限公司工会", "KQ-QX", "绍兴齐贤机械制造有限公司", "机械", 310),
    ("KQ-KQ-001", "中国轻纺城市场经营管理公司工会", "KQ-KQ", "中国轻纺城市场经营管理有限公司", "商贸", 520),
    ("KQ-KY-001", "柯岩风景区旅游发展公司工会", "KQ-KY", "绍兴柯岩风景区旅游发展有限公司", "旅游", 180),
    ("KQ-HT-001", "浙江湖塘黄酒有限公司工会", "KQ-HT", "浙江湖塘黄酒有限公司", "食品", 260),
    ("KQ-AC-001", "安昌古镇文化旅游公司工会", "KQ-AC", "绍兴安昌古镇文化旅游有限公司", "旅游", 95),
    ("KQ-MA-001", "浙江马鞍热电有限公司工会", "KQ-MA", "浙江马鞍热电有限公司", "能源", 420),
    ("KQ-QQ-001", "绍兴钱清纺织有限公司工会", "KQ-QQ", "绍兴钱清纺织有限公司", "纺织", 650),
    ("KQ-IND-BLD-001", "柯桥城建集团第一项目部工会", "KQ-IND-BLD", "绍兴柯桥城市建设集团有限公司", "建筑", 380),
]
# Firms of 25+ staff without a union yet (the founding campaign's targets).
NON_UNIONISED = [
    ("KQ-HS", "绍兴华舍经编有限公司", "纺织", 66),
    ("KQ-QX", "绍兴齐贤新材料科技有限公司", "新材料", 41),
    ("KQ-YXQ", "浙江杨汛桥服饰有限公司", "服装", 135),
]

# username, full name, role, node code (None: no role)
ACCOUNTS = [
    ("city_admin", "绍兴市总工会管理员", Role.CITY_ADMIN, "SX"),
    ("district_admin", "柯桥区总工会管理员", Role.DISTRICT_ADMIN, "SX-KQ"),
    ("reviewer1", "互助审核员一", Role.REVIEWER, "SX-KQ"),
    ("reviewer2", "互助审核员二", Role.REVIEWER, "SX-KQ"),
    ("finance", "财务专员", Role.FINANCE, "SX-KQ"),
    ("huashe_staff", "华舍街道工会干事", Role.TOWNSHIP_STAFF, "KQ-HS"),
    ("qixian_staff", "齐贤街道工会干事", Role.TOWNSHIP_STAFF, "KQ-QX"),
    ("handler", "华舍纺织印染工会经办人", Role.HANDLER, "KQ-HS-001"),
    ("handler_qixian", "齐贤化纤工会经办人", Role.HANDLER, "KQ-QX-001"),
    ("judge1", "评委王建国", Role.JUDGE, "SX-KQ"),
    ("judge2", "评委李秀英", Role.JUDGE, "SX-KQ"),
    ("worker", "陈小红", None, None),
]
DEMO_WORKER_ID = make_id_number("330621", dt.date(1988, 3, 8), 124)  # a woman from Shaoxing county
DEMO_WORKER_MOBILE = "13957500001"


def _node(code: str, name: str, kind: str, parent: OrgUnit | None) -> OrgUnit:
    existing = OrgUnit.objects.filter(code=code).first()
    if existing:
        return existing
    if parent is None:
        return OrgUnit.objects.add_root({"code": code, "name": name, "kind": kind})
    return OrgUnit.objects.add_child(parent, {"code": code, "name": name, "kind": kind})


@transaction.atomic
def seed(*, stdout) -> None:
    city = _node("SX", "绍兴市总工会", OrgUnit.Kind.CITY, None)
    district = _node("SX-KQ", "柯桥区总工会", OrgUnit.Kind.DISTRICT, city)
    nodes = {"SX": city, "SX-KQ": district}
    for code, name in TOWNSHIPS:
        nodes[code] = _node(code, name, OrgUnit.Kind.TOWNSHIP, district)
    for code, name in INDUSTRY_UNIONS:
        nodes[code] = _node(code, name, OrgUnit.Kind.INDUSTRY, district)
    for seq, (code, union_name, parent_code, firm, industry, staff) in enumerate(GRASSROOTS, start=1):
        union = _node(code, union_name, OrgUnit.Kind.GRASSROOTS, nodes[parent_code])
        nodes[code] = union
        township = nodes[parent_code] if nodes[parent_code].kind == OrgUnit.Kind.TOWNSHIP else nodes["KQ-KQ"]
        Enterprise.objects.get_or_create(
            uscc=make_uscc(seq),
            defaults={
                "name": firm,
                "industry": industry,
                "employee_count": staff,
                "township": township,
                "union": union,
            },
        )
    for seq, (parent_code, firm, industry, staff) in enumerate(NON_UNIONISED, start=100):
        Enterprise.objects.get_or_create(
            uscc=make_uscc(seq),
            defaults={"name": firm, "industry": industry, "employee_count": staff, "township": nodes[parent_code]},
        )
    _node("KQ-HS-001-G01", "印染一车间工会小组", OrgUnit.Kind.GROUP, nodes["KQ-HS-001"])
    _node("KQ-HS-001-G02", "织造二车间工会小组", OrgUnit.Kind.GROUP, nodes["KQ-HS-001"])

    User = get_user_model()
    for username, full_name, role, node_code in ACCOUNTS:
        user, created = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
        if created:
            user.set_password(settings.DEMO_PASSWORD)
            user.save()
        if role:
            user.assignments.get_or_create(role=role, node=nodes[node_code])

    worker = User.objects.get(username="worker")
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
    stdout.write(f"  organisation tree: {OrgUnit.objects.count()} units, {Enterprise.objects.count()} enterprises")

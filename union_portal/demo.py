"""Demo data of the core: the Keqiao union tree and the demo accounts with their roles. Idempotent.

Each app adds its own demo data in ``<app>/demo.py`` (``seed(*, stdout) -> None``), run by
``manage.py seed_demo`` in INSTALLED_APPS order after this module: members adds the enterprises below
(``GRASSROOTS``, ``NON_UNIONISED``) and the demo worker's membership, the other apps build on those."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from .models import RoleAssignment
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


def _tree_model():
    """The union tree's model: the one role assignments point at (the core names no app's model)."""
    return RoleAssignment._meta.get_field("node").related_model


def _node(code: str, name: str, kind: str, parent):
    OrgUnit = _tree_model()
    existing = OrgUnit.objects.filter(code=code).first()
    if existing:
        return existing
    if parent is None:
        return OrgUnit.objects.add_root({"code": code, "name": name, "kind": kind})
    return OrgUnit.objects.add_child(parent, {"code": code, "name": name, "kind": kind})


@transaction.atomic
def seed(*, stdout) -> None:
    OrgUnit = _tree_model()
    city = _node("SX", "绍兴市总工会", OrgUnit.Kind.CITY, None)
    district = _node("SX-KQ", "柯桥区总工会", OrgUnit.Kind.DISTRICT, city)
    nodes = {"SX": city, "SX-KQ": district}
    for code, name in TOWNSHIPS:
        nodes[code] = _node(code, name, OrgUnit.Kind.TOWNSHIP, district)
    for code, name in INDUSTRY_UNIONS:
        nodes[code] = _node(code, name, OrgUnit.Kind.INDUSTRY, district)
    for code, union_name, parent_code, _firm, _industry, _staff in GRASSROOTS:
        nodes[code] = _node(code, union_name, OrgUnit.Kind.GRASSROOTS, nodes[parent_code])
    _node("KQ-HS-001-G01", "印染一车间工会小组", OrgUnit.Kind.GROUP, nodes["KQ-HS-001"])
    _node("KQ-HS-001-G02", "织造二车间工会小组", OrgUnit.Kind.GROUP, nodes["KQ-HS-001"])

    User = get_user_model()
    for username, full_name, role, node_code in ACCOUNTS:
        user, created = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
        if created:
            user.set_password(settings.DEMO_PASSWORD)
            user.save()
        if role:
            assert node_code is not None  # every role in ACCOUNTS has its node
            user.assignments.get_or_create(role=role, node=nodes[node_code])
    stdout.write(f"  organisation tree: {OrgUnit.objects.count()} units, {len(ACCOUNTS)} demo accounts")
    _seed_bank_layouts(district, User.objects.get(username="finance"))
    stdout.write(
        "  bank file layouts: generic, 工商银行, 农业银行, 瑞丰银行 (unverified); the district pays through 瑞丰银行"
    )


# The district's own account at its local bank, as the demo pays from it (a made-up number).
DEMO_PAYER_ACCOUNT = "201000123456789012"


def _seed_bank_layouts(district, finance) -> None:
    """The shipped layouts (as the data migration wrote them; restored if deleted) and the district's bank
    settings: it pays through its local rural commercial bank."""
    from .payments.models import BankLayout, PaymentSetting
    from .payments.shipped import RUIFENG, SHIPPED

    for row in SHIPPED:
        values = dict(row)
        BankLayout.objects.get_or_create(name=values.pop("name"), defaults=values)
    PaymentSetting.objects.get_or_create(
        org=district,
        defaults={
            "default_layout": BankLayout.objects.get(name=RUIFENG["name"]),
            "payer_account": DEMO_PAYER_ACCOUNT,
            "payer_name": district.name,
            "updated_by": finance,
        },
    )

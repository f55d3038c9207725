"""Demo data for awards: last year's round closed with its honour roll (its stages in March and April of
last year), this year's round in progress (nominations opened two months ago and close next week) with
nominations at several stages, the holiday table for both years as far as the package knows them.
Idempotent. Everything goes through the services, with the dates of the story, relative to today, passed
in."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from members.models import Enterprise, Member
from union_portal import onetime, tree, workdays
from union_portal.identity import id_number_hash, make_id_number, mobile_hash
from union_portal.models import HolidayDay, OrgUnit
from union_portal.notices.models import Objection
from union_portal.pdf import letter

from . import services
from .models import AwardType, HonourLevel, Nomination, Round

# member number, name, sex, union code, job, frontline, technical, head, migrant, deeds
PEOPLE = [
    (
        "KQAW0001",
        "沈建华",
        "M",
        "KQ-HS-001",
        "印染车间主任",
        True,
        True,
        False,
        False,
        "主持印染节能改造，年节约标煤一千二百吨。",
    ),
    ("KQAW0002", "王丽萍", "F", "KQ-HS-001", "挡车工", True, False, False, True, "连续八年零次品，带出徒弟三十余名。"),
    (
        "KQAW0003",
        "刘海军",
        "M",
        "KQ-HS-002",
        "织造技师",
        True,
        True,
        False,
        True,
        "改进喷水织机工艺，效率提高百分之十五。",
    ),
    (
        "KQAW0004",
        "陈美娟",
        "F",
        "KQ-QX-001",
        "纺丝工",
        True,
        False,
        False,
        False,
        "参与涤纶长丝新品试产，攻克断头难题。",
    ),
    (
        "KQAW0005",
        "赵国强",
        "M",
        "KQ-QX-002",
        "数控机床操作工",
        True,
        True,
        False,
        True,
        "完成技术革新十二项，获国家实用新型专利两项。",
    ),
    (
        "KQAW0006",
        "孙卫东",
        "M",
        "KQ-QX-001",
        "总经理",
        False,
        False,
        True,
        False,
        "带领企业建成智能化车间，关心职工生活。",
    ),
    ("KQAW0007", "何秀兰", "F", "KQ-HS-001", "质检员", True, False, False, True, "坚守质检岗位十五年，把好每一道关。"),
    (
        "KQAW0008",
        "吴志明",
        "M",
        "KQ-HS-001",
        "机修工",
        True,
        True,
        False,
        False,
        "抢修设备随叫随到，保障生产线全年稳定运行。",
    ),
    (
        "KQAW0009",
        "郑春燕",
        "F",
        "KQ-QX-001",
        "化验员",
        True,
        True,
        False,
        True,
        "建立化验数据台账，产品合格率大幅提升。",
    ),
    ("KQAW0010", "冯立新", "M", "KQ-QX-001", "班组长", True, False, False, True, "班组安全生产三千天无事故。"),
    ("KQAW0011", "杨小燕", "F", "KQ-HS-001", "缝纫工", True, False, False, True, "技能比武一等奖，义务培训新员工。"),
]

TYPES = [
    (AwardType.Kind.ADVANCED_COLLECTIVE, "先进集体", HonourLevel.DISTRICT),
    (AwardType.Kind.ADVANCED_INDIVIDUAL, "先进个人", HonourLevel.DISTRICT),
    (AwardType.Kind.MODEL_WORKER, "劳动模范", HonourLevel.DISTRICT),
    (AwardType.Kind.WORKER_PIONEER, "工人先锋号", HonourLevel.DISTRICT),
    (AwardType.Kind.MAY_DAY_MEDAL, "五一劳动奖章（推荐）", HonourLevel.CITY),
]


def _pdf(title: str, text: str, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, letter(title=title, paragraphs=[text]), content_type="application/pdf")


def _people(nodes: dict[str, OrgUnit]) -> dict[str, Member]:
    people = {}
    for seq, (number, name, sex, code, job, frontline, technical, head, migrant, _deeds) in enumerate(PEOPLE, start=1):
        member = Member.objects.filter(member_number=number).first()
        if member is None:
            birth = dt.date(1975 + seq, (seq % 12) + 1, 10 + seq)
            id_number = make_id_number("330603", birth, 800 + seq * 2 + (1 if sex == "M" else 0))
            mobile = f"1395750{seq:04d}"
            member = Member.objects.create(
                member_number=number,
                name=name,
                id_number=id_number,
                id_number_hash=id_number_hash(id_number),
                sex=sex,
                birth_date=birth,
                mobile=mobile,
                mobile_hash=mobile_hash(mobile),
                org=nodes[code],
                enterprise=Enterprise.objects.filter(union=nodes[code]).first(),
                job=job,
                is_frontline=frontline,
                is_technical=technical,
                is_enterprise_head=head,
                is_migrant=migrant,
                joined_on=dt.date(2012, 5, 1),
            )
        people[number] = member
    return people


def _deeds(number: str) -> str:
    return next(row[-1] for row in PEOPLE if row[0] == number)


def _nominate(by, round_, type_name, candidate, *, deeds: str, today: dt.date, submit=True) -> Nomination:
    award_type = round_.award_types.get(name=type_name)
    kwargs = {"candidate_org": candidate} if award_type.is_collective else {"member": candidate}
    nomination = services.nomination_create(
        by=by,
        round_=round_,
        award_type=award_type,
        deeds_summary=deeds,
        deeds_file=_pdf("事迹材料", deeds, "deeds.pdf"),
        congress_file=_pdf("职工代表大会决议", "经职工代表大会审议，同意推荐。", "congress.pdf"),
        **kwargs,
    )
    if submit:
        nomination = services.nomination_submit(by=by, nomination=nomination, today=today)
    return nomination


def _pass_both(nomination, township, district):
    if nomination.status == Nomination.Status.TOWNSHIP_REVIEW:
        nomination = services.nomination_review(by=township, nomination=nomination, decision="pass")
    return services.nomination_review(by=district, nomination=nomination, decision="pass", comment="同意")


@transaction.atomic
def seed(*, stdout) -> None:
    User = get_user_model()
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["district_admin", "huashe_staff", "qixian_staff", "handler", "handler_qixian"]
        )
    }
    if len(users) < 5:
        stdout.write("  awards: the foundation's demo accounts are missing; skipped")
        return
    admin = users["district_admin"]
    nodes = {n.code: n for n in OrgUnit.objects.filter(code__startswith="KQ") | OrgUnit.objects.filter(code="SX-KQ")}
    district = nodes["SX-KQ"]
    today = timezone.localdate()
    for year in (today.year - 1, today.year):
        if workdays.package_knows(year) and not HolidayDay.objects.filter(date__year=year).exists():
            services.holidays_fill_from_package(by=admin, year=year)
    people = _people(nodes)

    if not Round.objects.filter(org=district, year=today.year - 1).exists():
        _seed_closed(admin, users, nodes, people, year=today.year - 1)
    if not Round.objects.filter(org=district, year=today.year).exists():
        _seed_current(admin, users, nodes, people, today=today)
    stdout.write(
        f"  awards: {Round.objects.count()} rounds, {Nomination.objects.count()} nominations, "
        f"{HolidayDay.objects.count()} holiday-table days"
    )


def _round(admin, district, year, **dates) -> Round:
    round_ = services.round_create(
        by=admin,
        org=district,
        year=year,
        title=f"{year}年度柯桥区总工会先进集体和先进个人表彰",
        issuer="绍兴市柯桥区总工会",
        award_types=TYPES,
        **dates,
    )
    for award_type in round_.award_types.all():
        for code in ("KQ-HS", "KQ-QX", "KQ-KQ", "KQ-HT", "KQ-IND-BLD"):
            places = {"先进个人": 3, "先进集体": 1, "劳动模范": 1, "工人先锋号": 1}.get(award_type.name, 1)
            services.quota_set(by=admin, award_type=award_type, union=district_node(code, district), places=places)
    return services.round_open(by=admin, round_=round_)


def district_node(code: str, district: OrgUnit) -> OrgUnit:
    return OrgUnit.objects.get(tree.subtree_q(district), code=code)


def _seed_closed(admin, users, nodes, people, *, year: int) -> None:
    """The round of ``year`` (last year), from nominations to the published honour roll."""
    day = dt.date(year, 3, 20)
    round_ = _round(
        admin,
        nodes["SX-KQ"],
        year,
        nominations_open=dt.date(year, 3, 1),
        nominations_close=dt.date(year, 3, 31),
        township_review_by=dt.date(year, 4, 7),
        district_review_by=dt.date(year, 4, 14),
        notice_planned=dt.date(year, 4, 16),
    )
    hs, qx = users["huashe_staff"], users["qixian_staff"]
    picks = [
        (users["handler"], "先进个人", people["KQAW0002"], hs),
        (users["handler"], "劳动模范", people["KQAW0001"], hs),
        (admin, "先进个人", people["KQAW0003"], hs),
        (users["handler_qixian"], "先进个人", people["KQAW0004"], qx),
        (admin, "劳动模范", people["KQAW0005"], qx),
    ]
    for by, type_name, member, township in picks:
        _pass_both(
            _nominate(by, round_, type_name, member, deeds=_deeds(member.member_number), today=day), township, admin
        )
    for by, type_name, unit, township, deeds in [
        (
            users["handler"],
            "工人先锋号",
            nodes["KQ-HS-001-G01"],
            hs,
            "印染一车间攻坚节能降耗，单位能耗下降百分之十八。",
        ),
        (
            users["handler_qixian"],
            "先进集体",
            nodes["KQ-QX-001"],
            qx,
            "厂务公开、集体协商规范，职工满意度连续三年第一。",
        ),
    ]:
        _pass_both(_nominate(by, round_, type_name, unit, deeds=deeds, today=day), township, admin)
    round_ = services.round_start_notice(
        by=admin, round_=round_, starts_on=dt.date(year, 4, 16), today=dt.date(year, 4, 15)
    )
    nomination = round_.nominations.get(member=people["KQAW0004"])
    objection = services.objection_file(
        nomination=nomination,
        name="钱志刚",
        phone="13957588888",
        code=onetime.code_for_seed(purpose="objection", mobile="13957588888"),
        content="反映其事迹材料中的产量数据有出入。",
        today=dt.date(year, 4, 17),
    )
    services.objection_answer(
        by=admin,
        objection=objection,
        status=Objection.Status.DISMISSED,
        answer="经调查核实，产量数据有车间台账为证，事迹属实。",
    )
    round_.refresh_from_db()
    # the day after the notice's last day (5 working days, so at most a week and a holiday later)
    services.round_close_notice(round_id=round_.pk, today=round_.notice_ends + dt.timedelta(days=1))
    round_.refresh_from_db()
    services.round_approve(by=admin, round_=round_, approved_on=round_.notice_ends + dt.timedelta(days=5))


def _seed_current(admin, users, nodes, people, *, today: dt.date) -> None:
    """This year's round, nominating: opened two months ago, closing in a week; the nominations were made
    four weeks ago."""
    round_ = _round(
        admin,
        nodes["SX-KQ"],
        today.year,
        nominations_open=today - dt.timedelta(days=60),
        nominations_close=today + dt.timedelta(days=8),
        township_review_by=today + dt.timedelta(days=11),
        district_review_by=today + dt.timedelta(days=17),
        notice_planned=today + dt.timedelta(days=21),
    )
    today = today - dt.timedelta(days=27)  # the day the nominations were submitted
    hs, qx, handler, handler_qx = (
        users["huashe_staff"],
        users["qixian_staff"],
        users["handler"],
        users["handler_qixian"],
    )
    # passed both reviews
    _pass_both(
        _nominate(handler, round_, "先进个人", people["KQAW0007"], deeds=_deeds("KQAW0007"), today=today), hs, admin
    )
    _pass_both(
        _nominate(handler_qx, round_, "先进个人", people["KQAW0009"], deeds=_deeds("KQAW0009"), today=today), qx, admin
    )
    # at the district committee
    services.nomination_review(
        by=qx,
        nomination=_nominate(handler_qx, round_, "劳动模范", people["KQAW0010"], deeds=_deeds("KQAW0010"), today=today),
        decision="pass",
        comment="材料齐全",
    )
    # waiting for the township
    _nominate(handler, round_, "先进个人", people["KQAW0008"], deeds=_deeds("KQAW0008"), today=today)
    # returned with comments
    returned = _nominate(
        handler, round_, "工人先锋号", nodes["KQ-HS-001-G02"], deeds="织造二车间创新工作法。", today=today
    )
    services.nomination_review(
        by=hs, nomination=returned, decision="return", comment="请补充车间近三年的主要业绩数据。"
    )
    # a draft
    _nominate(handler, round_, "先进个人", people["KQAW0011"], deeds=_deeds("KQAW0011"), today=today, submit=False)

"""Demo data: one campaign of each kind with a released period of real scores, an open period with some
scoring in progress, three more demo judges, judge affiliations and a few 安康杯 reports. Idempotent.

Dated relative to today: a period is released only once it has ended, and the period being scored is the
current one (or, early in the year, last year's final one):
- the merit competition (quarterly) is this year's with the ended quarters released and the current quarter
  being scored; in the first quarter it is last year's, with Q1-Q3 released and Q4 being scored;
- the skills competition (one round) is this year's from July, last year's before;
- the 安康杯 (half-yearly) is this year's in the second half-year (H1 released, reports in H2); in the
  first half-year last year's is released in full and this year's takes the reports in its H1."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from members.models import Enterprise, Member
from union_portal.identity import id_number_hash, make_id_number
from union_portal.models import OrgUnit
from union_portal.roles import Role

from . import services
from .models import Campaign, JudgeAssignment, JudgeProfile, Period, SafetyReport, Team

MERIT_NAME = "{year}年重点工程立功竞赛"
SKILLS_NAME = "{year}年柯桥区金梭奖纺织技能竞赛"
ANKANG_NAME = "{year}年柯桥区安康杯竞赛"
# Marks of the six merit teams, one list per quarter.
MERIT_BASES = [[88, 84, 80, 91, 78, 85], [90, 82, 83, 89, 80, 86], [87, 85, 84, 90, 79, 88], [89, 83, 82, 92, 81, 84]]
EXTRA_JUDGES = [("judge3", "评委张伟"), ("judge4", "评委刘芳"), ("judge5", "评委陈志强")]
# Skills contestants: (member number, name, sex, union code, trade, seq of their demo ID number)
CONTESTANTS = [
    ("KQJS2026001", "王丽娟", "F", "KQ-HS-001", "挡车工", 702),
    ("KQJS2026002", "赵美华", "F", "KQ-HS-002", "挡车工", 704),
    ("KQJS2026003", "孙建军", "M", "KQ-QQ-001", "挡车工", 705),
    ("KQJS2026004", "周海燕", "F", "KQ-HS-001", "印染工", 706),
    ("KQJS2026005", "吴国强", "M", "KQ-QX-001", "印染工", 707),
    ("KQJS2026006", "郑晓东", "M", "KQ-QQ-001", "印染工", 709),
]


def _judges(district: OrgUnit) -> list:
    User = get_user_model()
    judges = [User.objects.get(username="judge1"), User.objects.get(username="judge2")]
    for username, full_name in EXTRA_JUDGES:
        user, created = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
        if created:
            user.set_password(settings.DEMO_PASSWORD)
            user.save()
        user.assignments.get_or_create(role=Role.JUDGE, node=district)
        judges.append(user)
    return judges


def _marks(base: int, judge_index: int, criterion_index: int) -> Decimal:
    """Plausible, varied demo marks (deterministic)."""
    return Decimal(min(100, base + ((judge_index * 7 + criterion_index * 3) % 11) - 5))


def _score_period(period: Period, teams: list[Team], judges: list, bases: list[int], *, partial: bool = False):
    admin = period.campaign.created_by
    criteria = list(period.campaign.criteria.all())
    for team, base in zip(teams, bases, strict=True):
        for j, judge in enumerate(judges):
            if services.conflict_of_interest(judge=judge, team=team):
                continue
            assignment = JudgeAssignment.objects.filter(period=period, team=team, judge=judge).first()
            if assignment is None:
                assignment = services.judge_assign(by=admin, period=period, team=team, judge=judge)
            if partial and j > 0:
                continue
            sheet = criteria[:3] if partial else criteria
            values = {
                c.pk: min(c.max_score, (_marks(base, j, i) * c.max_score / 100).quantize(Decimal("0.5")))
                for i, c in enumerate(sheet)
            }
            services.scores_submit(by=judge, assignment=assignment, values=values)


def _release(period: Period, teams, judges, bases) -> None:
    if period.status == Period.Status.OPEN:
        _score_period(period, teams, judges, bases)
        services.period_close(by=period.campaign.created_by, period=period)
        period.refresh_from_db()
    if period.status == Period.Status.CLOSED:
        services.period_release(by=period.campaign.created_by, period=period)


def _merit(admin, district, nodes, judges, today: dt.date) -> None:
    quarter = (today.month - 1) // 3  # 0..3: the quarters of this year that have ended
    year = today.year if quarter else today.year - 1
    name = MERIT_NAME.format(year=year)
    campaign = Campaign.objects.filter(name=name).first()
    if campaign is None:
        campaign = services.campaign_create(
            by=admin,
            org=district,
            kind=Campaign.Kind.MERIT,
            name=name,
            year=year,
            description="区总工会会同区发改局，围绕年度重点工程开展“六比六赛”立功竞赛。",
        )
        traffic = services.group_add(by=admin, campaign=campaign, name="交通工程组")
        city = services.group_add(by=admin, campaign=campaign, name="城建工程组")
        build = Enterprise.objects.get(union=nodes["KQ-IND-BLD-001"])
        for group, name, kind, enterprise, org in [
            (traffic, "柯桥大道快速路项目部", Team.Kind.PROJECT_DEPARTMENT, build, None),
            (traffic, "杭绍甬高速柯桥段施工一标", Team.Kind.CONTRACTOR, None, nodes["KQ-IND-BLD"]),
            (traffic, "越东路智慧快速路项目部", Team.Kind.PROJECT_DEPARTMENT, None, nodes["KQ-KQ"]),
            (city, "柯桥城市客厅项目部", Team.Kind.PROJECT_DEPARTMENT, build, None),
            (
                city,
                "马鞍热电扩建工程项目部",
                Team.Kind.CONTRACTOR,
                Enterprise.objects.get(union=nodes["KQ-MA-001"]),
                None,
            ),
            (city, "轻纺城市场改造项目部", Team.Kind.PROJECT_DEPARTMENT, None, nodes["KQ-KQ-001"]),
        ]:
            services.team_register(
                by=admin, campaign=campaign, group=group, name=name, kind=kind, enterprise=enterprise, org=org
            )
    teams = list(campaign.teams.order_by("pk"))
    periods = list(campaign.periods.order_by("starts_on"))
    scoring = quarter if quarter else 3  # the period being scored: the current quarter, or last year's Q4
    for index in range(scoring):
        _release(periods[index], teams, judges, MERIT_BASES[index])
    if not periods[scoring].assignments.exists():
        _score_period(periods[scoring], teams, judges, MERIT_BASES[scoring], partial=True)


def _contestant(nodes, number, name, sex, union_code, seq) -> Member:
    member = Member.objects.filter(member_number=number).first()
    if member:
        return member
    birth = dt.date(1985 + seq % 10, 1 + seq % 12, 1 + seq % 27)
    raw = make_id_number("330621", birth, seq if (seq % 2 == 1) == (sex == "M") else seq + 1)
    union = nodes[union_code]
    return Member.objects.create(
        member_number=number,
        name=name,
        id_number=raw,
        id_number_hash=id_number_hash(raw),
        sex=sex,
        birth_date=birth,
        org=union,
        enterprise=Enterprise.objects.filter(union=union).first(),
        job="挡车工" if "挡车" in name else "纺织工",
        is_frontline=True,
        joined_on=dt.date(2015, 3, 1),
    )


def _skills(admin, district, nodes, judges, today: dt.date) -> None:
    year = today.year if today.month >= 7 else today.year - 1
    name = SKILLS_NAME.format(year=year)
    campaign = Campaign.objects.filter(name=name).first()
    if campaign is None:
        campaign = services.campaign_create(by=admin, org=district, kind=Campaign.Kind.SKILLS, name=name, year=year)
        services.bands_update(
            by=admin, campaign=campaign, bands=[("prize_1", 1), ("prize_2", 2), ("prize_3", 3), ("prize_excellent", 4)]
        )
        trades = {
            "挡车工": services.group_add(by=admin, campaign=campaign, name="挡车工"),
            # the dyeing trade weighs theory more (its own weights)
            "印染工": services.group_add(
                by=admin, campaign=campaign, name="印染工", weights={"theory": 40, "practical": 60}
            ),
        }
        worker = Member.objects.filter(user__username="worker").first()
        if worker:
            services.contestant_enter(by=admin, campaign=campaign, trade=trades["挡车工"], member=worker)
        for number, name, sex, union_code, trade, seq in CONTESTANTS:
            member = _contestant(nodes, number, name, sex, union_code, seq)
            services.contestant_enter(by=admin, campaign=campaign, trade=trades[trade], member=member)
    teams = list(campaign.teams.order_by("pk"))
    bases = [93, 88, 81, 85, 90, 86, 79][: len(teams)]
    _release(campaign.periods.get(), teams, judges[:3], bases)


def _ankang_campaign(admin, district, nodes, year: int) -> Campaign:
    name = ANKANG_NAME.format(year=year)
    campaign = Campaign.objects.filter(name=name).first()
    if campaign is None:
        campaign = services.campaign_create(
            by=admin, org=district, kind=Campaign.Kind.ANKANG, name=name, year=year, period_kind="half_year"
        )
        small = services.group_add(by=admin, campaign=campaign, name="小微企业组")
        for code in ("KQ-HS-003", "KQ-HS-002", "KQ-AC-001", "KQ-HT-001"):
            enterprise = Enterprise.objects.filter(union=nodes[code]).first()
            services.team_register(
                by=admin,
                campaign=campaign,
                group=small,
                name=enterprise.name,
                kind=Team.Kind.UNIT,
                enterprise=enterprise,
            )
    return campaign


def _ankang(admin, district, nodes, judges, today: dt.date) -> None:
    if today.month >= 7:
        campaign = _ankang_campaign(admin, district, nodes, today.year)
        released = list(campaign.periods.order_by("starts_on"))[:1]
    else:
        previous = _ankang_campaign(admin, district, nodes, today.year - 1)
        released = list(previous.periods.order_by("starts_on"))
        campaign = _ankang_campaign(admin, district, nodes, today.year)
    for period, bases in zip(released, [[85, 80, 76, 82], [83, 84, 78, 80]], strict=False):
        _release(period, list(period.campaign.teams.order_by("pk")), judges[1:4], bases)
    teams = list(campaign.teams.order_by("pk"))
    worker = get_user_model().objects.get(username="worker")
    # reports count towards the open period of today
    if not SafetyReport.objects.filter(campaign=campaign).exists():
        for team, kind, title, text, adopt in [
            (teams[0], "hazard", "仓库消防通道堆放布料", "家纺仓库东门消防通道被成卷布料堵塞，已拍照。", True),
            (teams[1], "proposal", "织机加装防护罩", "建议在剑杆织机传动部位加装透明防护罩，防止卷入。", True),
            (teams[2], "hazard", "古镇游船码头护栏松动", "三号码头护栏两处松动。", False),
            (teams[3], "proposal", "酿酒车间增设通风", "建议在发酵车间增设两台排风扇。", None),
        ]:
            report = services.safety_report_submit(
                by=worker, campaign=campaign, team=team, kind=kind, title=title, description=text
            )
            if adopt is None:  # left for the admin to assess
                continue
            services.safety_report_assess(
                by=admin,
                report=report,
                adopt=adopt,
                points=Decimal("2") if adopt else 0,
                estimated_benefit=Decimal("15000") if adopt else 0,
                assessment="已核实并整改" if adopt else "已由景区自行整改，不予计分",
            )


@transaction.atomic
def seed(*, stdout) -> None:
    district = OrgUnit.objects.get(code="SX-KQ")
    nodes = {n.code: n for n in OrgUnit.objects.all()}
    admin = get_user_model().objects.get(username="district_admin")
    judges = _judges(district)
    # judge affiliations: judge1 works for the Qixian chemical-fibre firm, judge2 for the Huashe union
    if not JudgeProfile.objects.filter(user__in=judges[:2]).exists():
        _affiliations(admin, judges, nodes)
    today = timezone.localdate()
    _merit(admin, district, nodes, judges, today)
    _skills(admin, district, nodes, judges, today)
    _ankang(admin, district, nodes, judges, today)
    stdout.write(
        f"  competitions: {Campaign.objects.count()} campaigns, {Team.objects.count()} teams, "
        f"{JudgeAssignment.objects.count()} judge assignments"
    )


def _affiliations(admin, judges, nodes) -> None:
    services.judge_profile_set(
        by=admin,
        judge=judges[0],
        org=None,
        enterprise=Enterprise.objects.get(union=nodes["KQ-QX-001"]),
        title="高级工程师",
    )
    services.judge_profile_set(by=admin, judge=judges[1], org=nodes["KQ-HS"], enterprise=None, title="安全生产专家")

"""Demo data: workers' congresses and open factory affairs, and cadres' liaison (the liaison part has no demo
module of its own in labour.demo, so it is seeded here). Both 华舍 and 齐贤 get sessions, items, assignments,
visits and issues (the IDOR sweep needs another township's objects); 绍兴华舍织造 held its congress only last
year and 绍兴齐贤机械制造 has none, so this year's share is below 100 %."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from members.models import Enterprise

from .models import (
    CongressSession,
    IssueKind,
    LiaisonAssignment,
    LiaisonIssue,
    LiaisonVisit,
    OpenAffairsChannel,
    OpenAffairsItem,
)
from .services.congress import ResolutionInput, congress_session_record, open_affairs_record


def _firm(union_code: str) -> Enterprise:
    return Enterprise.objects.select_related("union", "township").get(union__code=union_code)


@transaction.atomic
def seed(*, stdout) -> None:
    if CongressSession.objects.exists() or LiaisonAssignment.objects.exists():
        return
    today = timezone.localdate()
    users = {u.username: u for u in get_user_model().objects.filter(username__in=_USERNAMES)}
    this_year = max(dt.date(today.year, 1, 1), today - dt.timedelta(days=40))
    last_year = dt.date(today.year - 1, 4, 18)
    # Congress sessions: recorded by each firm's handler through the service (quorum and votes checked).
    hs1, hs2, qx1 = _firm("KQ-HS-001"), _firm("KQ-HS-002"), _firm("KQ-QX-001")
    congress_session_record(
        by=users["handler"],
        enterprise=hs1,
        held_on=this_year,
        delegates=60,
        present=52,
        agenda="1. 审议年度工资集体协商方案\n2. 审议职工代表提案处理情况",
        resolutions=[
            ResolutionInput(title="年度工资集体协商方案", votes_for=48, votes_against=2, abstentions=2),
            ResolutionInput(title="调整夜班津贴标准", votes_for=28, votes_against=14, abstentions=10),
        ],
        today=today,
    )
    congress_session_record(
        by=users["handler"],
        enterprise=hs1,
        held_on=last_year,
        delegates=58,
        present=45,
        agenda="审议集体合同草案",
        resolutions=[ResolutionInput(title="集体合同草案", votes_for=41, votes_against=3, abstentions=1)],
        today=today,
    )
    congress_session_record(
        by=users["handler_qixian"],
        enterprise=qx1,
        held_on=this_year,
        delegates=80,
        present=70,
        agenda="审议安全生产专项集体合同",
        resolutions=[ResolutionInput(title="安全生产专项集体合同", votes_for=66, votes_against=1, abstentions=3)],
        today=today,
    )
    # 绍兴华舍织造: last year only (no handler account there: written as its handler would).
    CongressSession.objects.create(
        enterprise=hs2,
        org=hs2.union,
        held_on=last_year,
        delegates=30,
        present=24,
        agenda="审议企业年度经营情况报告",
        created_by=users["huashe_staff"],
    )
    open_affairs_record(
        by=users["handler"],
        enterprise=hs1,
        subject="2026年度职工工资调整方案",
        published_on=this_year,
        channel=OpenAffairsChannel.NOTICE_BOARD,
        today=today,
    )
    open_affairs_record(
        by=users["handler_qixian"],
        enterprise=qx1,
        subject="职工社会保险缴纳情况",
        published_on=this_year,
        channel=OpenAffairsChannel.ONLINE,
        note="企业微信群公布",
        today=today,
    )
    OpenAffairsItem.objects.create(
        enterprise=hs2,
        org=hs2.union,
        subject="劳动安全卫生检查结果",
        published_on=last_year,
        channel=OpenAffairsChannel.MEETING,
        created_by=users["huashe_staff"],
    )
    # Liaison: district_admin, huashe_staff and qixian_staff with their firms, visits and issues.
    plan = [
        ("district_admin", _firm("KQ-QX-002"), 160, [(150, "公司人事经理", [])]),
        ("district_admin", _firm("KQ-KQ-001"), 160, [(25, "工会主席", [(IssueKind.OTHER, "商户职工入会意愿高")])]),
        (
            "huashe_staff",
            hs1,
            200,
            [
                (120, "车间主任", []),
                (12, "工会主席、车间职工代表", [(IssueKind.RIGHTS, "印染车间三名职工反映加班费未按规定计发")]),
            ],
        ),
        ("huashe_staff", hs2, 200, [(40, "总经理", [(IssueKind.BARGAINING, "职工希望年内启动工资集体协商")])]),
        ("qixian_staff", qx1, 200, [(30, "工会主席", [(IssueKind.RIGHTS, "外来务工人员反映社保缴纳基数偏低")])]),
        ("qixian_staff", _firm("KQ-QX-002"), 100, []),
    ]
    for username, firm, days_ago, visits in plan:
        assignment = LiaisonAssignment.objects.create(
            cadre=users[username],
            enterprise=firm,
            org=firm.township,
            assigned_on=today - dt.timedelta(days=days_ago),
            assigned_by=users["district_admin"],
        )
        for visit_days_ago, met, issues in visits:
            visit = LiaisonVisit.objects.create(
                assignment=assignment,
                visited_on=today - dt.timedelta(days=visit_days_ago),
                met_whom=met,
                notes="走访了解企业劳动关系状况",
                created_by=users[username],
            )
            for kind, text in issues:
                LiaisonIssue.objects.create(visit=visit, kind=kind, description=text)
    stdout.write(
        f"  congress sessions: {CongressSession.objects.count()}; liaison assignments: "
        f"{LiaisonAssignment.objects.count()}"
    )


_USERNAMES = ["handler", "handler_qixian", "huashe_staff", "qixian_staff", "district_admin"]

"""The competition services against the database."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from competitions import selectors, services
from competitions.models import Honour, JudgeAssignment, Period, Result, SafetyReport, Score, Team
from members.models import Enterprise, Member
from union_portal.models import AuditLog

from .conftest import YEAR, score_all

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_merit_campaign_starts_from_the_six_criteria_and_quarterly_periods(merit):
    campaign, _teams = merit
    sheet = [(c.code, c.weight) for c in campaign.criteria.all()]
    assert sheet == [
        ("quality", 20),
        ("safety", 20),
        ("schedule", 20),
        ("efficiency", 15),
        ("innovation", 15),
        ("clean", 10),
    ]
    assert [p.name for p in campaign.periods.all()] == ["第1季度", "第2季度", "第3季度", "第4季度"]


def test_skills_and_ankang_templates(tree, district_admin):
    skills = services.campaign_create(by=district_admin, org=tree["SX-KQ"], kind="skills", name="金梭奖", year=YEAR)
    ankang = services.campaign_create(by=district_admin, org=tree["SX-KQ"], kind="ankang", name="安康杯", year=YEAR)
    assert [(c.code, c.weight) for c in skills.criteria.all()] == [("theory", 30), ("practical", 70)]
    assert [(c.code, c.weight, c.max_score) for c in ankang.criteria.all()] == [
        ("organisation", 20, 20),
        ("content", 50, 50),
        ("effect", 30, 30),
    ]
    assert skills.periods.count() == 1 and ankang.periods.count() == 1


def test_only_an_admin_of_the_organiser_creates_a_campaign(tree, huashe_staff):
    with pytest.raises(PermissionDenied):
        services.campaign_create(by=huashe_staff, org=tree["SX-KQ"], kind="merit", name="x", year=YEAR)


def test_weights_not_summing_to_100_are_refused_and_nothing_changes(merit, district_admin):
    campaign, _teams = merit
    rows = [
        {"code": "quality", "name": "比质量", "weight": "50", "max_score": "100"},
        {"code": "safety", "name": "比安全", "weight": "49", "max_score": "100"},
    ]
    with pytest.raises(ValidationError, match="99"):
        services.criteria_update(by=district_admin, campaign=campaign, rows=rows)
    assert campaign.criteria.count() == 6


def test_criteria_are_editable_until_the_first_score(merit, district_admin, judge1):
    campaign, teams = merit
    rows = [
        {"code": "quality", "name": "比质量", "weight": "60", "max_score": "100"},
        {"code": "safety", "name": "比安全", "weight": "40", "max_score": "100"},
    ]
    services.criteria_update(by=district_admin, campaign=campaign, rows=rows)
    assert campaign.criteria.count() == 2
    period = campaign.periods.first()
    assignment = services.judge_assign(by=district_admin, period=period, team=teams["C"], judge=judge1)
    score_all(judge=judge1, assignment=assignment, value=80)
    with pytest.raises(ValidationError):
        services.criteria_update(by=district_admin, campaign=campaign, rows=rows)


def test_a_judge_is_refused_for_a_team_of_their_own_enterprise(merit, tree, district_admin, judge1):
    # given judge1 works for the construction group, whose project department is team A
    campaign, teams = merit
    build = Enterprise.objects.get(union=tree["KQ-IND-BLD-001"])
    services.judge_profile_set(by=district_admin, judge=judge1, org=None, enterprise=build)
    period = campaign.periods.first()
    # when / then
    with pytest.raises(ValidationError, match="利益冲突"):
        services.judge_assign(by=district_admin, period=period, team=teams["A"], judge=judge1)
    assert not JudgeAssignment.objects.filter(team=teams["A"]).exists()
    services.judge_assign(by=district_admin, period=period, team=teams["B"], judge=judge1)


def test_a_judge_is_refused_for_a_team_of_a_union_under_their_own(merit, tree, district_admin, judge2):
    campaign, teams = merit
    services.judge_profile_set(by=district_admin, judge=judge2, org=tree["KQ-QX"], enterprise=None)
    period = campaign.periods.first()
    with pytest.raises(ValidationError):
        services.judge_assign(by=district_admin, period=period, team=teams["C"], judge=judge2)
    services.judge_assign(by=district_admin, period=period, team=teams["A"], judge=judge2)


def test_only_judges_can_be_assigned(merit, district_admin, worker):
    campaign, teams = merit
    with pytest.raises(ValidationError):
        services.judge_assign(by=district_admin, period=campaign.periods.first(), team=teams["A"], judge=worker)


def test_a_score_out_of_range_saves_nothing_of_the_submission(merit, district_admin, judge1):
    campaign, teams = merit
    assignment = services.judge_assign(
        by=district_admin, period=campaign.periods.first(), team=teams["A"], judge=judge1
    )
    quality, safety = campaign.criteria.all()[:2]
    with pytest.raises(ValidationError) as exc:
        services.scores_submit(by=judge1, assignment=assignment, values={quality.pk: "90", safety.pk: "101"})
    assert "比安全" in str(exc.value)
    assert not Score.objects.exists()


def test_a_judge_cannot_score_a_team_not_assigned_to_them(merit, district_admin, judge1, judge2):
    campaign, teams = merit
    assignment = services.judge_assign(
        by=district_admin, period=campaign.periods.first(), team=teams["A"], judge=judge1
    )
    with pytest.raises(PermissionDenied):
        score_all(judge=judge2, assignment=assignment, value=80)
    assert not Score.objects.exists()


def test_scores_can_be_revised_while_open_and_every_change_is_in_history(merit, district_admin, judge1):
    campaign, teams = merit
    assignment = services.judge_assign(
        by=district_admin, period=campaign.periods.first(), team=teams["A"], judge=judge1
    )
    quality = campaign.criteria.get(code="quality")
    services.scores_submit(by=judge1, assignment=assignment, values={quality.pk: "80"})
    services.scores_submit(by=judge1, assignment=assignment, values={quality.pk: "85.5"})
    assert Score.objects.get().value == Decimal("85.5")
    assert [h.value for h in Score.history.order_by("history_date")] == [Decimal("80"), Decimal("85.5")]
    assert selectors.judge_progress(user=judge1, period=assignment.period) == (1, 6)


def test_closing_waits_for_every_judge(merit, district_admin, judge1):
    campaign, teams = merit
    period = campaign.periods.first()
    services.judge_assign(by=district_admin, period=period, team=teams["A"], judge=judge1)
    with pytest.raises(ValidationError):
        services.period_close(by=district_admin, period=period)
    assert Period.objects.get(pk=period.pk).status == Period.Status.OPEN


def test_a_closed_period_refuses_scores(scored_period, district_admin, judge1):
    services.period_close(by=district_admin, period=scored_period)
    assignment = JudgeAssignment.objects.filter(judge=judge1).first()
    with pytest.raises(ValidationError):
        score_all(judge=judge1, assignment=assignment, value=50)
    assert not Score.objects.filter(value=50).exists()


def test_close_ranks_release_gives_the_red_flag_per_group(scored_period, merit, district_admin):
    campaign, teams = merit
    results = services.period_close(by=district_admin, period=scored_period)
    assert [(r.team.name, r.rank, r.total) for r in results] == [
        ("城建一标项目部", 1, Decimal("88.00")),
        ("华舍印染技改项目部", 2, Decimal("82.00")),
        ("齐贤化纤扩建项目部", 3, Decimal("74.00")),
    ]
    assert not Honour.objects.exists()  # nothing before the admin's check
    services.period_release(by=district_admin, period=scored_period)
    flags = set(Honour.objects.filter(kind="red_flag").values_list("team__name", "group_name"))
    assert flags == {("城建一标项目部", "第一项目组"), ("齐贤化纤扩建项目部", "第二项目组")}


def test_a_serious_accident_keeps_the_rank_but_the_flag_goes_to_the_next_team(scored_period, merit, district_admin):
    campaign, teams = merit
    services.team_record_accident(by=district_admin, team=teams["A"], note="3月12日高处坠落，1人死亡")
    services.period_close(by=district_admin, period=scored_period)
    result = Result.objects.get(team=teams["A"])
    assert result.rank == 1 and result.vetoed
    services.period_release(by=district_admin, period=scored_period)
    assert Honour.objects.get(kind="red_flag", group_name="第一项目组").team == teams["B"]


def test_released_results_change_only_by_an_audited_reopening(scored_period, merit, district_admin, judge1):
    services.period_close(by=district_admin, period=scored_period)
    services.period_release(by=district_admin, period=scored_period)
    with pytest.raises(ValidationError):
        services.period_release(by=district_admin, period=scored_period)
    services.period_reopen(by=district_admin, period=scored_period, reason="评委登记错误")
    assert not Result.objects.exists() and not Honour.objects.exists()
    log = AuditLog.objects.get(action="competitions.period_reopen")
    assert log.detail["reason"] == "评委登记错误" and log.detail["previous_status"] == "released"
    # the judge may revise again, and the next close reflects it
    assignment = JudgeAssignment.objects.get(judge=judge1, team=merit[1]["C"])
    score_all(judge=judge1, assignment=assignment, value=100)
    results = services.period_close(by=district_admin, period=scored_period)
    assert results[0].team == merit[1]["C"]


def test_reopening_needs_a_reason(scored_period, district_admin):
    services.period_close(by=district_admin, period=scored_period)
    with pytest.raises(ValidationError):
        services.period_reopen(by=district_admin, period=scored_period, reason=" ")


def test_year_end_citations_by_the_admin_bands(scored_period, merit, district_admin):
    campaign, teams = merit
    services.period_close(by=district_admin, period=scored_period)
    services.period_release(by=district_admin, period=scored_period)
    services.bands_update(by=district_admin, campaign=campaign, bands=[("merit_1", 1), ("merit_2", 2), ("merit_3", 2)])
    honours = services.year_end_award(by=district_admin, campaign=campaign)
    assert {(h.team.name, h.kind) for h in honours} == {
        ("城建一标项目部", "merit_1"),
        ("华舍印染技改项目部", "merit_2"),
    }
    # rerun replaces, never duplicates
    services.year_end_award(by=district_admin, campaign=campaign)
    assert Honour.objects.filter(period__isnull=True).count() == 2


def test_bands_must_not_shrink(merit, district_admin):
    with pytest.raises(ValidationError):
        services.bands_update(by=district_admin, campaign=merit[0], bands=[("merit_1", 3), ("merit_2", 2)])


@pytest.fixture
def skills(tree, district_admin, worker):
    campaign = services.campaign_create(
        by=district_admin, org=tree["SX-KQ"], kind="skills", name=f"{YEAR}年金梭奖纺织技能竞赛", year=YEAR
    )
    trade = services.group_add(by=district_admin, campaign=campaign, name="挡车工")
    return campaign, trade


def _member(tree, n: int) -> Member:
    import datetime as dt

    from union_portal.identity import id_number_hash, make_id_number

    raw = make_id_number("330621", dt.date(1990, 1, n), 100 + n)
    return Member.objects.create(
        member_number=f"KQT{n:05d}",
        name=f"选手{n}",
        id_number=raw,
        id_number_hash=id_number_hash(raw),
        sex="F",
        birth_date=dt.date(1990, 1, n),
        org=tree["KQ-HS-001"],
        joined_on=dt.date(2020, 1, 1),
    )


def test_a_contestant_is_entered_once(skills, district_admin, worker):
    campaign, trade = skills
    member = Member.objects.get(user=worker)
    team = services.contestant_enter(by=district_admin, campaign=campaign, trade=trade, member=member)
    assert team.org == member.org and team.kind == Team.Kind.CONTESTANT
    with pytest.raises(ValidationError, match="陈小红"):
        services.contestant_enter(by=district_admin, campaign=campaign, trade=trade, member=member)
    assert campaign.teams.count() == 1


def test_skills_prizes_shuttles_and_the_craftsman_register(skills, tree, district_admin, judge1):
    campaign, trade = skills
    services.bands_update(
        by=district_admin,
        campaign=campaign,
        bands=[("prize_1", 1), ("prize_2", 2), ("prize_3", 3), ("prize_excellent", 4)],
    )
    period = campaign.periods.get()
    # theory 30 / practical 70: contestant n scores 90 - 5n on both -> totals 85, 80, 75, 70, 65
    for n in range(1, 6):
        team = services.contestant_enter(by=district_admin, campaign=campaign, trade=trade, member=_member(tree, n))
        assignment = services.judge_assign(by=district_admin, period=period, team=team, judge=judge1)
        score_all(judge=judge1, assignment=assignment, value=90 - 5 * n)
    services.period_close(by=district_admin, period=period)
    services.period_release(by=district_admin, period=period)
    got = sorted(Honour.objects.values_list("team__name", "kind"))
    assert got == sorted(
        [
            ("选手1", "prize_1"),
            ("选手1", "golden_shuttle"),
            ("选手1", "craftsman"),
            ("选手2", "prize_2"),
            ("选手2", "silver_shuttle"),
            ("选手2", "craftsman"),
            ("选手3", "prize_3"),
            ("选手3", "craftsman"),
            ("选手4", "prize_excellent"),
        ]
    )


def test_ankang_adopted_reports_credit_the_units_score(tree, district_admin, worker, judge1):
    campaign = services.campaign_create(
        by=district_admin, org=tree["SX-KQ"], kind="ankang", name=f"{YEAR}年安康杯", year=YEAR
    )
    group = services.group_add(by=district_admin, campaign=campaign, name="小微企业")
    unit = services.team_register(
        by=district_admin, campaign=campaign, group=group, name="华舍家纺", kind="unit", org=tree["KQ-HS-003"]
    )
    period = campaign.periods.get()
    photo = SimpleUploadedFile("hazard.png", PNG, content_type="image/png")
    report = services.safety_report_submit(
        by=worker,
        campaign=campaign,
        team=unit,
        kind="hazard",
        title="消防通道堵塞",
        description="仓库门口堆放布料",
        photo=photo,
    )
    services.safety_report_assess(
        by=district_admin, report=report, adopt=True, points="2", estimated_benefit="1234.565", assessment="已整改"
    )
    report.refresh_from_db()
    assert report.status == SafetyReport.Status.ADOPTED and report.estimated_benefit == Decimal("1234.57")
    assignment = services.judge_assign(by=district_admin, period=period, team=unit, judge=judge1)
    score_all(judge=judge1, assignment=assignment, value={"organisation": 18, "content": 40, "effect": 25})
    result = services.period_close(by=district_admin, period=period)[0]
    assert result.total == Decimal("85.00") and result.bonus == Decimal("2")  # 18 + 40 + 25 + 2


def test_a_report_photo_must_be_an_image(tree, district_admin, worker):
    campaign = services.campaign_create(by=district_admin, org=tree["SX-KQ"], kind="ankang", name="安康杯", year=YEAR)
    group = services.group_add(by=district_admin, campaign=campaign, name="小微企业")
    unit = services.team_register(by=district_admin, campaign=campaign, group=group, name="华舍家纺", kind="unit")
    bad = SimpleUploadedFile("hazard.png", b"%PDF-1.4 not an image", content_type="image/png")
    with pytest.raises(ValidationError):
        services.safety_report_submit(
            by=worker, campaign=campaign, team=unit, kind="hazard", title="t", description="d", photo=bad
        )
    assert not SafetyReport.objects.exists()


def test_honours_for_returns_the_awards_contract(scored_period, merit, tree, district_admin):
    campaign, teams = merit
    services.period_close(by=district_admin, period=scored_period)
    services.period_release(by=district_admin, period=scored_period)
    services.bands_update(by=district_admin, campaign=campaign, bands=[("merit_1", 1), ("merit_2", 2), ("merit_3", 3)])
    services.year_end_award(by=district_admin, campaign=campaign)
    build = Enterprise.objects.get(union=tree["KQ-IND-BLD-001"])
    got = selectors.honours_for(enterprise_ids=[build.pk])
    assert {h["kind"] for h in got} == {"red_flag", "merit_1"}
    merit_1 = next(h for h in got if h["kind"] == "merit_1")
    assert merit_1 == {
        "title": f"{YEAR}年重点工程立功竞赛 一等功",
        "kind": "merit_1",
        "year": YEAR,
        "campaign": f"{YEAR}年重点工程立功竞赛",
        "member_id": None,
        "org_id": build.union_id,
        "enterprise_id": build.pk,
        "team": "城建一标项目部",
    }
    assert [h["team"] for h in selectors.honours_for(org_ids=[tree["KQ-QX-001"].pk])] == ["齐贤化纤扩建项目部"] * 2
    assert selectors.honours_for(org_ids=[tree["KQ-QX-001"].pk], since_year=YEAR + 1) == []
    assert selectors.honours_for() == []


def test_honours_for_a_member(skills, tree, district_admin, judge1, worker):
    campaign, trade = skills
    member = Member.objects.get(user=worker)
    team = services.contestant_enter(by=district_admin, campaign=campaign, trade=trade, member=member)
    period = campaign.periods.get()
    score_all(
        judge=judge1,
        assignment=services.judge_assign(by=district_admin, period=period, team=team, judge=judge1),
        value=95,
    )
    services.period_close(by=district_admin, period=period)
    services.period_release(by=district_admin, period=period)
    kinds = {h["kind"] for h in selectors.honours_for(member_ids=[member.pk])}
    assert kinds == {"prize_1", "golden_shuttle", "craftsman"}
    assert all(h["member_id"] == member.pk for h in selectors.honours_for(member_ids=[member.pk]))


def test_a_trade_with_its_own_theory_practical_weights(tree, district_admin, judge1):
    campaign = services.campaign_create(by=district_admin, org=tree["SX-KQ"], kind="skills", name="技能", year=YEAR)
    with pytest.raises(ValidationError):
        services.group_add(by=district_admin, campaign=campaign, name="电工", weights={"theory": 50, "practical": 40})
    trade = services.group_add(
        by=district_admin, campaign=campaign, name="电工", weights={"theory": 40, "practical": 60}
    )
    assert trade.weights == {"theory": "40", "practical": "60"}
    same = services.group_add(
        by=district_admin, campaign=campaign, name="挡车工", weights={"theory": 30, "practical": 70}
    )
    assert same.weights == {}
    team = services.contestant_enter(by=district_admin, campaign=campaign, trade=trade, member=_member(tree, 9))
    period = campaign.periods.get()
    assignment = services.judge_assign(by=district_admin, period=period, team=team, judge=judge1)
    score_all(judge=judge1, assignment=assignment, value={"theory": 90, "practical": 70})
    # 90 x 0.4 + 70 x 0.6 = 36 + 42 = 78 (with the campaign's 30/70 it would be 76)
    assert services.period_close(by=district_admin, period=period)[0].total == Decimal("78.00")


def test_an_accident_after_release_withdraws_the_honours_but_not_the_results(scored_period, merit, district_admin):
    campaign, teams = merit
    services.period_close(by=district_admin, period=scored_period)
    services.period_release(by=district_admin, period=scored_period)
    assert Honour.objects.filter(team=teams["A"]).exists()
    services.team_record_accident(by=district_admin, team=teams["A"], note="6月高处坠落")
    assert not Honour.objects.filter(team=teams["A"]).exists()
    result = Result.objects.get(team=teams["A"])
    assert result.rank == 1 and not result.vetoed
    assert AuditLog.objects.get(action="competitions.accident_record").detail["revoked"] == ["red_flag"]

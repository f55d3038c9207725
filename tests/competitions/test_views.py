"""The competition pages through the test client: scoping, judges' privacy, the admin's flow, bad input."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from competitions import services
from competitions.models import Campaign, Honour, JudgeAssignment, Period, SafetyReport, Score, Team
from members.models import Member

from .conftest import YEAR, score_all

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _release(period, admin):
    services.period_close(by=admin, period=period)
    services.period_release(by=admin, period=period)


@pytest.mark.parametrize(
    "url",
    [
        "/competitions/",
        "/competitions/new/",
        "/competitions/{c}/",
        "/competitions/periods/{p}/",
        "/competitions/my/",
        "/competitions/my/{a}/",
        "/competitions/reports/",
        "/competitions/reports/new/",
        "/competitions/judges/",
    ],
)
def test_anonymous_users_are_sent_to_login(client, scored_period, url):
    assignment = JudgeAssignment.objects.first()
    response = client.get(url.format(c=scored_period.campaign_id, p=scored_period.pk, a=assignment.pk))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_township_staff_do_not_see_a_district_campaign(login, scored_period, huashe_staff):
    client = login(huashe_staff)
    team = Team.objects.first()
    assert "重点工程" not in client.get("/competitions/").content.decode()
    assert client.get(f"/competitions/{scored_period.campaign_id}/").status_code == 404
    assert client.get(f"/competitions/periods/{scored_period.pk}/").status_code == 404
    assert client.get(f"/competitions/periods/{scored_period.pk}/history/").status_code == 404
    assert client.post(f"/competitions/periods/{scored_period.pk}/close/").status_code == 404
    assert client.get(f"/competitions/teams/{team.pk}/accident/").status_code == 404
    assert Period.objects.get(pk=scored_period.pk).status == Period.Status.OPEN


def test_a_campaign_of_huashe_is_not_visible_to_qixian(login, tree, huashe_staff, qixian_staff):
    # township staff hold no admin role, so a township campaign is made by a district admin scoped to Huashe
    from django.contrib.auth import get_user_model

    from union_portal.roles import Role

    hs_admin = get_user_model().objects.create(username="hs_admin")
    hs_admin.assignments.create(role=Role.DISTRICT_ADMIN, node=tree["KQ-HS"])
    campaign = services.campaign_create(by=hs_admin, org=tree["KQ-HS"], kind="ankang", name="华舍安康杯", year=YEAR)
    assert login(huashe_staff).get(f"/competitions/{campaign.pk}/").status_code == 200
    assert login(qixian_staff).get(f"/competitions/{campaign.pk}/").status_code == 404


def test_staff_who_see_but_do_not_manage_get_403_on_actions(login, scored_period, reviewer1):
    client = login(reviewer1)
    assert client.get(f"/competitions/{scored_period.campaign_id}/").status_code == 200
    assert client.post(f"/competitions/periods/{scored_period.pk}/close/").status_code == 403
    assert client.get(f"/competitions/{scored_period.campaign_id}/criteria/").status_code == 403


def test_campaign_list_queries_do_not_grow_with_rows(login, tree, district_admin, django_assert_num_queries):
    client = login(district_admin)
    services.campaign_create(by=district_admin, org=tree["SX-KQ"], kind="merit", name="c0", year=YEAR)
    client.get("/competitions/")
    # session (+ the verified OTP device), user, assignments, the page of campaigns; the session save (savepoint, update, release)
    with django_assert_num_queries(7):
        client.get("/competitions/")
    for i in range(1, 8):
        services.campaign_create(by=district_admin, org=tree["SX-KQ"], kind="skills", name=f"c{i}", year=YEAR)
    with django_assert_num_queries(7):
        client.get("/competitions/")


def test_campaign_detail_queries_do_not_grow_with_teams(login, merit, district_admin, django_assert_num_queries):
    """The team list (one row per team, written in Python) reads the teams in one query however many there are."""
    # given
    campaign, teams = merit
    group = teams["A"].group
    client = login(district_admin)
    client.get(f"/competitions/{campaign.pk}/")
    # session (+ the verified OTP device), user; the campaign, its periods, criteria, groups, the teams with
    # their judge counts (one query with its joins), the year-end honours; the session save (savepoint, update,
    # release). The assignments come from the per-user cache.
    with django_assert_num_queries(12):
        client.get(f"/competitions/{campaign.pk}/")
    for i in range(5):
        services.team_register(
            by=district_admin, campaign=campaign, group=group, name=f"新增班组<{i}>", kind=Team.Kind.CONTRACTOR
        )
    client.get(f"/competitions/{campaign.pk}/")  # a registration may re-path units: the per-user cache refills
    # when
    with django_assert_num_queries(12):
        response = client.get(f"/competitions/{campaign.pk}/")
    # then
    page = response.content.decode()
    assert page.count('href="/competitions/teams/') == len(teams) + 5  # a manager may record an accident for each
    assert "新增班组&lt;4&gt;" in page and "第一项目组" in page and "城建一标项目部" in page


def test_my_assignments_queries_do_not_grow_with_rows(login, merit, district_admin, judge1, django_assert_num_queries):
    campaign, teams = merit
    period = campaign.periods.first()
    services.judge_assign(by=district_admin, period=period, team=teams["A"], judge=judge1)
    client = login(judge1)
    client.get("/competitions/my/")
    # session (+ the verified OTP device), user, assignments (role check), the judge's assignments with counts; the session save (3)
    with django_assert_num_queries(7):
        client.get("/competitions/my/")
    for team in (teams["B"], teams["C"]):
        services.judge_assign(by=district_admin, period=period, team=team, judge=judge1)
    services.judge_assign(by=district_admin, period=campaign.periods.last(), team=teams["A"], judge=judge1)
    with django_assert_num_queries(7):
        client.get("/competitions/my/")


def test_honour_roll_queries_do_not_grow_with_rows(client, scored_period, district_admin, django_assert_num_queries):
    _release(scored_period, district_admin)
    # the page of honours with campaign, team, union and period joined (no session for the public)
    with django_assert_num_queries(1):
        client.get("/competitions/honours/")
    services.year_end_award(by=district_admin, campaign=scored_period.campaign)
    assert Honour.objects.count() > 2
    with django_assert_num_queries(1):
        client.get("/competitions/honours/")


def test_a_judge_cannot_read_another_judges_scores_through_any_page(login, scored_period, merit, judge1, judge2):
    # given judge2 gave team C a recognisable score
    campaign, teams = merit
    theirs = JudgeAssignment.objects.get(judge=judge2, team=teams["C"])
    score_all(judge=judge2, assignment=theirs, value="77.77")
    client = login(judge1)
    # then no page judge1 can reach shows it, and judge2's sheet is a 404
    assert client.get(f"/competitions/my/{theirs.pk}/").status_code == 404
    assert client.post(f"/competitions/my/{theirs.pk}/", {"c1": "1"}).status_code == 404
    for url in [
        "/competitions/my/",
        f"/competitions/my/{JudgeAssignment.objects.get(judge=judge1, team=teams['C']).pk}/",
    ]:
        response = client.get(url)
        assert response.status_code == 200 and "77.77" not in response.content.decode()
    for url in [
        f"/competitions/{campaign.pk}/",
        f"/competitions/periods/{scored_period.pk}/",
        f"/competitions/periods/{scored_period.pk}/history/",
        f"/competitions/board/{campaign.pk}/",
    ]:
        assert client.get(url).status_code == 404
    assert Score.objects.filter(assignment=theirs, value=Decimal("77.77")).count() == 6


def test_judge_scores_on_the_phone_form_with_progress(login, merit, district_admin, judge1):
    campaign, teams = merit
    period = campaign.periods.first()
    assignment = services.judge_assign(by=district_admin, period=period, team=teams["A"], judge=judge1)
    services.judge_assign(by=district_admin, period=period, team=teams["B"], judge=judge1)
    client = login(judge1)
    criteria = list(campaign.criteria.all())
    response = client.post(
        f"/competitions/my/{assignment.pk}/", {f"c{c.pk}": "88" for c in criteria[:4]} | {f"c{criteria[4].pk}": ""}
    )
    assert response.status_code == 302
    page = client.get(f"/competitions/my/{assignment.pk}/").content.decode()
    assert "已评 4 / 12 项" in page and 'inputmode="decimal"' in page


def test_an_out_of_range_score_shows_a_clear_error_and_saves_nothing(login, merit, district_admin, judge1):
    campaign, teams = merit
    assignment = services.judge_assign(
        by=district_admin, period=campaign.periods.first(), team=teams["A"], judge=judge1
    )
    quality, safety = list(campaign.criteria.all())[:2]
    response = login(judge1).post(
        f"/competitions/my/{assignment.pk}/", {f"c{quality.pk}": "90", f"c{safety.pk}": "120"}
    )
    assert response.status_code == 200
    assert "比安全：分数须在 0 到 100 之间" in response.content.decode()
    assert not Score.objects.exists()


def test_the_admin_runs_a_period_in_the_browser(login, scored_period, merit, district_admin, client):
    campaign, teams = merit
    admin = login(district_admin)
    page = admin.get(f"/competitions/{campaign.pk}/").content.decode()
    assert "城建一标项目部" in page
    # judge counts per team in the current period
    assert admin.get(f"/competitions/{campaign.pk}/").context["teams"][0].judge_count == 2
    admin.post(f"/competitions/periods/{scored_period.pk}/close/")
    check = admin.get(f"/competitions/periods/{scored_period.pk}/").content.decode()
    assert "待核对" in check and "88.00" in check
    assert client.get(f"/competitions/board/{campaign.pk}/").status_code == 404  # not before release
    admin.post(f"/competitions/periods/{scored_period.pk}/release/")
    board = admin.get(f"/competitions/board/{campaign.pk}/").content.decode()
    assert "流动红旗" in board and "88.00" in board
    export = admin.get(f"/competitions/board/{campaign.pk}/export.xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    team_page = admin.get(f"/competitions/board/teams/{teams['A'].pk}/").content.decode()
    assert 'id="team-chart-data"' in team_page and "team_chart.js" in team_page and "<script>" not in team_page
    # reopening needs a reason and withdraws the release
    admin.post(f"/competitions/periods/{scored_period.pk}/reopen/", {"reason": ""})
    assert Period.objects.get(pk=scored_period.pk).status == Period.Status.RELEASED
    admin.post(f"/competitions/periods/{scored_period.pk}/reopen/", {"reason": "复核"})
    assert Period.objects.get(pk=scored_period.pk).status == Period.Status.OPEN


def test_the_admin_creates_a_campaign_and_edits_the_sheet(login, tree, district_admin):
    admin = login(district_admin)
    response = admin.post(
        "/competitions/new/", {"kind": "merit", "name": f"{YEAR + 1}年立功竞赛", "year": f"{YEAR + 1}"}
    )
    campaign = Campaign.objects.get(name=f"{YEAR + 1}年立功竞赛")
    assert response.status_code == 302 and campaign.org == tree["SX-KQ"] and campaign.periods.count() == 4
    form = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "0"}
    form |= {"form-0-code": "quality", "form-0-name": "质量", "form-0-weight": "50", "form-0-max_score": "100"}
    form |= {"form-1-code": "safety", "form-1-name": "安全", "form-1-weight": "40", "form-1-max_score": "100"}
    page = admin.post(f"/competitions/{campaign.pk}/criteria/", form, follow=True).content.decode()
    assert "权重合计为 90，必须为 100" in page and campaign.criteria.count() == 6
    form["form-1-weight"] = "50"
    admin.post(f"/competitions/{campaign.pk}/criteria/", form)
    assert [c.code for c in campaign.criteria.all()] == ["quality", "safety"]


def test_the_conflict_refusal_is_shown_to_the_admin(login, merit, tree, district_admin, judge1):
    from members.models import Enterprise

    campaign, teams = merit
    services.judge_profile_set(
        by=district_admin, judge=judge1, org=None, enterprise=Enterprise.objects.get(union=tree["KQ-IND-BLD-001"])
    )
    period = campaign.periods.first()
    page = login(district_admin).post(
        f"/competitions/periods/{period.pk}/assign/",
        {"teams": [teams["A"].pk, teams["B"].pk, teams["C"].pk], "judge": judge1.pk},
        follow=True,
    )
    content = page.content.decode()
    assert "城建一标项目部：利益冲突" in content and "已为 2 支队伍指派评委" in content
    assert set(JudgeAssignment.objects.values_list("team__name", flat=True)) == {
        "华舍印染技改项目部",
        "齐贤化纤扩建项目部",
    }


def test_a_contestant_entered_twice_is_a_clear_error(login, tree, district_admin, worker):
    campaign = services.campaign_create(by=district_admin, org=tree["SX-KQ"], kind="skills", name="金梭奖", year=YEAR)
    trade = services.group_add(by=district_admin, campaign=campaign, name="挡车工")
    admin = login(district_admin)
    data = {"trade": trade.pk, "member_number": Member.objects.get(user=worker).member_number}
    assert admin.post(f"/competitions/{campaign.pk}/teams/new/", data).status_code == 302
    page = admin.post(f"/competitions/{campaign.pk}/teams/new/", data).content.decode()
    assert "陈小红 已参赛" in page and campaign.teams.count() == 1


def test_a_worker_reports_a_hazard_with_a_photo_and_the_union_adopts_it(
    login, tree, district_admin, worker, qixian_staff
):
    campaign = services.campaign_create(by=district_admin, org=tree["SX-KQ"], kind="ankang", name="安康杯", year=YEAR)
    group = services.group_add(by=district_admin, campaign=campaign, name="小微企业")
    unit = services.team_register(by=district_admin, campaign=campaign, group=group, name="华舍家纺", kind="unit")
    phone = login(worker)
    assert 'capture="environment"' in phone.get("/competitions/reports/new/").content.decode()
    photo = SimpleUploadedFile("p.png", PNG, content_type="image/png")
    response = phone.post(
        "/competitions/reports/new/",
        {"team": unit.pk, "kind": "hazard", "title": "电线裸露", "description": "二楼车间", "photo": photo},
    )
    assert response.status_code == 302
    report = SafetyReport.objects.get()
    assert phone.get(f"/competitions/reports/{report.pk}/photo/").status_code == 200
    assert phone.post(f"/competitions/reports/{report.pk}/", {"adopt": "1"}).status_code == 403
    assert login(qixian_staff).get(f"/competitions/reports/{report.pk}/photo/").status_code == 404
    admin = login(district_admin)
    admin.post(
        f"/competitions/reports/{report.pk}/",
        {"adopt": "1", "points": "1.5", "estimated_benefit": "800", "assessment": "已整改"},
    )
    report.refresh_from_db()
    assert (
        report.status == "adopted" and report.points == Decimal("1.5") and report.estimated_benefit == Decimal("800.00")
    )


def test_report_list_queries_do_not_grow_with_rows(login, tree, district_admin, worker, django_assert_num_queries):
    campaign = services.campaign_create(by=district_admin, org=tree["SX-KQ"], kind="ankang", name="安康杯", year=YEAR)
    group = services.group_add(by=district_admin, campaign=campaign, name="小微企业")
    unit = services.team_register(by=district_admin, campaign=campaign, group=group, name="华舍家纺", kind="unit")

    def report(n):
        services.safety_report_submit(
            by=worker, campaign=campaign, team=unit, kind="hazard", title=f"t{n}", description="d"
        )

    report(0)
    client = login(district_admin)
    client.get("/competitions/reports/")
    # session (+ the verified OTP device), user, assignments, the page of reports; the session save (savepoint, update, release)
    with django_assert_num_queries(7):
        client.get("/competitions/reports/")
    for n in range(1, 6):
        report(n)
    with django_assert_num_queries(7):
        client.get("/competitions/reports/")


def test_only_admins_edit_judge_affiliations(login, tree, district_admin, huashe_staff, judge1):
    assert login(huashe_staff).get(f"/competitions/judges/{judge1.pk}/").status_code == 403
    admin = login(district_admin)
    response = admin.post(f"/competitions/judges/{judge1.pk}/", {"org_code": "KQ-HS", "title": "专家"})
    assert response.status_code == 302 and judge1.judge_profile.org == tree["KQ-HS"]


def test_the_leaderboard_works_in_english(client, scored_period, district_admin):
    _release(scored_period, district_admin)
    url = f"/competitions/board/{scored_period.campaign_id}/"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Export to Excel" in page and "Mobile red flag" in page
    assert "导出 Excel" in client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()


def test_a_service_error_reads_in_english_when_switched(merit, district_admin):
    from django.core.exceptions import ValidationError

    rows = [{"code": "quality", "name": "q", "weight": "10", "max_score": "100"}]
    with translation.override("en"), pytest.raises(ValidationError, match="they must add up to 100"):
        services.criteria_update(by=district_admin, campaign=merit[0], rows=rows)


def test_score_history_shows_every_change_to_the_admin(login, merit, district_admin, judge1):
    campaign, teams = merit
    period = campaign.periods.first()
    assignment = services.judge_assign(by=district_admin, period=period, team=teams["A"], judge=judge1)
    quality = campaign.criteria.get(code="quality")
    services.scores_submit(by=judge1, assignment=assignment, values={quality.pk: "61"})
    services.scores_submit(by=judge1, assignment=assignment, values={quality.pk: "62.5"})
    page = login(district_admin).get(f"/competitions/periods/{period.pk}/history/").content.decode()
    assert "61.00" in page and "62.50" in page and "评委王建国" in page  # issue 16: the judge by name, not username


def _more_scored_teams(merit, period, admin, judge, k):
    campaign, teams = merit
    group = teams["A"].group
    for i in range(k):
        team = services.team_register(
            by=admin, campaign=campaign, group=group, name=f"新增项目部{i}", kind="contractor"
        )
        score_all(
            judge=judge, assignment=services.judge_assign(by=admin, period=period, team=team, judge=judge), value=60 + i
        )


def test_period_page_queries_do_not_grow_with_teams(
    login, scored_period, merit, district_admin, judge1, django_assert_num_queries
):
    client = login(district_admin)
    url = f"/competitions/periods/{scored_period.pk}/"
    client.get(url)
    # session (+ the verified OTP device), user, assignments, period; criteria; assignments with counts; criteria count; results;
    # the assign form's teams and judges; the other periods (copy judges); the session save (savepoint,
    # update, release)
    with django_assert_num_queries(14):
        client.get(url)
    _more_scored_teams(merit, scored_period, district_admin, judge1, 5)
    with django_assert_num_queries(14):
        client.get(url)


def test_leaderboard_queries_do_not_grow_with_teams(
    client, scored_period, merit, district_admin, judge1, django_assert_num_queries
):
    _more_scored_teams(merit, scored_period, district_admin, judge1, 1)
    _release(scored_period, district_admin)
    url = f"/competitions/board/{merit[0].pk}/"
    # campaign, released periods, criteria, results, honours (anonymous: no session)
    with django_assert_num_queries(5):
        client.get(url)
    services.period_reopen(by=district_admin, period=scored_period, reason="加队")
    for i in range(4):
        campaign, teams = merit
        team = services.team_register(
            by=district_admin, campaign=campaign, group=teams["B"].group, name=f"再增{i}", kind="contractor"
        )
        score_all(
            judge=judge1,
            assignment=services.judge_assign(by=district_admin, period=scored_period, team=team, judge=judge1),
            value=50,
        )
    _release(scored_period, district_admin)
    with django_assert_num_queries(5):
        client.get(url)


def test_judge_list_queries_do_not_grow_with_rows(login, district_admin, make_judge, django_assert_num_queries):
    client = login(district_admin)
    client.get("/competitions/judges/")
    # session (+ the verified OTP device), user, assignments, the judges with their affiliations; the session save (3)
    with django_assert_num_queries(7):
        client.get("/competitions/judges/")
    for i in range(5):
        make_judge(f"extra_judge{i}")
    with django_assert_num_queries(7):
        client.get("/competitions/judges/")


def test_board_index_lists_only_campaigns_with_released_results(
    client, scored_period, district_admin, tree, django_assert_num_queries
):
    services.campaign_create(by=district_admin, org=tree["SX-KQ"], kind="ankang", name="未发布安康杯", year=YEAR)
    with django_assert_num_queries(1):
        page = client.get("/competitions/board/").content.decode()
    assert "重点工程" not in page and "未发布安康杯" not in page
    _release(scored_period, district_admin)
    with django_assert_num_queries(1):
        page = client.get("/competitions/board/").content.decode()
    assert "重点工程" in page and "未发布安康杯" not in page


def test_my_assignments_count_each_teams_scored_criteria(login, merit, district_admin, judge1):
    campaign, teams = merit
    assignment = services.judge_assign(
        by=district_admin, period=campaign.periods.first(), team=teams["A"], judge=judge1
    )
    quality, safety = list(campaign.criteria.all())[:2]
    services.scores_submit(by=judge1, assignment=assignment, values={quality.pk: "70", safety.pk: "75"})
    page = login(judge1).get("/competitions/my/")
    row = page.context["periods"][0]["rows"][0]
    assert (row.scored, row.criteria_count) == (2, 6)
    assert "已评 2 / 6 项" in page.content.decode()


def test_the_admin_copies_last_quarters_judges_skipping_new_conflicts(
    login, scored_period, merit, tree, district_admin, judge1
):
    from members.models import Enterprise

    campaign, teams = merit
    q2 = campaign.periods.order_by("starts_on")[1]
    # judge1's affiliation was recorded after Q1: now in conflict with team A
    services.judge_profile_set(
        by=district_admin, judge=judge1, org=None, enterprise=Enterprise.objects.get(union=tree["KQ-IND-BLD-001"])
    )
    page = login(district_admin).post(
        f"/competitions/periods/{q2.pk}/copy-judges/", {"source": scored_period.pk}, follow=True
    )
    assert page.status_code == 200
    assert q2.assignments.count() == 5 and not q2.assignments.filter(team=teams["A"], judge=judge1).exists()
    assert "利益冲突" in page.content.decode()


def test_the_admin_exports_closed_results_to_check_them(login, scored_period, district_admin, huashe_staff):
    import io

    from openpyxl import load_workbook

    url = f"/competitions/periods/{scored_period.pk}/export.xlsx"
    assert login(district_admin).get(url).status_code == 404  # open: nothing to export yet
    services.period_close(by=district_admin, period=scored_period)
    assert login(huashe_staff).get(url).status_code == 404
    response = login(district_admin).get(url)
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("名次", "项目组", "组内名次", "参赛队伍")
    # issue 15: the total is a number with format 0.00 (was text "88.00")
    assert rows[1][0] == 1 and rows[1][3] == "城建一标项目部" and rows[1][-3] == 88
    assert sheet.cell(row=2, column=len(rows[0]) - 2).number_format == "0.00"


def test_home_shows_each_role_its_competition_entries(login, tree, district_admin, judge1, worker):
    admin_home = login(district_admin).get("/").content.decode()
    assert "/competitions/" in admin_home and "/competitions/judges/" in admin_home
    judge_home = login(judge1).get("/").content.decode()
    assert "/competitions/my/" in judge_home and "/competitions/judges/" not in judge_home
    worker_home = login(worker).get("/").content.decode()
    assert "/competitions/reports/new/" in worker_home and "/competitions/my/" not in worker_home


def test_closing_a_period_says_which_period_was_closed(login, scored_period, district_admin):
    """Issue 16: "已完成。" said nothing; the message names the period and what closing means."""
    # given a scored period of the district's campaign
    client = login(district_admin)
    # when the district admin closes it
    response = client.post(f"/competitions/periods/{scored_period.pk}/close/", follow=True)
    # then the message names the period and says what follows
    shown = [str(m) for m in response.context["messages"]]
    assert shown == [f"“{scored_period}”已关闭评分，不能再录入分数。"], shown

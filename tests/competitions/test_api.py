"""The judges' API and the public leaderboard API."""

from decimal import Decimal

from rest_framework.test import APIClient

from competitions import services
from competitions.models import JudgeAssignment, Score

from .conftest import score_all


def _api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_a_judge_lists_only_their_own_assignments_and_scores(scored_period, merit, judge1, judge2):
    theirs = JudgeAssignment.objects.get(judge=judge2, team=merit[1]["A"])
    score_all(judge=judge2, assignment=theirs, value="77.77")
    response = _api(judge1).get("/api/v1/competitions/assignments/")
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    assert ids == set(JudgeAssignment.objects.filter(judge=judge1).values_list("pk", flat=True))
    assert "77.77" not in response.content.decode()


def test_another_judges_assignment_is_not_found_through_the_api(scored_period, merit, judge1, judge2):
    theirs = JudgeAssignment.objects.get(judge=judge2, team=merit[1]["A"])
    api = _api(judge1)
    assert api.get(f"/api/v1/competitions/assignments/{theirs.pk}/").status_code == 404
    criterion = merit[0].criteria.first()
    response = api.post(
        f"/api/v1/competitions/assignments/{theirs.pk}/scores/", {"scores": {str(criterion.pk): "1"}}, format="json"
    )
    assert response.status_code == 404
    assert not Score.objects.filter(value=1).exists()


def test_non_judges_and_anonymous_are_refused(scored_period, district_admin):
    assert _api(district_admin).get("/api/v1/competitions/assignments/").status_code == 403
    assert _api().get("/api/v1/competitions/assignments/").status_code in (401, 403)


def test_a_judge_submits_scores_through_the_api(merit, district_admin, judge1):
    campaign, teams = merit
    assignment = services.judge_assign(
        by=district_admin, period=campaign.periods.first(), team=teams["A"], judge=judge1
    )
    quality = campaign.criteria.get(code="quality")
    api = _api(judge1)
    bad = api.post(
        f"/api/v1/competitions/assignments/{assignment.pk}/scores/", {"scores": {str(quality.pk): "101"}}, format="json"
    )
    assert bad.status_code == 400 and "比质量" in str(bad.json()["errors"])
    good = api.post(
        f"/api/v1/competitions/assignments/{assignment.pk}/scores/",
        {"scores": {str(quality.pk): "95.5"}},
        format="json",
    )
    assert good.status_code == 200 and good.json()["scored"] == 1
    assert Score.objects.get().value == Decimal("95.5")


def test_assignment_api_queries_do_not_grow_with_rows(merit, district_admin, judge1, django_assert_num_queries):
    campaign, teams = merit
    periods = list(campaign.periods.all())
    assignment = services.judge_assign(by=district_admin, period=periods[0], team=teams["A"], judge=judge1)
    score_all(judge=judge1, assignment=assignment, value=80)
    api = _api(judge1)
    api.get("/api/v1/competitions/assignments/")  # the role check's assignments are cached on the user
    # count, the page, its scores, its campaigns' criteria
    with django_assert_num_queries(4):
        api.get("/api/v1/competitions/assignments/")
    for period in periods[1:]:
        for team in teams.values():
            services.judge_assign(by=district_admin, period=period, team=team, judge=judge1)
    with django_assert_num_queries(4):
        api.get("/api/v1/competitions/assignments/")


def test_the_public_leaderboard_shows_released_results_only(scored_period, merit, district_admin):
    campaign = merit[0]
    url = f"/api/v1/competitions/campaigns/{campaign.pk}/leaderboard/"
    assert _api().get(url).status_code == 404
    services.period_close(by=district_admin, period=scored_period)
    assert _api().get(url).status_code == 404
    services.period_release(by=district_admin, period=scored_period)
    rows = _api().get(url).json()["results"]
    assert [(r["rank"], r["team"], r["total"]) for r in rows][0] == (1, "城建一标项目部", "88.00")
    assert rows[0]["criteria"]["比质量"] == "88.00"


def test_the_api_is_in_the_schema(client):
    content = client.get("/api/schema/").content.decode()
    assert "/api/v1/competitions/assignments/{id}/scores/" in content and "leaderboard" in content

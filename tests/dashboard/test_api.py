"""REST API: figures in scope, member surveys, own notifications; JSON errors in Chinese; in the schema."""

import pytest
from rest_framework.test import APIClient

from dashboard.figures import refresh_figures
from union_portal.apitokens import token_issue
from union_portal.models import Notification, OrgUnit
from union_portal.notifications import notify
from union_portal.surveys import services
from union_portal.surveys.models import SurveyResponse


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_issue(user=user).access}")
    return client


@pytest.fixture
def figures(roll):
    refresh_figures()
    return roll


def test_figures_of_the_district_and_each_township(figures, district_admin):
    response = api(district_admin).get("/api/v1/dashboard/figures/", {"metric": "members.total"})

    assert response.status_code == 200
    by_code = {row["node_code"]: row for row in response.json()["results"]}
    assert by_code["SX-KQ"]["value"] == "25.0000" and by_code["KQ-HS"]["value"] == "15.0000"
    assert "KQ-HS-001" not in by_code  # one level down only; drill down with ?node=


def test_township_staff_get_their_township_and_a_404_elsewhere(figures, huashe_staff, tree):
    client = api(huashe_staff)
    codes = {
        r["node_code"] for r in client.get("/api/v1/dashboard/figures/", {"metric": "members.total"}).json()["results"]
    }
    assert codes == {"KQ-HS", "KQ-HS-001", "KQ-HS-002"}
    response = client.get("/api/v1/dashboard/figures/", {"node": tree["KQ-QX"].pk})
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_workers_get_a_chinese_403_for_figures(figures, worker):
    response = api(worker).get("/api/v1/dashboard/figures/")
    assert response.status_code == 403 and "乡镇" in response.json()["detail"]


def test_figure_api_queries_do_not_grow_with_units(figures, district_admin, django_assert_num_queries):
    client = api(district_admin)
    # token+user, assignments, the node, count, the page of figures with their nodes
    with django_assert_num_queries(4):
        client.get("/api/v1/dashboard/figures/")
    district = OrgUnit.objects.get(code="SX-KQ")
    for i in range(5):
        OrgUnit.objects.add_child(district, {"code": f"KQ-N{i}", "name": f"新镇{i}", "kind": "township"})
    refresh_figures()
    # new units inserted in code order rewrite later siblings' paths: the per-user cache refills
    client.get("/api/v1/dashboard/figures/")
    with django_assert_num_queries(4):
        client.get("/api/v1/dashboard/figures/")


def test_metrics_list_the_registry(figures, district_admin):
    keys = [m["key"] for m in api(district_admin).get("/api/v1/dashboard/metrics/").json()["results"]]
    assert "enterprises.establishment_rate" in keys


def test_a_member_lists_and_answers_a_survey_once(tree, district_admin, worker):
    survey = services.survey_publish(
        by=district_admin,
        survey=services.survey_create(
            by=district_admin, owner=tree["SX-KQ"], title="测评", service="理赔", questions=["速度"]
        ),
    )
    client = api(worker)
    listed = client.get("/api/v1/surveys/").json()["results"]
    assert listed[0]["id"] == survey.pk and listed[0]["answered"] is False
    rating_q = next(q for q in listed[0]["questions"] if q["kind"] == "rating")

    first = client.post(f"/api/v1/surveys/{survey.pk}/answers/", {"ratings": {str(rating_q["id"]): 5}}, format="json")
    again = client.post(f"/api/v1/surveys/{survey.pk}/answers/", {"ratings": {str(rating_q["id"]): 1}}, format="json")

    assert first.status_code == 201
    assert again.status_code == 400 and "已经" in str(again.json())
    assert SurveyResponse.objects.count() == 1
    assert client.get("/api/v1/surveys/").json()["results"][0]["answered"] is True


def test_a_bad_rating_is_a_json_error_in_chinese(tree, district_admin, worker):
    survey = services.survey_publish(
        by=district_admin,
        survey=services.survey_create(by=district_admin, owner=tree["SX-KQ"], title="t", service="s", questions=["q"]),
    )
    q = survey.questions.get(kind="rating")
    response = api(worker).post(f"/api/v1/surveys/{survey.pk}/answers/", {"ratings": {str(q.pk): 9}}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert "输入" in response.json()["detail"]


def test_notifications_are_the_users_own_and_can_be_marked_read(tree, worker, huashe_staff):
    mine = notify(user=worker, event_key="t:1", title="申请已受理", body="b")
    theirs = notify(user=huashe_staff, event_key="t:2", title="别人的", body="b")
    client = api(worker)

    titles = [n["title"] for n in client.get("/api/v1/notifications/").json()["results"]]
    assert titles == ["申请已受理"]
    assert client.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    assert client.post(f"/api/v1/notifications/{mine.pk}/read/").json() == {"marked": 1}
    assert Notification.objects.get(pk=mine.pk).read_at is not None
    assert client.get("/api/v1/notifications/", {"unread": "1"}).json()["results"] == []


def test_anonymous_requests_get_401(tree):
    for url in ["/api/v1/dashboard/figures/", "/api/v1/surveys/", "/api/v1/notifications/"]:
        assert APIClient().get(url).status_code == 401


def test_the_endpoints_are_in_the_openapi_schema(tree, client):
    schema = client.get("/api/schema/").content.decode()
    for path in ["/api/v1/dashboard/figures/", "/api/v1/surveys/{id}/answers/", "/api/v1/notifications/"]:
        assert path in schema


def test_the_dashboard_endpoints_are_rate_limited_and_paginated():
    from rest_framework.throttling import UserRateThrottle

    from dashboard import api as dashboard_api
    from union_portal.api import notifications as notifications_api
    from union_portal.api.pagination import PortalPagination
    from union_portal.surveys import api as surveys_api

    for view in [dashboard_api.FigureList, surveys_api.MySurveyList, notifications_api.NotificationList]:
        assert any(isinstance(t, UserRateThrottle) for t in view().get_throttles())
        assert view.pagination_class is PortalPagination


def test_api_errors_switch_to_english(figures, worker):
    response = api(worker).get("/api/v1/dashboard/figures/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["detail"] == "Only district and city admins and township staff see figures."

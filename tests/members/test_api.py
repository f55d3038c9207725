"""The members API: token auth, scoped like the pages, countless pagination, masked personal data."""

import pytest
from django.urls import reverse

from members.models import JoinApplication, Member
from tests.factories import new_id_number


@pytest.fixture
def api(login):
    """The session-authenticated API as ``user``, past two-factor authentication."""
    return login


def test_token_then_search(make_member, client, handler, settings):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.union_portal.test_views import totp_now

    member = make_member(name="接口查询", mobile="13711112222")
    device = TOTPDevice.objects.create(user=handler, name="app", confirmed=True)
    credentials = {"username": "handler", "password": settings.DEMO_PASSWORD, "otp": totp_now(device)}
    token = client.post("/api/v1/auth/token/", credentials).json()["access"]

    response = client.get("/api/v1/members/", {"search": member.id_number}, HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["member_number"] for r in results] == [member.member_number]
    assert results[0]["mobile_masked"] == "*******2222"
    assert member.id_number not in response.content.decode() and "13711112222" not in response.content.decode()


def test_list_is_scoped_like_the_pages(make_member, api, handler_qixian):
    make_member("KQ-HS-001", name="华舍会员")
    mine = make_member("KQ-QX-001", name="齐贤会员")
    results = api(handler_qixian).get("/api/v1/members/").json()["results"]
    assert [r["id"] for r in results] == [mine.pk]


def test_detail_is_masked_and_404_outside_the_scope(make_member, api, handler, handler_qixian):
    member = make_member()
    body = api(handler).get(f"/api/v1/members/{member.pk}/").json()
    assert body["id_number_masked"] == member.id_number[:3] + "*" * 11 + member.id_number[-4:]
    assert "id_number" not in body and "mobile" not in body
    assert api(handler_qixian).get(f"/api/v1/members/{member.pk}/").status_code == 404


def test_workers_cannot_list_and_anonymous_is_refused(tree, client, api, worker):
    assert client.get("/api/v1/members/").status_code in (401, 403)
    assert api(worker).get("/api/v1/members/").status_code == 403


def test_list_queries_do_not_grow(make_member, client, handler, django_assert_num_queries):
    from union_portal.apitokens import token_issue

    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=handler).access}"}
    make_member()
    # token with its user, assignments, the page (no COUNT: CountlessPagination fetches one row more)
    with django_assert_num_queries(2):
        client.get("/api/v1/members/", **auth)
    for i in range(20):
        make_member(name=f"批{i}")
    with django_assert_num_queries(2):
        response = client.get("/api/v1/members/?page_size=10", **auth)
    assert len(response.json()["results"]) == 10 and response.json()["next"]


def test_me_returns_the_workers_card(tree, api, worker):
    body = api(worker).get("/api/v1/me/").json()
    assert body["member"]["member_number"] == Member.objects.get(user=worker).member_number
    assert body["verify_url"].startswith("http") and body["qr_svg"].startswith("<svg")


def test_join_by_api_creates_a_pending_application(tree, api, worker):
    response = api(worker).post(
        "/api/v1/members/join/",
        {
            "union_code": "KQ-QX-001",
            "name": "陈小红",
            "id_number": new_id_number(),
            "mobile": "13957500001",
            "job": "挡车工",
            "consent": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["status"] == "pending"
    assert JoinApplication.objects.get(user=worker).org.code == "KQ-QX-001"


def test_join_by_api_reports_bad_input_per_field(tree, api, worker):
    response = api(worker).post(
        "/api/v1/members/join/",
        {"union_code": "KQ-QX-001", "name": "某", "id_number": "123456789012345", "mobile": "123", "consent": True},
        content_type="application/json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "15" in errors["id_number"][0] and errors["mobile"]


def test_schema_lists_the_member_endpoints(tree, api, district_admin):
    schema = api(district_admin).get(reverse("api_schema")).content.decode()
    for path in ("/api/v1/members/", "/api/v1/members/{id}/", "/api/v1/me/", "/api/v1/members/join/"):
        assert path in schema

"""The staff list of hardship files in the API: scoped like the page, filtered, constant queries, in the schema."""

import pytest

from union_portal.apitokens import token_issue

pytestmark = pytest.mark.django_db

URL = "/api/v1/assistance/files/"


def _auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=user).access}"}


def test_township_staff_list_only_their_subtree(client, hardship_file, huashe_staff):
    # given
    mine = hardship_file("KQ-HS-001", category="relative")
    hardship_file("KQ-QX-001")
    # when
    response = client.get(URL, **_auth(huashe_staff))
    # then
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["number"] for row in rows] == [mine.number]
    assert rows[0]["category_display"] and "id_number" not in rows[0] and "health" not in str(rows[0])


def test_the_list_filters_by_category_and_attention(client, hardship_file, district_admin):
    hardship_file(category="deep")
    flagged = hardship_file(category="relative", attention="left")
    by_category = client.get(URL + "?category=relative", **_auth(district_admin)).json()["results"]
    flagged_rows = client.get(URL + "?attention=true", **_auth(district_admin)).json()["results"]
    assert [r["number"] for r in by_category] == [flagged.number]
    assert [r["number"] for r in flagged_rows] == [flagged.number]
    assert flagged_rows[0]["attention_display"]


def test_a_worker_is_refused_and_anonymous_must_authenticate(client, hardship_file, worker):
    hardship_file()
    assert client.get(URL, **_auth(worker)).status_code == 403
    assert client.get(URL).status_code == 401


def test_the_list_keeps_its_queries_constant(client, hardship_file, district_admin, django_assert_num_queries):
    for _ in range(2):
        hardship_file()
    headers = _auth(district_admin)
    client.get(URL, **headers)
    # the token's user; the count; the page of files (one query, member and union joined)
    with django_assert_num_queries(3) as first:
        client.get(URL, **headers)
    for _ in range(3):
        hardship_file("KQ-QX-001")
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(URL, **headers)
    assert response.json()["count"] == 5


def test_the_list_is_in_the_openapi_schema(client):
    schema = client.get("/api/schema/?format=json")
    assert schema.status_code == 200
    assert "/api/v1/assistance/files/" in schema.json()["paths"]

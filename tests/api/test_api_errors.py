"""Every way the API can refuse a request answers the one documented error shape (the schema's Error and
ValidationError components, union_portal.api.errors), whoever refuses it: DRF, Django's middleware or URL
resolver, the throttles."""

import json

import pytest

from tests.api.schema_check import check_response, component_errors
from union_portal.api.errors import ERROR_CODES
from union_portal.apitokens import token_issue

pytestmark = pytest.mark.django_db


def _error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert component_errors("Error", body) == []
    assert body["code"] == code
    assert code in ERROR_CODES
    return body


@pytest.fixture
def bearer(worker):
    return {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=worker).access}"}


def test_no_credentials_is_401_with_the_bearer_challenge(client):
    response = client.get("/api/v1/me/")

    _error(response, 401, "not_authenticated")
    assert response.headers["WWW-Authenticate"] == "Bearer"
    check_response(method="get", template="/api/v1/me/", path="/api/v1/me/", response=response)


def test_a_bad_token_is_401_even_where_anonymous_callers_are_allowed(client):
    response = client.post(
        "/api/v1/mutual-aid/estimate/", {"benefit": "inpatient"}, HTTP_AUTHORIZATION="Bearer not-a-token"
    )

    _error(response, 401, "authentication_failed")
    check_response(
        method="post", template="/api/v1/mutual-aid/estimate/", path="/api/v1/mutual-aid/estimate/", response=response
    )


def test_an_undocumented_method_is_405(client, bearer):
    response = client.put("/api/v1/me/", "{}", content_type="application/json", **bearer)

    _error(response, 405, "method_not_allowed")
    assert "GET" in response.headers["Allow"]


def test_malformed_json_is_400_parse_error(client):
    response = client.post("/api/v1/mutual-aid/estimate/", '{"benefit": ', content_type="application/json")

    _error(response, 400, "parse_error")
    check_response(
        method="post", template="/api/v1/mutual-aid/estimate/", path="/api/v1/mutual-aid/estimate/", response=response
    )


def test_an_unknown_content_type_is_415(client):
    response = client.post("/api/v1/mutual-aid/estimate/", "benefit", content_type="text/plain")

    _error(response, 415, "unsupported_media_type")
    check_response(
        method="post", template="/api/v1/mutual-aid/estimate/", path="/api/v1/mutual-aid/estimate/", response=response
    )


def test_a_body_over_the_limit_is_413(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100

    response = client.post("/api/v1/mutual-aid/estimate/", {"benefit": "inpatient", "disease": "x" * 500})

    _error(response, 413, "request_too_large")
    check_response(
        method="post", template="/api/v1/mutual-aid/estimate/", path="/api/v1/mutual-aid/estimate/", response=response
    )


def test_invalid_input_is_400_with_errors_by_field(client):
    response = client.post(
        "/api/v1/mutual-aid/estimate/", json.dumps({"benefit": "lottery"}), content_type="application/json"
    )

    assert response.status_code == 400
    body = response.json()
    assert component_errors("ValidationError", body) == []
    assert body["code"] == "invalid" and "benefit" in body["errors"]


def test_a_nul_in_the_query_string_is_400_json(client, bearer):
    # RejectNulMiddleware refuses it before any view: Django's handler400 answers
    response = client.get("/api/v1/notifications/?unread=a%00", **bearer)

    _error(response, 400, "bad_request")
    check_response(method="get", template="/api/v1/notifications/", path="/api/v1/notifications/", response=response)


def test_a_path_no_route_matches_is_404_json(client, bearer):
    # a negative id matches no route (ids are [0-9]+): Django's handler404 answers
    _error(client.get("/api/v1/members/-1/", **bearer), 404, "not_found")
    _error(client.get("/api/v1/no-such-thing/", **bearer), 404, "not_found")


def test_pages_outside_the_api_keep_their_html_error_pages(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/html")


def test_too_many_requests_is_429_with_retry_after(client):
    # the token endpoint allows 10 requests a minute from one address
    for _ in range(10):
        assert client.post("/api/v1/auth/token/", {}).status_code == 400

    response = client.post("/api/v1/auth/token/", {})

    _error(response, 429, "throttled")
    assert int(response.headers["Retry-After"]) > 0
    check_response(method="post", template="/api/v1/auth/token/", path="/api/v1/auth/token/", response=response)


def test_every_code_the_schema_lists_is_documented():
    from tests.api.schema_check import api_schema

    error_code = api_schema()["components"]["schemas"]["ErrorCode"]
    assert error_code["enum"] == list(ERROR_CODES)
    for code in ERROR_CODES:
        assert f"`{code}`" in error_code["description"]


def test_the_guide_for_app_builders_lists_every_error_code():
    """docs/api.md's table of error codes is the schema's: a code added to ERROR_CODES is documented there too."""
    from pathlib import Path

    from union_portal.api.errors import ERROR_CODES

    guide = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text(encoding="utf-8")
    assert [code for code in ERROR_CODES if f"| `{code}` |" not in guide] == []

"""schemathesis generates requests from the OpenAPI schema; no request may make the API answer 5xx.

Each operation is called as a staff member (district admin, with a token obtained past two-factor
authentication) and as the demo worker."""

import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from union_portal.apitokens import token_issue
from union_portal.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture
def api_tokens(tree, district_admin, worker):
    return {
        "staff": token_issue(user=district_admin).access,
        "worker": token_issue(user=worker).access,
    }


@pytest.fixture(autouse=True)
def _no_throttling(settings):
    rest = dict(settings.REST_FRAMEWORK)
    rest["DEFAULT_THROTTLE_CLASSES"] = []
    settings.REST_FRAMEWORK = rest


@schema.parametrize()
@hypothesis_settings(
    max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None
)
def test_no_request_makes_the_api_fail(case, api_tokens):
    for who in ("staff", "worker"):
        response = case.call(headers={"Authorization": f"Bearer {api_tokens[who]}"})
        assert response.status_code < 500, (who, case.method, case.formatted_path, response.text[:500])

"""schemathesis generates requests from the OpenAPI schema for every operation; each answer must be one the schema
describes: no server error, a documented status code, the documented content type, headers and body.

Each operation is called as a staff member (district admin, with a token as issued after two-factor
authentication) and as the demo worker. One pytest item per operation (named by its operationId), so that
xdist's ``--dist loadfile`` runs them all, in one process, and a failing operation fails its own item."""

import io

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.schema_check import api_schema, operations
from union_portal.apitokens import token_issue
from union_portal.wsgi import application

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

schema = schemathesis.openapi.from_dict(api_schema())
schema.app = application  # calls go through the WSGI application, in this process and transaction
OPERATION_IDS = sorted(operation_id for operation_id, _, _ in operations())


@pytest.fixture(scope="module")
def _demo_tree(django_db_setup, django_db_blocker):
    """The demo tree and accounts (as the ``tree`` fixture), made once for the module inside a transaction that
    is rolled back at its end; each test runs in a savepoint within it (pytest-django's ``db``)."""
    from members import demo as members_demo
    from union_portal import demo

    fast_passwords = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast_passwords:
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            demo.seed(stdout=io.StringIO())
            members_demo.seed_enterprises_and_worker(stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def api_tokens(_demo_tree, db, django_user_model):
    return {
        "staff": token_issue(user=django_user_model.objects.get(username="district_admin")).access,
        "worker": token_issue(user=django_user_model.objects.get(username="worker")).access,
    }


@pytest.fixture(autouse=True)
def _no_throttling(settings):
    rest = dict(settings.REST_FRAMEWORK)
    rest["DEFAULT_THROTTLE_CLASSES"] = []
    settings.REST_FRAMEWORK = rest


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The start and end of each WSGI request close the database connection (Django's close_old_connections
    handler), which is the test's own, inside its transaction: on PostgreSQL the next query found "the
    connection is closed". Django's test client disconnects the handler the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_fuzz_covers_every_operation():
    """Each operation of the schema has its own item below (none is lost to a shared node id)."""
    loaded = [result.ok() for result in schema.get_all_operations()]
    assert sorted(op.definition.raw["operationId"] for op in loaded) == OPERATION_IDS
    assert len(OPERATION_IDS) >= 30


@pytest.mark.django_db
@pytest.mark.parametrize("operation_id", OPERATION_IDS)
def test_operation_answers_as_documented(operation_id, api_tokens):
    operation = schema.find_operation_by_id(operation_id)

    @given(case=operation.as_strategy())
    @hypothesis_settings(
        max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None
    )
    def run(case):
        for who in ("staff", "worker"):
            headers = {"Authorization": f"Bearer {api_tokens[who]}"}
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS, headers=headers)

    run()

"""A client generated from the portal's OpenAPI schema (openapi-python-client, as an app builder would make one)
walks a worker's claim from filing to the paid notification against a running portal.

The schema is fetched from the live server and the client generated once per session. Every answer is read
through the generated typed models (attributes, not dicts), so a response that does not match the schema
fails here: a missing required field, a wrong type, an undocumented status (``raise_on_unexpected_status``)."""

import datetime as dt
import importlib
import io
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import httpx
import pytest
from django.utils.translation import gettext

from mutual_aid import services
from mutual_aid.models import Claim
from mutual_aid.rules import INPATIENT_DOCUMENTS
from tests.mutual_aid.conftest import PDF, YEAR

pytestmark = pytest.mark.postgres

PACKAGE = "union_portal_generated_client"
# No post-hooks: the generator's default runs ruff from PATH, which a CI shell may not have; the client works
# unformatted.
# No post hooks (no ruff, no network); a claim's documents (PDF, JPEG, PNG) come back as bytes, as the generator
# reads application/octet-stream.
GENERATOR_CONFIG = """post_hooks: []
content_type_overrides:
  application/pdf: application/octet-stream
  image/jpeg: application/octet-stream
  image/png: application/octet-stream
"""


@dataclass
class Generated:
    schema: dict
    output: str  # what the generator printed: its warnings and the operations it skipped
    returncode: int
    root: Path  # the generated package's directory
    package: ModuleType | None

    def module(self, dotted: str) -> ModuleType:
        assert self.package is not None, self.output
        return importlib.import_module(f"{PACKAGE}.{dotted}")


@pytest.fixture(scope="session")
def generated(django_db_setup, live_server, django_db_blocker, tmp_path_factory) -> Generated:
    """The schema of the running portal, and the Python client openapi-python-client generates from it. (It
    takes the test database first, so that the live server, and its connections, end before the database.)"""
    with django_db_blocker.unblock():
        response = httpx.get(f"{live_server.url}/api/schema/", params={"format": "json"}, timeout=30)
    assert response.status_code == 200, response.text[:500]
    schema = response.json()
    work = tmp_path_factory.mktemp("generated_client")
    (work / "schema.json").write_text(json.dumps(schema))
    (work / "config.yaml").write_text(GENERATOR_CONFIG)
    root = work / PACKAGE
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(work / "schema.json"),
            "--output-path",
            str(root),
            "--meta",
            "none",
            "--config",
            str(work / "config.yaml"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=work,
    )
    package = None
    if run.returncode == 0:
        sys.path.insert(0, str(work))
        package = importlib.import_module(PACKAGE)
    yield Generated(schema, run.stdout + run.stderr, run.returncode, root, package)
    if package is not None:
        sys.path.remove(str(work))
        for name in [name for name in sys.modules if name == PACKAGE or name.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def _operation_ids(schema: dict) -> set[str]:
    return {
        operation["operationId"]
        for item in schema["paths"].values()
        for method, operation in item.items()
        if method in {"get", "put", "post", "patch", "delete"}
    }


def test_the_generator_makes_a_function_for_every_operation_without_a_warning(generated):
    # the generator prints "Warning(s) encountered" and what it skipped (an operation, a property, a model)
    assert generated.returncode == 0, generated.output
    assert "warning" not in generated.output.lower(), generated.output
    assert "skipping" not in generated.output.lower(), generated.output
    assert generated.schema["openapi"] == "3.1.0"
    # and each operation of the schema has its module under api/<tag>/
    made = {path.stem for path in (generated.root / "api").glob("*/*.py") if path.stem != "__init__"}
    assert _operation_ids(generated.schema) - made == set()
    assert len(made) >= 30
    # and every module imports (0.29.1 writes modules that do not when one body is offered in several media types)
    for path in sorted((generated.root / "api").glob("*/*.py")):
        generated.module(f"api.{path.parent.name}.{path.stem}")


def _pdf(kind: str, types: ModuleType):
    return types.File(payload=io.BytesIO(PDF), file_name=f"{kind}.pdf", mime_type="application/pdf")


@pytest.mark.django_db(transaction=True)
def test_a_worker_files_a_claim_and_reads_the_paid_notification_with_the_generated_client(
    generated, live_server, covered, worker, reviewer1, reviewer2, finance, settings
):
    models = generated.module("models")
    types = generated.module("types")
    client_module = generated.module("client")

    def call(operation: str, **kwargs):
        """One operation of the generated client: its ``sync`` (the parsed, typed answer)."""
        return generated.module(f"api.{operation}").sync(**kwargs)

    # given the worker's app logs in with the password and gets a worker's token pair
    anonymous = client_module.Client(base_url=live_server.url, raise_on_unexpected_status=True)
    tokens = call(
        "auth.auth_token_create",
        client=anonymous,
        body=models.TokenRequest(username=worker.username, password=settings.DEMO_PASSWORD),
    )
    assert isinstance(tokens, models.TokenResponse)
    assert tokens.token_type == "Bearer" and tokens.refresh
    app = client_module.AuthenticatedClient(
        base_url=live_server.url, token=tokens.access, raise_on_unexpected_status=True
    )

    # when it reads the worker's card, estimates, and files an inpatient claim with its documents
    card = call("me.me_retrieve", client=app)
    assert isinstance(card, models.Card) and isinstance(card.member, models.MemberDetail)
    assert card.member.id == covered.pk and card.member.name == covered.name
    estimate = call(
        "mutual_aid.mutual_aid_estimate_create",
        client=app,
        body=models.EstimateRequest(benefit=models.BenefitEnum.INPATIENT, base="12000.00"),
    )
    assert estimate.amount == "5700.00" and estimate.prior_paid == "0.00" and not estimate.capped
    documents = {f"doc_{kind}": [_pdf(kind, types)] for kind in INPATIENT_DOCUMENTS}
    filed = call(
        "mutual_aid.mutual_aid_my_claims_create",
        client=app,
        body=models.ClaimCreateRequest(
            benefit=models.BenefitEnum.INPATIENT,
            hospital="柯桥区人民医院",
            admission_date=dt.date(YEAR, 6, 1),
            discharge_date=dt.date(YEAR, 6, 4),
            total_amount="20000.00",
            self_paid_amount="12000.00",
            invoice_numbers=["GEN-CLIENT-1"],
            consent=True,
            **documents,
        ),
    )
    assert isinstance(filed, models.ClaimDetail)
    assert sorted(d.kind.value for d in filed.documents) == sorted(INPATIENT_DOCUMENTS)
    assert filed.invoices == ["GEN-CLIENT-1"] and filed.paid_at is None

    # then it follows the claim: the automatic review proposed the estimated amount
    detail = call("mutual_aid.mutual_aid_my_claims_retrieve", id=str(filed.id), client=app)
    assert detail.status == models.ClaimStatusEnum.FIRST_REVIEW and detail.proposed_amount == "5700.00"
    listing = call("mutual_aid.mutual_aid_my_claims_list", client=app)
    assert [claim.id for claim in listing.results] == [filed.id] and listing.count == 1
    history = call("mutual_aid.mutual_aid_my_claims_history_list", id=str(filed.id), client=app)
    assert [event.action for event in history] == ["submitted", "auto_reviewed"]

    # when the staff decide and pay it, as the portal's pages do (two reviewers, a batch, the bank's answer)
    claim = Claim.objects.get(pk=filed.id)
    services.claim_approve(by=reviewer1, claim=claim)
    services.claim_approve(by=reviewer2, claim=claim)
    batch = services.batch_create(by=finance)
    services.payment_mark_paid(by=finance, payment=batch.payments.get(), reference="BANK-GEN-1")
    paid_title = gettext("Claim paid")  # the language the service wrote the message in

    # then the worker's app sees the claim paid
    paid = call("mutual_aid.mutual_aid_my_claims_retrieve", id=str(filed.id), client=app)
    assert paid.status == models.ClaimStatusEnum.PAID
    assert paid.approved_amount == "5700.00" and isinstance(paid.paid_at, dt.datetime)
    history = call("mutual_aid.mutual_aid_my_claims_history_list", id=str(filed.id), client=app)
    assert [event.action for event in history][-1] == "paid" and history[-1].amount == "5700.00"

    # and the "paid" message in its unread inbox, which it marks read
    unread = call("notifications.notifications_list", client=app, unread=True)
    assert isinstance(unread, models.PaginatedNotificationList)
    (message,) = [n for n in unread.results if n.title == paid_title]
    assert filed.number in message.body and "5700" in message.body and message.read_at is None
    assert message.link == claim.get_absolute_url()
    marked = call("notifications.notifications_read_create", id=message.id, client=app)
    assert isinstance(marked, models.Marked) and marked.marked == 1
    unread = call("notifications.notifications_list", client=app, unread=True)
    assert message.id not in [n.id for n in unread.results]
    inbox = call("notifications.notifications_list", client=app)
    (read,) = [n for n in inbox.results if n.id == message.id]
    assert isinstance(read.read_at, dt.datetime)

import datetime as dt

import pytest

from mutual_aid import services
from mutual_aid.models import Claim

from .conftest import YEAR, approve_twice, file_claim, pdf

pytestmark = pytest.mark.django_db
URL = "/api/v1/mutual-aid/estimate/"


def test_the_issue_example_returns_5700_for_anyone(scheme, client):
    response = client.post(
        URL,
        {"benefit": "inpatient", "base": "12000.00", "prior_base": "0.00", "prior_paid": "0.00"},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["amount"] == "5700.00"
    assert [line["amount"] for line in body["lines"]] == ["0.00", "4500.00", "1200.00"]


def test_prior_figures_are_optional(scheme, client):
    response = client.post(URL, {"benefit": "inpatient", "base": "12000"}, content_type="application/json")
    assert response.json()["amount"] == "5700.00"


def test_a_logged_in_members_estimate_continues_from_their_ledger(covered, worker, reviewer1, reviewer2, client):
    approve_twice(services.auto_review(file_claim(worker, covered).pk), reviewer1, reviewer2)
    client.force_login(worker)
    body = client.post(URL, {"benefit": "inpatient", "base": "3000"}, content_type="application/json").json()
    assert body["prior_base"] == "12000.00" and body["amount"] == "1800.00"


def test_the_lump_sum_estimate_takes_a_disease_code(scheme, client):
    body = client.post(
        URL, {"benefit": "female_disease", "disease": "breast_cis"}, content_type="application/json"
    ).json()
    assert body["amount"] == "2000.00"
    bad = client.post(URL, {"benefit": "major_disease", "disease": "flu"}, content_type="application/json")
    assert bad.status_code == 400


@pytest.mark.parametrize("base", ["-5", "abc", ""])
def test_bad_amounts_are_a_clear_400(scheme, client, base):
    response = client.post(URL, {"benefit": "inpatient", "base": base}, content_type="application/json")
    assert response.status_code == 400 and "base" in response.json()["errors"]


def test_the_estimator_is_rate_limited(scheme, client, monkeypatch):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import ScopedRateThrottle

    # monkeypatch takes the attribute off the class again afterwards: a rate set on ScopedRateThrottle itself
    # and left there would hide the rates later tests set on SimpleRateThrottle (tests/union_portal/test_security)
    monkeypatch.setattr(
        ScopedRateThrottle, "THROTTLE_RATES", dict(api_settings.DEFAULT_THROTTLE_RATES, estimate="2/minute")
    )
    codes = [
        client.post(URL, {"benefit": "inpatient", "base": "1"}, content_type="application/json").status_code
        for _ in range(3)
    ]
    assert codes == [200, 200, 429]


def test_a_member_files_lists_and_reads_their_claim_over_the_api(
    covered, worker, client, django_capture_on_commit_callbacks
):
    client.force_login(worker)
    data = {
        "benefit": "inpatient",
        "hospital": "柯桥区人民医院",
        "admission_date": f"{YEAR}-06-01",
        "discharge_date": f"{YEAR}-06-04",
        "total_amount": "20000.00",
        "self_paid_amount": "12000.00",
        "invoice_numbers": ["API-1"],
        "consent": "true",
    }
    for kind in ["application", "id_card", "bank_card", "invoice", "settlement", "discharge"]:
        data[f"doc_{kind}"] = pdf(f"{kind}.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/mutual-aid/my/claims/", data)
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    detail = client.get(f"/api/v1/mutual-aid/my/claims/{pk}/").json()
    assert detail["status"] == "first_review" and detail["proposed_amount"] == "5700.00"
    assert detail["bank_account"].startswith("*") or "*" in detail["bank_account"]
    assert len(detail["documents"]) == 6
    listing = client.get("/api/v1/mutual-aid/my/claims/").json()
    assert [c["id"] for c in listing["results"]] == [pk]
    history = client.get(f"/api/v1/mutual-aid/my/claims/{pk}/history/").json()
    assert [e["action"] for e in history] == ["submitted", "auto_reviewed"]


def test_a_claim_without_consent_is_refused_over_the_api(covered, worker, client):
    client.force_login(worker)
    response = client.post(
        "/api/v1/mutual-aid/my/claims/",
        {
            "benefit": "inpatient",
            "hospital": "x",
            "admission_date": f"{YEAR}-06-01",
            "discharge_date": f"{YEAR}-06-04",
            "total_amount": "100",
            "self_paid_amount": "50",
            "invoice_numbers": ["X"],
            "consent": "false",
        },
    )
    assert response.status_code == 400 and "consent" in response.json()["errors"]
    assert not Claim.objects.exists()


def test_a_member_appeals_over_the_api_once(covered, worker, reviewer1, client):
    claim = services.auto_review(file_claim(worker, covered).pk)
    services.claim_reject(by=reviewer1, claim=claim, reason="x")
    client.force_login(worker)
    first = client.post(
        f"/api/v1/mutual-aid/my/claims/{claim.pk}/appeal/", {"reason": "请复核"}, content_type="application/json"
    )
    second = client.post(
        f"/api/v1/mutual-aid/my/claims/{claim.pk}/appeal/", {"reason": "再次"}, content_type="application/json"
    )
    assert first.status_code == 200 and first.json()["status"] == "appealed"
    assert second.status_code == 400


def test_a_member_cannot_read_another_members_claim(covered, worker, handler, client):
    from tests.factories import make_member

    other_user = type(worker).objects.create(username="other_worker")
    make_member(covered.org, user=other_user)
    claim = file_claim(worker, covered)
    client.force_login(other_user)
    assert client.get(f"/api/v1/mutual-aid/my/claims/{claim.pk}/").status_code == 404


def test_the_staff_claims_list_is_scoped_like_the_pages(covered, worker, handler, handler_qixian, client, login):
    file_claim(worker, covered)
    login(handler)
    assert len(client.get("/api/v1/mutual-aid/claims/").json()["results"]) == 1
    login(handler_qixian)
    assert client.get("/api/v1/mutual-aid/claims/").json()["results"] == []
    client.force_login(worker)
    assert client.get("/api/v1/mutual-aid/claims/").status_code == 403
    client.logout()
    assert client.get("/api/v1/mutual-aid/claims/").status_code in (401, 403)


def test_the_staff_claims_list_keeps_its_queries_constant(
    covered, worker, reviewer1, client, login, django_assert_num_queries
):
    for i in range(2):
        file_claim(worker, covered, admission=dt.date(YEAR, 3, 1) + dt.timedelta(days=7 * i), days=1)
    login(reviewer1)
    client.get("/api/v1/mutual-aid/claims/")
    # session (+ the verified OTP device), user, assignments (role check), the page of claims with its joins; the session save
    # (savepoint, update, release)
    with django_assert_num_queries(7):
        client.get("/api/v1/mutual-aid/claims/")
    for i in range(2, 8):
        file_claim(worker, covered, admission=dt.date(YEAR, 3, 1) + dt.timedelta(days=7 * i), days=1)
    with django_assert_num_queries(7):
        response = client.get("/api/v1/mutual-aid/claims/")
    assert len(response.json()["results"]) == 8


def test_the_endpoints_are_in_the_openapi_schema(client):
    schema = client.get("/api/schema/").content.decode()
    for path in ["/api/v1/mutual-aid/estimate/", "/api/v1/mutual-aid/my/claims/", "/api/v1/mutual-aid/claims/"]:
        assert path in schema

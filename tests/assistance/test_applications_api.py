"""The API of hardship applications: the worker's own (create, documents, submit, status, history) and the
staff list, scoped like the pages."""

import pytest
from rest_framework.test import APIClient

from assistance.models import Application
from tests.factories import as_apply as f

pytestmark = pytest.mark.django_db

BASE = "/api/v1/assistance/"


@pytest.fixture
def member(worker):
    from members.models import Member

    return Member.objects.get(user=worker)


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _payload(member, today) -> dict:
    household = f.household_of(member, today=today, extra=1)
    return {
        "causes": ["serious_illness"],
        "housing": "rented",
        "household": [
            {"relation": p.relation, "name": p.name, "id_number": p.id_number, "age": p.age} for p in household
        ],
        "incomes": [{"kind": "wages", "amount": "24000.00"}],
        "spending": [{"kind": "medical", "amount": "5000.00"}],
    }


def test_worker_creates_adds_the_authorisation_submits_and_reads_the_history(worker, member, today):
    # given
    client = _api(worker)

    # when
    created = client.post(f"{BASE}my/applications/", _payload(member, today), format="json")
    pk = created.json()["id"]
    upload = client.post(
        f"{BASE}my/applications/{pk}/documents/",
        {"kind": "authorisation", "file": f.authorisation()},
        format="multipart",
    )
    submitted = client.post(
        f"{BASE}my/applications/{pk}/submit/", {"consent_sensitive": True, "consent_check": True}, format="json"
    )
    history = client.get(f"{BASE}my/applications/{pk}/history/")

    # then
    assert created.status_code == 201 and upload.status_code == 201
    assert submitted.status_code == 200
    assert submitted.json()["status"] == Application.Status.SUBMITTED
    assert len(history.json()) >= 3  # created, document added, submitted


def test_bad_input_is_a_400_with_a_chinese_message_and_nothing_saved(worker, member, today):
    payload = _payload(member, today)
    payload["incomes"] = [{"kind": "wages", "amount": "-1"}]
    response = _api(worker).post(f"{BASE}my/applications/", payload, format="json")
    assert response.status_code == 400
    assert "负数" in str(response.json())
    assert not Application.objects.exists()


def test_submit_without_consent_is_refused(worker, member, today):
    application = f.draft(member, today=today)
    response = _api(worker).post(
        f"{BASE}my/applications/{application.pk}/submit/",
        {"consent_sensitive": True, "consent_check": False},
        format="json",
    )
    assert response.status_code == 400


def test_another_workers_application_is_a_404(worker, make_member, today):
    other = f.submitted(make_member("KQ-HS-001"), today=today)
    assert _api(worker).get(f"{BASE}my/applications/{other.pk}/").status_code == 404


def test_staff_list_is_scoped_and_has_no_n_plus_one(huashe_staff, make_member, today, django_assert_num_queries):
    # given
    own = f.submitted(make_member("KQ-HS-001"), today=today)
    foreign = f.submitted(make_member("KQ-QX-001"), today=today)
    client = _api(huashe_staff)
    client.get(f"{BASE}applications/")  # warm the per-user caches

    # when: 1 query: the page of applications with union and member (the assignments are in the per-user cache)
    with django_assert_num_queries(1):
        first = client.get(f"{BASE}applications/").json()
    for _ in range(3):
        f.submitted(make_member("KQ-HS-001"), today=today)
    with django_assert_num_queries(1):
        second = client.get(f"{BASE}applications/").json()

    # then
    numbers = [row["number"] for row in first["results"]]
    assert own.number in numbers and foreign.number not in numbers
    assert len(second["results"]) == 4
    assert "income_12m" not in second["results"][0]


def test_a_worker_gets_no_staff_list(worker):
    assert _api(worker).get(f"{BASE}applications/").status_code == 403

"""L3, L5 in mutual aid: an amount too large for the books is a clear error, never a 500; a revealed bank
account is shown in the response only, never carried in the messages cookie."""

import pytest
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from mutual_aid import services

from .conftest import file_claim


@pytest.mark.parametrize("amount", ["1e30", "99999999999", "12345678901.00"])
def test_an_amount_too_large_for_the_books_is_a_form_error(covered, worker, amount):
    with pytest.raises(ValidationError) as exc:
        file_claim(worker, covered, base="10", total_amount=amount)
    assert "total_amount" in exc.value.message_dict


def test_an_amount_too_large_over_the_api_is_a_400(covered, worker, client):
    client.force_login(worker)
    response = client.post(
        "/api/v1/mutual-aid/my/claims/",
        {"benefit": "inpatient", "hospital": "柯桥区人民医院", "admission_date": "2020-01-01",
         "discharge_date": "2020-01-02", "total_amount": "1e30", "self_paid_amount": "1e30", "consent": "true"},
    )  # fmt: skip
    assert response.status_code == 400


def _messages_in_cookie(client) -> list[str]:
    cookie = client.cookies.get("messages")
    if cookie is None or not cookie.value:
        return []
    request = RequestFactory().get("/")
    request.COOKIES["messages"] = cookie.value
    return [str(m) for m in CookieStorage(request)._decode(cookie.value) or []]


def test_a_revealed_bank_account_is_never_carried_in_the_messages_cookie(covered, worker, login, reviewer1):
    claim = services.auto_review(file_claim(worker, covered).pk)
    client = login(reviewer1)

    response = client.post(f"/mutual-aid/claims/{claim.pk}/reveal/")

    assert response.status_code == 200 and claim.payee_bank_account in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert not any(claim.payee_bank_account in m for m in _messages_in_cookie(client))

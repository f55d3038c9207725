"""Issue 14 M14: after a failed payment the account a claim is paid to must be the member's (the name on it is
theirs); one a staff person enters is paid only once the member confirms it or a second staff person approves
it; the change is audited (account masked) and the member is told."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mutual_aid import services
from mutual_aid.models import Claim
from tests.factories import RoleAssignmentFactory
from union_portal.models import AuditLog, Notification
from union_portal.roles import Role

from .conftest import approve_twice, file_claim

NEW_ACCOUNT = "6222000011112222444"


@pytest.fixture
def failed(covered, worker, reviewer1, reviewer2, finance):
    claim = approve_twice(services.auto_review(file_claim(worker, covered).pk), reviewer1, reviewer2)
    batch = services.batch_create(by=finance)
    services.payment_mark_failed(by=finance, payment=batch.payments.get(), reason="账号错误")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PAYMENT_FAILED
    return claim


def _correct(by, claim, holder=None):
    return services.claim_correct_account(
        by=by, claim=claim, bank_account=NEW_ACCOUNT, bank_name="农业银行", account_holder=holder or claim.member.name
    )


def test_an_account_in_another_name_is_refused(failed, handler):
    with pytest.raises(ValidationError) as exc:
        _correct(handler, failed, holder="王某某")
    assert "account_holder" in exc.value.message_dict
    failed.refresh_from_db()
    assert failed.status == Claim.Status.PAYMENT_FAILED


def test_an_account_a_handler_enters_is_not_paid_until_the_member_confirms_it(failed, handler, worker, finance):
    _correct(handler, failed)
    # the old code paid the handler's account in the next bank file
    with pytest.raises(ValidationError):
        services.batch_create(by=finance)
    # the one who entered it cannot approve it
    with pytest.raises(PermissionDenied):
        services.claim_confirm_account(by=handler, claim=failed)
    services.claim_confirm_account(by=worker, claim=failed)
    batch = services.batch_create(by=finance)
    assert batch.payments.get().bank_account == NEW_ACCOUNT


def test_a_second_staff_person_may_approve_the_account_a_handler_entered(failed, handler, finance, tree):
    _correct(handler, failed)
    second = RoleAssignmentFactory(role=Role.HANDLER, node=failed.member.org).user
    services.claim_confirm_account(by=second, claim=failed)
    assert services.batch_create(by=finance).payments.get().bank_account == NEW_ACCOUNT


def test_the_change_is_audited_masked_and_the_member_is_told(failed, handler, worker):
    _correct(handler, failed)
    row = AuditLog.objects.get(action="mutual_aid.payee_account_changed")
    assert NEW_ACCOUNT not in str(row.detail) and row.detail["account"].endswith("2444")
    assert row.detail["confirmed"] is False
    note = Notification.objects.filter(user=worker).order_by("-pk").first()
    assert note is not None and "2444" in note.body and NEW_ACCOUNT not in note.body


def test_a_member_without_a_login_is_told_of_the_change_by_sms(failed, handler):
    from union_portal.models import Delivery

    member = failed.member
    member.user = None
    member.save(update_fields=["user"])
    _correct(handler, failed)
    note = Notification.objects.filter(user=None).order_by("-pk").first()
    assert note is not None and "2444" in note.body and NEW_ACCOUNT not in note.body
    assert Delivery.objects.filter(notification=note, channel=Delivery.Channel.SMS).exists()


def test_the_member_changing_their_own_account_needs_no_second_confirmation(failed, worker, finance):
    _correct(worker, failed)
    assert services.batch_create(by=finance).payments.get().bank_account == NEW_ACCOUNT


def test_the_member_confirms_on_their_claim_page(client, login, failed, handler, worker):
    _correct(handler, failed)
    login(worker)
    page = client.get(failed.get_absolute_url()).content.decode()
    url = f"/mutual-aid/claims/{failed.pk}/confirm-account/"
    assert url in page
    client.post(url)
    failed.refresh_from_db()
    assert failed.payee_change_by_id is None

"""Who may see and act on a claim, and who may see its bank account in full (every reveal audited, as a
member's ID number is)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from mutual_aid import services
from mutual_aid.permissions import can_act_for, can_review, get_claim_for
from union_portal.models import AuditLog

from .conftest import file_claim


@pytest.fixture
def claim(covered, worker):
    return services.auto_review(file_claim(worker, covered).pk)


def test_the_owner_may_see_and_act_on_their_claim(claim, worker):
    assert get_claim_for(worker, claim.pk, for_change=True) == claim


def test_the_handler_over_the_union_acts_and_the_reviewer_reviews(claim, handler, reviewer1):
    assert can_act_for(handler, claim.member) and not can_review(handler, claim.member.org)
    assert can_review(reviewer1, claim.member.org) and not can_act_for(reviewer1, claim.member)
    assert get_claim_for(handler, claim.pk, for_change=True) == claim
    assert get_claim_for(reviewer1, claim.pk, for_change=True) == claim


def test_a_handler_of_another_union_gets_404(claim, handler_qixian):
    with pytest.raises(Http404):
        get_claim_for(handler_qixian, claim.pk)


def test_finance_sees_the_claim_but_may_not_change_it(claim, finance):
    assert get_claim_for(finance, claim.pk) == claim
    with pytest.raises(PermissionDenied):
        get_claim_for(finance, claim.pk, for_change=True)


def test_anonymous_gets_404(claim):
    with pytest.raises(Http404):
        get_claim_for(AnonymousUser(), claim.pk)


def test_revealing_the_bank_account_is_audited(claim, reviewer1):
    assert services.reveal_bank_account(by=reviewer1, claim=claim) == claim.payee_bank_account
    assert AuditLog.objects.filter(action="mutual_aid.reveal", result="ok", actor=reviewer1).count() == 1


@pytest.mark.parametrize("username", ["city_admin", "handler_qixian", "worker"])
def test_the_service_refuses_a_reveal_without_the_right_and_audits_the_refusal(claim, username, tree):
    from django.contrib.auth import get_user_model

    outsider = get_user_model().objects.get(username=username)
    with pytest.raises(PermissionDenied):
        services.reveal_bank_account(by=outsider, claim=claim)
    assert AuditLog.objects.filter(action="mutual_aid.reveal", result="denied", actor=outsider).count() == 1
    assert not AuditLog.objects.filter(action="mutual_aid.reveal", result="ok").exists()

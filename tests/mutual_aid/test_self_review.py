"""Issue 14 H1: nobody reviews, decides an appeal of, pays or batches a claim of their own: the claim's member
linked to their login, or carrying the ID number of their own membership. Each step below is in scope on
its own (an IDOR sweep cannot see it): the workflow is what is tested."""

import pytest
from django.core.exceptions import ValidationError

from members.models import Member
from mutual_aid import services
from mutual_aid.models import Benefit, Claim
from tests.factories import RoleAssignmentFactory, new_id_number
from union_portal.models import Notification
from union_portal.roles import Role

from .conftest import enrol_and_pay, file_claim


def _covered(member, scheme, handler, finance):
    """The member covered for in-patient aid, enrolled with the rest of their union (the participation minimum)."""
    members = list(Member.objects.filter(org=member.org, status=Member.Status.ACTIVE))
    enrol_and_pay(
        scheme=scheme, kind=Benefit.Kind.INPATIENT, org=member.org, members=members, handler=handler, finance=finance
    )
    return member


def _reviewed_claim(member, handler):
    return services.auto_review(file_claim(handler, member).pk)


def _staff(role, tree):
    """A new account holding ``role`` at the district (where the demo's reviewers and finance sit)."""
    return RoleAssignmentFactory(role=role, node=tree["SX-KQ"]).user


@pytest.fixture
def reviewers_member(make_member, reviewer1, scheme, handler, finance):
    """reviewer1 is also a member of the handler's union, linked to their login."""
    return _covered(make_member(user=reviewer1), scheme, handler, finance)


def test_a_reviewer_cannot_give_either_review_of_their_own_claim(reviewers_member, reviewer1, reviewer2, handler):
    claim = _reviewed_claim(reviewers_member, handler)
    # first review: refused to the claimant
    with pytest.raises(ValidationError):
        services.claim_approve(by=reviewer1, claim=claim)
    services.claim_approve(by=reviewer2, claim=claim)
    # second review: refused too (the old code let the claimant give it)
    for act in (
        lambda: services.claim_approve(by=reviewer1, claim=claim),
        lambda: services.claim_reject(by=reviewer1, claim=claim, reason="x"),
        lambda: services.claim_adjust_amount(by=reviewer1, claim=claim, amount="1", reason="x"),
        lambda: services.claim_return(by=reviewer1, claim=claim, documents=["invoice"]),
    ):
        with pytest.raises(ValidationError):
            act()
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SECOND_REVIEW and claim.second_reviewer_id is None


def test_a_claim_carrying_the_reviewers_id_number_is_their_own(
    make_member, reviewer1, reviewer2, scheme, handler, finance
):
    """The reviewer's login is linked to an old (left) membership; the claim is on an unlinked membership of the
    same person: the ID-number hashes match."""
    id_number = new_id_number()
    make_member(org="KQ-QX-001", user=reviewer1, id_number=id_number, status="left")
    member = _covered(make_member(id_number=id_number), scheme, handler, finance)
    assert member.user_id is None
    claim = _reviewed_claim(member, handler)
    with pytest.raises(ValidationError):
        services.claim_approve(by=reviewer1, claim=claim)
    services.claim_approve(by=reviewer2, claim=claim)


def test_the_appeal_of_a_reviewers_claim_never_goes_to_them_but_waits_for_the_district_admin(
    reviewers_member, reviewer1, reviewer2, handler, district_admin, tree
):
    claim = _reviewed_claim(reviewers_member, handler)
    services.claim_reject(by=reviewer2, claim=claim, reason="材料不符")
    # the only reviewer who did not decide is the claimant: the old code gave them the appeal
    claim = services.claim_appeal(by=reviewer1, claim=claim, reason="有新证明")
    assert claim.status == Claim.Status.APPEALED and claim.appeal_reviewer is None
    assert Notification.objects.filter(user=district_admin, link=claim.get_absolute_url()).exists()
    with pytest.raises(ValidationError):
        services.claim_approve(by=reviewer1, claim=claim)
    # the district admin cannot hand it to the claimant, nor to the reviewer who rejected it
    for reviewer in (reviewer1, reviewer2):
        with pytest.raises(ValidationError):
            services.appeal_assign(by=district_admin, claim=claim, reviewer=reviewer)
    third = _staff(Role.REVIEWER, tree)
    assert services.appeal_reviewer_choices(claim) == [third]
    services.appeal_assign(by=district_admin, claim=claim, reviewer=third)
    claim = services.claim_approve(by=third, claim=claim)
    assert claim.status == Claim.Status.APPROVED


def test_an_appeal_goes_to_an_eligible_reviewer_not_the_claimant(reviewers_member, reviewer1, reviewer2, handler, tree):
    third = _staff(Role.REVIEWER, tree)
    claim = _reviewed_claim(reviewers_member, handler)
    services.claim_approve(by=reviewer2, claim=claim)
    services.claim_reject(by=third, claim=claim, reason="材料不符")
    claim = services.claim_appeal(by=handler, claim=claim, reason="有新证明")
    # reviewer1 has no open appeals and the lowest pk of the non-deciders, but it is their claim
    assert claim.appeal_reviewer is None
    # a fourth reviewer takes it
    fourth = _staff(Role.REVIEWER, tree)
    assert services.appeal_reviewer_choices(claim) == [fourth]


def test_a_finance_officer_neither_batches_nor_settles_their_own_claim(
    make_member, finance, reviewer1, reviewer2, scheme, handler, tree
):
    member = _covered(make_member(user=finance), scheme, handler, finance)
    claim = _reviewed_claim(member, handler)
    services.claim_approve(by=reviewer1, claim=claim)
    services.claim_approve(by=reviewer2, claim=claim)
    # the old code put the officer's own claim in their batch
    with pytest.raises(ValidationError):
        services.batch_create(by=finance)
    other = _staff(Role.FINANCE, tree)
    batch = services.batch_create(by=other)
    payment = batch.payments.get()
    with pytest.raises(ValidationError):
        services.payment_mark_paid(by=finance, payment=payment, reference="B1")
    with pytest.raises(ValidationError):
        services.payment_mark_failed(by=finance, payment=payment, reason="账号错误")
    services.payment_mark_paid(by=other, payment=payment, reference="B1")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PAID


def test_the_claim_page_offers_no_review_to_the_claimant(client, login, reviewers_member, reviewer1, handler):
    claim = _reviewed_claim(reviewers_member, handler)
    login(reviewer1)
    page = client.get(claim.get_absolute_url())
    assert page.status_code == 200
    assert f"/mutual-aid/claims/{claim.pk}/approve/" not in page.content.decode()
    response = client.post(f"/mutual-aid/claims/{claim.pk}/approve/")
    claim.refresh_from_db()
    assert response.status_code == 302 and claim.status == Claim.Status.FIRST_REVIEW

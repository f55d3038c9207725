"""Races that matter, against PostgreSQL with real threads: one active membership per person, and member
numbers never issued twice."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from members import services
from members.models import Member
from tests.factories import new_id_number
from tests.races import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_the_same_person_added_to_two_unions_at_once_gets_one_membership(tree, district_admin):
    id_number = new_id_number()

    def add(code):
        return lambda: services.member_create(
            by=district_admin, org=tree[code], name="并发", id_number=id_number, joined_on=dt.date(2024, 1, 1)
        )

    results = run_together(add("KQ-HS-001"), add("KQ-QX-001"))

    assert sum(isinstance(r, Member) for r in results) == 1
    assert sum(isinstance(r, ValidationError) for r in results) == 1
    assert Member.objects.filter(id_number_hash=Member.hash_id_number(id_number)).count() == 1


def test_concurrent_additions_never_share_a_member_number(tree, district_admin):
    def add(i):
        return lambda: services.member_create(
            by=district_admin,
            org=tree["KQ-HS-001"],
            name=f"并发{i}",
            id_number=new_id_number(),
            joined_on=dt.date(2024, 1, 1),
        )

    results = run_together(*[add(i) for i in range(4)])

    numbers = [r.member_number for r in results if isinstance(r, Member)]
    assert len(numbers) == 4 and len(set(numbers)) == 4


def test_a_release_racing_the_receiving_unions_cancellation_settles_the_transfer_once(
    tree, handler, handler_qixian, make_member
):
    # given a transfer the receiving union asked for (from a join application), waiting for the release
    from members.models import MemberTransfer

    person = make_member("KQ-HS-001")
    application = services.join_submit(
        consent=True,
        user=None,
        org=tree["KQ-QX-001"],
        name=person.name,
        id_number=person.id_number,
        mobile="13800003333",
    )
    transfer = services.join_approve(by=handler_qixian, application=application)

    # when the releasing union releases while the receiving union cancels
    results = run_together(
        lambda: services.transfer_release(by=handler, transfer=transfer),
        lambda: services.transfer_reject(by=handler_qixian, transfer=transfer, reason="申请人撤回"),
    )

    # then exactly one of them settles it, and the member is where that one says
    assert sum(isinstance(r, ValidationError) for r in results) == 1, results
    transfer.refresh_from_db()
    person.refresh_from_db()
    if transfer.status == MemberTransfer.Status.ACCEPTED:
        assert person.org == tree["KQ-QX-001"]
    else:
        assert transfer.status == MemberTransfer.Status.CANCELLED and person.org == tree["KQ-HS-001"]


def test_two_releases_at_once_move_the_member_once(tree, handler, district_admin, handler_qixian, make_member):
    from members.models import MemberEvent

    person = make_member("KQ-HS-001")
    application = services.join_submit(
        consent=True,
        user=None,
        org=tree["KQ-QX-001"],
        name=person.name,
        id_number=person.id_number,
        mobile="13800004444",
    )
    transfer = services.join_approve(by=handler_qixian, application=application)

    results = run_together(
        lambda: services.transfer_release(by=handler, transfer=transfer),
        lambda: services.transfer_release(by=district_admin, transfer=transfer),
    )

    assert sum(isinstance(r, ValidationError) for r in results) == 1, results
    person.refresh_from_db()
    assert person.org == tree["KQ-QX-001"]
    assert MemberEvent.objects.filter(member=person, kind=MemberEvent.Kind.TRANSFER_IN).count() == 1

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

"""Races that matter, against PostgreSQL with real threads: one active membership per person, and member
numbers never issued twice."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from members import services
from members.models import Member

from .conftest import new_id_number

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _run_together(targets):
    barrier = threading.Barrier(len(targets))
    results: list = [None] * len(targets)

    def run(i, fn):
        try:
            barrier.wait()
            results[i] = fn()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(targets)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_the_same_person_added_to_two_unions_at_once_gets_one_membership(tree, district_admin):
    id_number = new_id_number()

    def add(code):
        return lambda: services.member_create(
            by=district_admin, org=tree[code], name="并发", id_number=id_number, joined_on=dt.date(2024, 1, 1)
        )

    results = _run_together([add("KQ-HS-001"), add("KQ-QX-001")])

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

    results = _run_together([add(i) for i in range(4)])

    numbers = [r.member_number for r in results if isinstance(r, Member)]
    assert len(numbers) == 4 and len(set(numbers)) == 4

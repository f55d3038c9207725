"""Fixtures of the dashboard tests: a populated roll (members across townships) and a refreshed figure store."""

import datetime as dt
import itertools

import pytest

from members.models import Enterprise, Member
from union_portal.identity import id_number_hash, make_id_number
from union_portal.models import OrgUnit

_seq = itertools.count(1000)


def add_members(org: OrgUnit, n: int, *, status="active", joined_on=dt.date(2020, 1, 1), migrant=False,
                frontline=False, sex="M", enterprise: Enterprise | None = None) -> list[Member]:  # fmt: skip
    """Bulk-create ``n`` members of ``org`` (the enterprise defaults to the one whose union ``org`` is)."""
    if enterprise is None:
        enterprise = Enterprise.objects.filter(union=org).first()
    rows = []
    for _i in range(n):
        seq = next(_seq)
        number = make_id_number("330621", dt.date(1990, 1, 1), seq % 999 + 1)
        rows.append(
            Member(
                member_number=f"T{seq:08d}",
                name=f"测试{seq}",
                id_number=number,
                id_number_hash=f"{id_number_hash(number)[:50]}{seq:014d}",
                sex=sex,
                birth_date=dt.date(1990, 1, 1),
                org=org,
                enterprise=enterprise,
                is_migrant=migrant,
                is_frontline=frontline,
                joined_on=joined_on,
                status=status,
            )
        )
    return Member.objects.bulk_create(rows)


@pytest.fixture
def roll(tree, today):
    """Members in Huashe and Qixian unions, some migrant/frontline/women, some who left, some new."""
    this_year = today.replace(month=1, day=1)  # joined this year, not in the future
    add_members(tree["KQ-HS-001"], 7, migrant=True, frontline=True)
    add_members(tree["KQ-HS-001"], 3, sex="F", joined_on=this_year)
    add_members(tree["KQ-HS-002"], 4, frontline=True, sex="F")
    add_members(tree["KQ-HS-002"], 2, status="left")
    add_members(tree["KQ-QX-001"], 5, migrant=True, joined_on=this_year)
    add_members(tree["KQ-QX-002"], 2, status="retired")
    add_members(tree["KQ-IND-BLD-001"], 3)
    return tree


@pytest.fixture(autouse=True)
def _default_language():
    """A request in English leaves English active in the thread; start and end each test in Chinese."""
    from django.utils import translation

    translation.activate("zh-hans")
    yield
    translation.activate("zh-hans")

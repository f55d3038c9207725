"""The founding reserve (建会筹备金) is held at the township and handed over exactly once."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from funds.models import FoundingReserveHandover, JournalEntry, LedgerAccount
from funds.selectors import account_balance, founding_reserve_balance
from funds.services import (
    collection_reverse,
    founding_reserve_hand_over,
    founding_reserve_sweep,
)
from members.models import Enterprise
from tests.races import run_together
from union_portal.models import OrgUnit

from .conftest import YEAR


def _found_union(enterprise, tree, code="KQ-HS-090"):
    union = OrgUnit.objects.add_child(
        tree["KQ-HS"], {"code": code, "name": "绍兴华舍经编有限公司工会", "kind": "grassroots"}
    )
    Enterprise.objects.filter(pk=enterprise.pk).update(union=union)
    enterprise.refresh_from_db()
    return union


def _funds(org, level):
    return account_balance(account=LedgerAccount.objects.get(org=org, kind="funds", level=level))


def test_the_reserve_is_handed_over_once_and_allocated_with_the_new_union(tree, hs_no_union, collect, huashe_staff):
    # given: two months held at the township
    collect(hs_no_union, dt.date(YEAR, 1, 1), "500.00")
    collect(hs_no_union, dt.date(YEAR, 2, 1), "500.01")
    assert founding_reserve_balance(enterprise=hs_no_union) == Decimal("1000.01")
    union = _found_union(hs_no_union, tree)

    # when: handed over twice
    first = founding_reserve_hand_over(enterprise=hs_no_union, by=huashe_staff)
    second = founding_reserve_hand_over(enterprise=hs_no_union, by=huashe_staff)

    # then: once
    assert first.pk == second.pk and first.amount == Decimal("1000.01")
    assert FoundingReserveHandover.objects.count() == 1
    assert JournalEntry.objects.filter(kind="handover").count() == 1
    assert founding_reserve_balance(enterprise=hs_no_union) == Decimal("0.00")
    assert _funds(union, "grassroots") == Decimal("600.01")
    assert _funds(tree["SX-KQ"], "district") == Decimal("200.00")


def test_no_hand_over_before_the_union_is_founded(tree, hs_no_union, collect, huashe_staff):
    collect(hs_no_union, dt.date(YEAR, 1, 1), "500.00")
    with pytest.raises(ValidationError):
        founding_reserve_hand_over(enterprise=hs_no_union, by=huashe_staff)
    assert founding_reserve_balance(enterprise=hs_no_union) == Decimal("500.00")


def test_after_founding_new_collections_are_allocated_not_held(tree, hs_no_union, collect, huashe_staff):
    collect(hs_no_union, dt.date(YEAR, 1, 1), "100.00")
    union = _found_union(hs_no_union, tree)
    collection = collect(hs_no_union, dt.date(YEAR, 2, 1), "100.00")
    assert not collection.is_reserve and collection.union == union
    assert founding_reserve_balance(enterprise=hs_no_union) == Decimal("100.00")


def test_the_sweep_hands_over_every_reserve_whose_enterprise_now_has_a_union_and_is_idempotent(
    tree, hs_no_union, collect
):
    collect(hs_no_union, dt.date(YEAR, 1, 1), "300.00")
    other = Enterprise.objects.get(name="绍兴齐贤新材料科技有限公司")
    collect(other, dt.date(YEAR, 1, 1), "200.00")  # stays: still no union
    _found_union(hs_no_union, tree)

    handed = founding_reserve_sweep(by=None)
    again = founding_reserve_sweep(by=None)

    assert [h.enterprise_id for h in handed] == [hs_no_union.pk] and again == []
    assert founding_reserve_balance(enterprise=other) == Decimal("200.00")


def test_a_reserve_collection_cannot_be_reversed_after_the_hand_over(tree, hs_no_union, collect, finance):
    collection = collect(hs_no_union, dt.date(YEAR, 1, 1), "300.00")
    _found_union(hs_no_union, tree)
    founding_reserve_hand_over(enterprise=hs_no_union, by=None)
    with pytest.raises(ValidationError):
        collection_reverse(by=finance, collection=collection, reason="x")


def test_the_hand_over_locks_the_enterprise_row(tree, hs_no_union, collect):
    from django.test.utils import CaptureQueriesContext

    collect(hs_no_union, dt.date(YEAR, 1, 1), "300.00")
    _found_union(hs_no_union, tree)
    with CaptureQueriesContext(connection) as queries:
        founding_reserve_hand_over(enterprise=hs_no_union, by=None)
    if connection.vendor == "postgresql":
        assert any(
            "FOR UPDATE" in q["sql"] and '"members_enterprise"' in q["sql"] for q in queries.captured_queries[:3]
        )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_hand_overs_hand_over_once(tree, hs_no_union, finance):
    from funds.services import collection_record

    collection_record(
        by=finance,
        enterprise=hs_no_union,
        period=dt.date(YEAR, 1, 1),
        amount=Decimal("1000.00"),
        collected_on=dt.date(YEAR, 2, 10),
    )
    _found_union(hs_no_union, tree)

    def hand_over():
        return founding_reserve_hand_over(enterprise=hs_no_union, by=None).pk

    outcomes = run_together(hand_over, hand_over)
    results = [o for o in outcomes if not isinstance(o, Exception)]
    errors = [o for o in outcomes if isinstance(o, Exception)]

    assert errors == []
    assert len(results) == 2 and results[0] == results[1]
    assert FoundingReserveHandover.objects.count() == 1
    assert JournalEntry.objects.filter(kind="handover").count() == 1
    assert founding_reserve_balance(enterprise=hs_no_union) == Decimal("0.00")


def test_approving_the_union_founding_hands_the_reserve_over(
    tree, hs_no_union, collect, huashe_staff, march, django_capture_on_commit_callbacks
):
    """The founding approval (members) hands the reserve over, once, to the union it creates."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from funds.models import FoundingReserveHandover
    from members.services import founding_approve, founding_submit

    # given a reserve collected while the firm had no union
    collect(hs_no_union, march, "1320.00")
    application = founding_submit(
        by=huashe_staff,
        enterprise=hs_no_union,
        union_name="绍兴华舍经编有限公司工会",
        chair_name="王立新",
        meeting_date=march,
        member_count=40,
        election_result=SimpleUploadedFile("选举结果.pdf", b"%PDF-1.4\n" + b"x" * 64),
        applicant_name="王立新",
        applicant_phone="13900001111",
    )

    # when the township approves the founding
    with django_capture_on_commit_callbacks(execute=True):  # funds hands it over once the approval commits
        union = founding_approve(by=huashe_staff, application=application)

    # then the whole reserve went to the new union in one hand-over
    handover = FoundingReserveHandover.objects.get(enterprise=hs_no_union)
    assert handover.union == union and handover.amount == Decimal("1320.00")

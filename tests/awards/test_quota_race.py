"""Two handlers of one township submit the township's last place at the same moment: exactly one wins."""

import datetime as dt
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awards import selectors, services
from awards.models import Nomination
from tests.races import run_together
from union_portal.roles import Role

from .conftest import YEAR


@pytest.fixture
def handler_hs2(tree):
    user = get_user_model().objects.create(username="handler_hs2", full_name="华舍织造经办人")
    user.assignments.create(role=Role.HANDLER, node=tree["KQ-HS-002"])
    return user


def test_submission_locks_the_quota_row(tree, handler, make_member, nominate):
    draft = nominate(handler, make_member(tree["KQ-HS-001"]), submit=False)
    with CaptureQueriesContext(connection) as captured:
        services.nomination_submit(by=handler, nomination=draft, today=dt.date(YEAR, 6, 1))
    sql = [q["sql"] for q in captured.captured_queries if 'FROM "awards_quota"' in q["sql"]]
    if connection.vendor == "postgresql":
        assert any("FOR UPDATE" in s for s in sql)
    else:  # SQLite ignores FOR UPDATE (it locks the whole database on write)
        assert sql


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_handlers_submitting_the_last_place_at_once_exactly_one_wins(
    tree, handler, handler_hs2, district_admin, make_member, nominate, award_round, monkeypatch
):
    # given 华舍's model-worker quota of 1 place and one draft in each of two of its unions
    drafts = [
        nominate(handler, make_member(tree["KQ-HS-001"]), "劳动模范", submit=False),
        nominate(handler_hs2, make_member(tree["KQ-HS-002"]), "劳动模范", submit=False),
    ]
    users = [handler, handler_hs2]
    # Widen the race window: after counting the places taken, each submission waits (up to 3 s) for the
    # other to have counted too. Without the row lock both count 0 and both win; with it the second one
    # cannot count before the first commits, the wait times out and the second sees the place taken.
    counted = threading.Barrier(2)
    real_quota_used = selectors.quota_used

    def quota_used_then_wait(**kwargs):
        used = real_quota_used(**kwargs)
        try:
            counted.wait(timeout=3)
        except threading.BrokenBarrierError:
            pass
        return used

    monkeypatch.setattr(selectors, "quota_used", quota_used_then_wait)

    def submit(i):
        return lambda: services.nomination_submit(by=users[i], nomination=drafts[i], today=dt.date(YEAR, 6, 1))

    # when both submit at the same moment
    outcomes = run_together(submit(0), submit(1))
    results = [o.error_list[0].code if isinstance(o, Exception) else "ok" for o in outcomes]

    # then exactly one holds the place and the other was told the quota is used up
    assert sorted(results) == ["ok", "quota"]
    assert Nomination.objects.filter(round=award_round, status__in=Nomination.COUNTED).count() == 1

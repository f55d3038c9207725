"""Two handlers of one township submit the township's last place at the same moment: exactly one wins."""

import datetime as dt
import threading

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from awards import selectors, services
from awards.models import Nomination
from union_portal.roles import Role

from .conftest import YEAR


@pytest.fixture
def handler_hs2(tree):
    user = get_user_model().objects.create(username="handler_hs2", full_name="华舍织造经办人")
    user.assignments.create(role=Role.HANDLER, node=tree["KQ-HS-002"])
    return user


def test_submission_locks_the_quota_row(tree, handler, member_factory, nominate):
    draft = nominate(handler, member_factory(tree["KQ-HS-001"]), submit=False)
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
    tree, handler, handler_hs2, district_admin, member_factory, nominate, award_round, monkeypatch
):
    # given 华舍's model-worker quota of 1 place and one draft in each of two of its unions
    drafts = [
        nominate(handler, member_factory(tree["KQ-HS-001"]), "劳动模范", submit=False),
        nominate(handler_hs2, member_factory(tree["KQ-HS-002"]), "劳动模范", submit=False),
    ]
    users = [handler, handler_hs2]
    barrier = threading.Barrier(2)
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
    results: list = [None, None]

    def submit(i):
        try:
            barrier.wait()
            services.nomination_submit(by=users[i], nomination=drafts[i], today=dt.date(YEAR, 6, 1))
            results[i] = "ok"
        except ValidationError as exc:
            results[i] = exc.error_list[0].code
        finally:
            connections.close_all()

    # when both submit at the same moment
    threads = [threading.Thread(target=submit, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    # then exactly one holds the place and the other was told the quota is used up
    assert sorted(results) == ["ok", "quota"]
    assert Nomination.objects.filter(round=award_round, status__in=Nomination.COUNTED).count() == 1

"""After-commit events (union_portal.hooks): handlers run once the firing transaction commits, never when it
rolls back, and a failing handler does not fail the caller."""

import pytest
from django.db import transaction

from union_portal import hooks

EVENT = "members.enterprise_unionised"


@pytest.fixture
def calls():
    received = []

    def handler(**kwargs):
        received.append(kwargs)

    hooks.subscribe(EVENT, handler)
    yield received
    hooks._handlers[EVENT].remove(handler)


def test_an_unknown_event_is_refused():
    with pytest.raises(ValueError):
        hooks.fire("members.no_such_event")
    with pytest.raises(ValueError):
        hooks.subscribe("members.no_such_event", print)


def test_handlers_run_after_commit_with_the_keyword_arguments(db, calls, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        hooks.fire(EVENT, enterprise_id=1, union_id=2)
        assert calls == []  # not before the commit

    assert calls == [{"enterprise_id": 1, "union_id": 2}]


def test_nothing_runs_when_the_transaction_rolls_back(transactional_db, calls):
    with pytest.raises(RuntimeError), transaction.atomic():
        hooks.fire(EVENT, enterprise_id=1, union_id=2)
        raise RuntimeError

    assert calls == []


def test_a_failing_handler_is_logged_and_the_others_still_run(db, calls, django_capture_on_commit_callbacks, caplog):
    def broken(**kwargs):
        raise RuntimeError("broker down")

    hooks._handlers[EVENT].insert(0, broken)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            hooks.fire(EVENT, enterprise_id=1, union_id=2)
    finally:
        hooks._handlers[EVENT].remove(broken)

    assert calls == [{"enterprise_id": 1, "union_id": 2}]
    assert "broker down" in caplog.text


def test_funds_subscribes_to_the_founding_of_a_union():
    from funds.tasks import on_enterprise_unionised

    assert on_enterprise_unionised in hooks._handlers[EVENT]

"""Worker-side batching of the per-claim review messages (mutual_aid.tasks.auto_review_task, celery-batches): a
batch of messages ends exactly as the same messages handled one by one, for a mix of claims (fresh, overlapping,
already reviewed, re-submitted, whose checks fail), and a claim whose writes fail takes no other claim with it."""

import datetime as dt
from types import SimpleNamespace

import pytest
from celery_batches import Batches, SimpleRequest
from django.db import IntegrityError, OperationalError, transaction

from mutual_aid import services, tasks
from mutual_aid.models import Claim, ClaimEvent
from union_portal.models import AuditLog

from .conftest import YEAR, file_claim

pytestmark = pytest.mark.django_db


def _requests(items) -> list[SimpleRequest]:
    """What the worker hands the task: one request per message ``auto_review_task.delay(claim_id, submission)``."""
    return [
        SimpleRequest(
            id=f"r{i}",
            name=tasks.auto_review_task.name,
            args=tuple(item),
            kwargs={},
            delivery_info={},
            hostname="test",
            ignore_result=True,
            reply_to=None,
            correlation_id=None,
            request_dict={},
        )
        for i, item in enumerate(items)
    ]


def _outcomes(claim_ids) -> list[tuple]:
    rows = []
    for pk in claim_ids:
        claim = Claim.objects.get(pk=pk)
        events = list(ClaimEvent.objects.filter(claim=claim, action="auto_reviewed").values_list("note", "amount"))
        audits = list(
            AuditLog.objects.filter(action="mutual_aid.claim_auto_reviewed", object_id=str(pk)).values_list(
                "actor_id", "detail"
            )
        )
        checks = [(c["code"], c["ok"], c["params"]) for c in claim.auto_checks]
        rows.append(
            (claim.status, claim.auto_reviewed_submission, claim.auto_passed, claim.proposed_amount)
            + (claim.working, checks, events, audits)
        )
    return rows


def test_a_batch_of_messages_ends_as_the_same_messages_one_by_one(covered, worker, reviewer1, monkeypatch):
    # given fresh claims (two overlapping stays), a reviewed claim, a claim returned and re-submitted
    # (submission 2), and a claim whose checks raise
    fresh = [
        file_claim(worker, covered, admission=dt.date(YEAR, 3, 1)),
        file_claim(worker, covered, admission=dt.date(YEAR, 3, 3)),
        file_claim(worker, covered, admission=dt.date(YEAR, 1, 20), days=2),
        file_claim(worker, covered, base="300.00", admission=dt.date(YEAR, 9, 1)),
    ]
    reviewed = services.auto_review(file_claim(worker, covered, admission=dt.date(YEAR, 5, 1)).pk)
    returned = services.auto_review(file_claim(worker, covered, admission=dt.date(YEAR, 7, 1)).pk)
    services.claim_return(by=reviewer1, claim=returned, documents=["invoice"])
    Claim.objects.filter(pk=returned.pk).update(status=Claim.Status.SUBMITTED, submission=2)
    broken = file_claim(worker, covered, admission=dt.date(YEAR, 10, 1))
    run_checks = services.run_checks

    def failing(claim, documents=None):
        if claim.pk == broken.pk:
            raise RuntimeError("bad rules")
        return run_checks(claim, documents)

    monkeypatch.setattr(services.review, "run_checks", failing)
    # the messages: each fresh claim once (the first twice: a redelivery), the reviewed claim again, the
    # returned claim for its old and its new submission, the broken claim
    items = [(c.pk, 1) for c in fresh] + [(fresh[0].pk, 1), (reviewed.pk, 1), (returned.pk, 1), (returned.pk, 2)]
    items.append((broken.pk, 1))
    every = [c.pk for c in fresh] + [reviewed.pk, returned.pk, broken.pk]
    # when they are handled one message at a time (what an eager or unbatched worker does)...
    with transaction.atomic():
        for pk, submission in items:
            tasks.auto_review_task.delay(pk, submission)  # eager: a batch of one
        one_by_one = _outcomes(every)
        transaction.set_rollback(True)
    assert Claim.objects.get(pk=fresh[0].pk).status == Claim.Status.SUBMITTED  # rolled back
    # ... and all in one batch
    tasks.auto_review_task(_requests(items))
    # then the claims, their events and audit rows are the same
    assert _outcomes(every) == one_by_one
    statuses = [row[0] for row in one_by_one]
    assert statuses == [Claim.Status.FIRST_REVIEW] * 6 + [Claim.Status.SUBMITTED]
    assert [row[1] for row in one_by_one][4:] == [1, 2, 0]  # the returned claim reviewed for submission 2
    assert [len(row[6]) for row in one_by_one] == [1, 1, 1, 1, 1, 2, 0]  # one event per reviewed submission
    assert "STAY_OVERLAP" in one_by_one[0][6][0][0] and "STAY_OVERLAP" in one_by_one[1][6][0][0]


def test_a_claim_whose_writes_fail_takes_no_other_claim_with_it(covered, worker, monkeypatch):
    # given three claims, the writes of the second failing in the database (say, a constraint)
    claims = [file_claim(worker, covered, admission=dt.date(YEAR, 3, 1) + dt.timedelta(days=10 * i)) for i in range(3)]
    record_many = services.review.audit_record_many
    calls = []

    def failing(rows):
        rows = list(rows)
        calls.append(len(rows))
        if any(row["obj"].pk == claims[1].pk for row in rows):
            raise IntegrityError("a constraint")
        return record_many(rows)

    monkeypatch.setattr(services.review, "audit_record_many", failing)
    # when the three messages are reviewed in one batch
    tasks.auto_review_task(_requests([(c.pk, 1) for c in claims]))
    # then the batch's transaction failed and each claim was tried alone: the first and third are reviewed
    assert calls == [3, 1, 1, 1]
    statuses = [Claim.objects.get(pk=c.pk).status for c in claims]
    assert statuses == [Claim.Status.FIRST_REVIEW, Claim.Status.SUBMITTED, Claim.Status.FIRST_REVIEW]
    assert ClaimEvent.objects.filter(claim=claims[1], action="auto_reviewed").count() == 0
    assert ClaimEvent.objects.filter(claim__in=[claims[0], claims[2]], action="auto_reviewed").count() == 2


def test_a_batch_that_loses_the_database_is_queued_again_as_a_retrying_batch_task(covered, worker, monkeypatch):
    # given a database that drops the connection during the review
    claims = [file_claim(worker, covered, admission=dt.date(YEAR, 3, 1) + dt.timedelta(days=10 * i)) for i in range(2)]

    def dropped(items, raise_errors=True):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services, "auto_review_many", dropped)
    monkeypatch.setattr(tasks, "connection", SimpleNamespace(close=lambda: None))  # keep the test's transaction
    sent = []
    monkeypatch.setattr(tasks.auto_review_batch_task, "apply_async", lambda args, countdown: sent.append(args))
    # when a batch of their messages is handled
    tasks.auto_review_task(_requests([(c.pk, 1) for c in claims]))
    # then nothing is lost: the claims go back to the queue as one batch task (which retries with a delay)
    assert sent == [[[[claims[0].pk, 1], [claims[1].pk, 1]]]]
    assert all(Claim.objects.get(pk=c.pk).status == Claim.Status.SUBMITTED for c in claims)


def test_the_review_tasks_go_to_the_reviews_queue():
    from union_portal.celery import app

    for task in (tasks.auto_review_task, tasks.auto_review_batch_task):
        assert app.amqp.router.route({}, task.name)["queue"].name == "reviews"


def test_the_worker_prefetch_is_widened_once_per_broker_connection(monkeypatch):
    # given the worker's consumer, its prefetch at 1 message (CELERY_WORKER_PREFETCH_MULTIPLIER)
    handled = []
    monkeypatch.setattr(Batches, "Strategy", lambda self, task, app, consumer: lambda *a, **kw: handled.append(a))

    class QoS:
        def __init__(self):
            self.increments = []

        def increment_eventually(self, n):
            self.increments.append(n)

    consumer = SimpleNamespace(qos=QoS())
    handle = tasks.auto_review_task.Strategy(tasks.auto_review_task, None, consumer)
    # when messages arrive, then the prefetch grows by a batch once, so that the worker can gather a batch
    handle("m1")
    handle("m2")
    assert consumer.qos.increments == [services.REVIEW_CHUNK]
    # and again after a reconnection (a new QoS at the initial prefetch)
    consumer.qos = QoS()
    handle("m3")
    assert consumer.qos.increments == [services.REVIEW_CHUNK]
    assert handled == [("m1",), ("m2",), ("m3",)]

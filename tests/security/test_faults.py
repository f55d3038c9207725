"""Fault tests (issue 10): a Celery worker killed mid-review, the broker down while a claim is filed, a
database error in the middle of an import."""

import datetime as dt
import json
import os
import signal
import subprocess
import threading
import time

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from members.models import Member, MemberEvent
from mutual_aid import services as aid
from mutual_aid.models import Claim, ClaimEvent, Enrolment
from tests import clock
from tests.mutual_aid.conftest import YEAR, file_claim
from union_portal.models import AuditLog, Notification

# --- helpers -------------------------------------------------------------------------------------------------


def _worker(queues: str) -> subprocess.Popen:
    """A real Celery worker (one process, one task at a time) against Redis and the test database."""
    db = connection.settings_dict
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        REDIS_URL=settings.REDIS_URL,
        CELERY_TASK_ALWAYS_EAGER="0",
        TESTING="1",
    )
    return subprocess.Popen(
        clock.celery_worker_argv(
            "worker", "-P", "solo", "-Q", queues, "--without-gossip", "--without-mingle", "--without-heartbeat"
        )
        + ["-l", "warning"],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait(condition, *, seconds: float = 180, what: str = "") -> None:
    # 180 s: a cold Celery worker start next to the other test process on a 2-core machine can take a minute
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _reviewed(claim_ids) -> int:
    return Claim.objects.filter(pk__in=claim_ids, status=Claim.Status.FIRST_REVIEW).count()


def _assert_reviewed_exactly_once(claim_ids) -> None:
    for pk in claim_ids:
        claim = Claim.objects.get(pk=pk)
        assert claim.status == Claim.Status.FIRST_REVIEW, pk
        assert claim.auto_reviewed_submission == claim.submission
        assert ClaimEvent.objects.filter(claim_id=pk, action="auto_reviewed").count() == 1, pk
        assert AuditLog.objects.filter(action="mutual_aid.claim_auto_reviewed", object_id=str(pk)).count() == 1, pk
    # notifications are keyed by event: none was sent twice
    keys = list(Notification.objects.values_list("user_id", "event_key"))
    assert len(keys) == len(set(keys))


def _claims_without_review(worker_user, member, n: int, monkeypatch) -> list[int]:
    """n claims filed, their review tasks NOT queued (the test queues them itself)."""
    monkeypatch.setattr(aid.claims, "_enqueue_review", lambda claim: None)
    ids = [
        file_claim(worker_user, member, admission=dt.date(YEAR, 3, 1) + dt.timedelta(days=7 * i)).pk for i in range(n)
    ]
    monkeypatch.undo()
    return ids


# --- a. kill -9 a worker in the middle of the automatic reviews -------------------------------------------


@pytest.mark.serial
@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_loses_nothing_and_reviews_every_claim_exactly_once(covered, worker, monkeypatch):
    import redis

    from mutual_aid.tasks import auto_review_task
    from union_portal.celery import app

    # given 8 filed claims whose reviews are queued for a real worker, one message per claim
    ids = _claims_without_review(worker, covered, 8, monkeypatch)
    middle = ids[4]
    queue = f"fault-{os.getpid()}"
    app.conf.task_always_eager = False
    client = redis.Redis.from_url(settings.REDIS_URL)
    first = second = None
    held, release = threading.Event(), threading.Event()

    def hold_the_middle_claim():
        # another transaction holds claim 5's row: the worker blocks inside the review of the batch holding it
        with transaction.atomic():
            Claim.objects.select_for_update().get(pk=middle)
            held.set()
            release.wait(120)
        connection.close()

    holder = threading.Thread(target=hold_the_middle_claim)
    holder.start()
    try:
        held.wait(30)
        for pk in ids:
            auto_review_task.apply_async(args=[pk, 1], queue=queue)
        first = _worker(queue)
        _wait(_worker_waits_for_a_lock, what="the worker blocked in the batch holding the fifth claim")
        # when the worker is killed (SIGKILL) in the middle of a batch (the worker gathers the per-claim messages
        # into batches: the batch that waits holds claim 5 and maybe some before it)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=20)
        release.set()
        holder.join(30)
        # then the batch's transaction left nothing half-written: claims from the fifth on are not reviewed
        reviewed = _reviewed(ids)
        assert reviewed <= 4
        assert _reviewed(ids[4:]) == 0
        # and every claim not reviewed still has its message, unacknowledged, in the broker (acks after commit)
        assert len(_unacked_tags(client, queue)) == len(ids) - reviewed
        # and a new worker starts, and the periodic sweep re-queues what was lost (short threshold)
        second = _worker(f"{queue},reviews,celery")
        aid.requeue_stale_reviews(older_than=dt.timedelta(0))  # to the reviews queue, which the new worker reads
        _wait(lambda: _reviewed(ids) == len(ids), what="every review")
        _wait(lambda: _queue_empty(queue), what="the queue drained (duplicates included)")
    finally:
        release.set()
        app.conf.task_always_eager = True
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=30)
        # the killed worker's messages (reviewed since through the sweep) leave the broker with the test
        tags = _unacked_tags(client, queue)
        if tags:
            client.hdel("unacked", *tags)
            client.zrem("unacked_index", *tags)
        client.delete(queue)
    # then every claim was reviewed exactly once
    _assert_reviewed_exactly_once(ids)


def _unacked_tags(client, queue: str) -> list:
    """Delivery tags of the messages of ``queue`` held unacknowledged in the Redis broker (kombu keeps each as
    [message, exchange, routing key] in the hash "unacked"). Counted by queue, not by the hash's size: another
    run's leftovers may be restored by a new worker meanwhile (their visibility timeout is past when the tests
    run on a later date)."""
    return [tag for tag, value in client.hgetall("unacked").items() if json.loads(value)[2] == queue]


def _worker_waits_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def _queue_empty(queue: str) -> bool:
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL)
    return all(client.llen(name) == 0 for name in (queue, "reviews", "celery"))


# --- b. the broker is down while a claim is filed ------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_claim_filed_while_the_broker_is_down_is_saved_and_reviewed_by_the_sweep(covered, worker, settings):
    from union_portal.celery import app

    # given a broker URL that refuses connections (nothing listens on port 1; the real Redis is untouched)
    previous = app.conf.broker_url, app._pool
    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    app._pool = None
    try:
        # when the worker files a claim
        claim = file_claim(worker, covered)
    finally:
        app.conf.broker_url, app._pool = previous
        app.conf.task_always_eager = True
    # then the claim is saved, waiting for its review
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SUBMITTED
    assert AuditLog.objects.filter(action="mutual_aid.claim_submitted", object_id=str(claim.pk)).exists()
    # and once the broker is back, the periodic sweep reviews it
    Claim.objects.filter(pk=claim.pk).update(updated_at=claim.updated_at - dt.timedelta(minutes=15))
    assert aid.requeue_stale_reviews() == 1
    _assert_reviewed_exactly_once([claim.pk])


@pytest.mark.django_db(transaction=True)
def test_the_claim_page_does_not_fail_when_the_broker_is_down(covered, worker, login):
    # given a broker that refuses connections
    from tests.mutual_aid.conftest import docs
    from union_portal.celery import app

    client = login(worker)
    previous = app.conf.broker_url, app._pool
    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    app._pool = None
    try:
        data = {
            "benefit": "inpatient",
            "hospital": "绍兴市人民医院",
            "admission_date": f"{YEAR}-06-01",
            "discharge_date": f"{YEAR}-06-06",
            "total_amount": "2000.00",
            "self_paid_amount": "1000.00",
            "excluded_amount": "0",
            "invoice_numbers": "INVB000001",
            "consent": "on",
        }
        for kind, upload in docs():
            data[f"doc_{kind}"] = upload
        response = client.post("/mutual-aid/claims/new/", data, secure=True)
    finally:
        app.conf.broker_url, app._pool = previous
        app.conf.task_always_eager = True
    # then the worker is sent on (no 500) and the claim is saved, waiting for its review
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Claim.objects.filter(member=covered, status=Claim.Status.SUBMITTED).count() == 1


# --- c. a database error in the middle of an import ---------------------------------------------------------


def _fail_on_call(k: int, real):
    calls = {"n": 0}

    def wrapper(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == k:
            raise DatabaseError("injected: the database went away")
        return real(*args, **kwargs)

    return wrapper


@pytest.mark.django_db
def test_a_database_error_in_the_middle_of_a_member_import_writes_nothing(tree, handler, monkeypatch):
    from members import imports
    from tests.members.conftest import xlsx_bytes
    from tests.members.test_imports import _row

    # given a clean file of 7 rows, stored in batches of 2, and a database error at the third batch (row 5)
    data = xlsx_bytes(imports.COLUMNS, [_row(name=f"故障{i}", mobile=f"1380000{i:04d}") for i in range(7)])
    monkeypatch.setattr(imports, "BATCH", 2)
    monkeypatch.setattr(imports, "_member_objects", _fail_on_call(3, imports._member_objects))
    monkeypatch.setattr(imports, "_copy_postgres", _fail_on_call(3, imports._copy_postgres))
    members, events = Member.objects.count(), MemberEvent.objects.count()
    # when it is imported
    with pytest.raises(DatabaseError):
        imports.import_file(data, org=tree["KQ-HS-001"], by=handler)
    # then nothing of it was written
    assert Member.objects.filter(name__startswith="故障").count() == 0
    assert (Member.objects.count(), MemberEvent.objects.count()) == (members, events)


@pytest.mark.django_db
def test_a_database_error_in_the_middle_of_a_tax_import_posts_nothing(tree, finance, monkeypatch):
    from funds.models import FundsCollection, FundsImportBatch, JournalEntry, JournalLine, PayrollDeclaration
    from funds.services import IMPORT_OPTIONAL, IMPORT_REQUIRED, funds_import_post, funds_import_preview
    from members.models import Enterprise
    from tests.members.conftest import xlsx_bytes

    hs_firm = Enterprise.objects.get(union=tree["KQ-HS-001"])
    qx_firm = Enterprise.objects.get(union=tree["KQ-QX-001"])
    data = xlsx_bytes(
        IMPORT_REQUIRED + IMPORT_OPTIONAL,
        [
            [hs_firm.uscc, f"{YEAR}-03", "100000", "2000.00", f"{YEAR}-04-15", hs_firm.name, "V1"],
            [qx_firm.uscc, f"{YEAR}-03", "50000", "1000.00", f"{YEAR}-04-16", "", "V2"],
        ],
    )
    batch, errors = funds_import_preview(by=finance, data=data, filename="tax.xlsx")
    assert errors == [] and batch is not None and batch.row_count >= 2
    counts = [m.objects.count() for m in (PayrollDeclaration, JournalEntry, JournalLine, FundsCollection)]
    # a database error at the last write (the collections), after the declarations and journal were written
    monkeypatch.setattr(FundsCollection.objects, "bulk_create", _fail_on_call(1, FundsCollection.objects.bulk_create))
    with pytest.raises(DatabaseError):
        funds_import_post(by=finance, batch=batch)
    assert [m.objects.count() for m in (PayrollDeclaration, JournalEntry, JournalLine, FundsCollection)] == counts
    batch.refresh_from_db()
    assert batch.status == FundsImportBatch.Status.PREVIEWED


@pytest.mark.django_db
def test_a_database_error_in_the_middle_of_an_enrolment_import_writes_nothing(scheme, member, handler, monkeypatch):
    from mutual_aid.models import Cover
    from tests.mutual_aid.conftest import make_member

    # given a list of members of the union (as the Excel enrolment reads it) and an error writing their cover
    org = member.org
    members = [make_member(org, name=f"投保{i}") for i in range(5)]
    benefit = scheme.benefits.get(kind="inpatient")
    enrolments, covers = Enrolment.objects.count(), Cover.objects.count()
    monkeypatch.setattr(Cover.objects, "bulk_create", _fail_on_call(1, Cover.objects.bulk_create))
    with pytest.raises(DatabaseError):
        aid.enrolment_create(by=handler, benefit=benefit, org=org, members=members)
    # then no enrolment and no cover was written
    assert (Enrolment.objects.count(), Cover.objects.count()) == (enrolments, covers)

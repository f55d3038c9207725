"""Benchmark of the automatic review: N submitted claims reviewed by one real Celery worker process against
the configured broker (Redis) and database (PostgreSQL), and the reviewers' queue at scale.

Run: ``DATABASE_URL=postgres://… REDIS_URL=redis://… python manage.py bench_mutual_aid_review --claims 10000``.
Bench rows live under their own grassroots union (code BENCH-MA) and can be removed with ``--clean``."""

import contextlib
import datetime as dt
import os
import subprocess
import sys
import time
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from members.models import Member
from mutual_aid import services
from mutual_aid.models import Claim, ClaimDocument, ClaimEvent, ClaimInvoice, Cover, Enrolment, Ledger, Scheme
from mutual_aid.rules import INPATIENT_DOCUMENTS
from union_portal.identity import id_number_hash, make_id_number
from union_portal.models import OrgUnit

BENCH_CODE = "BENCH-MA"
QUEUE = "bench-mutual-aid"
# The bench members' ID numbers start with a region code that no generator uses (bench.synthetic's regions,
# members.demo's, bench.members_import's): they cannot collide with a generated person's number whatever the
# data, so ``one_active_membership_per_person`` holds by construction. 330600 is Shaoxing's city code (市辖区),
# a valid region prefix that is nobody's birthplace in the generated data (tests/bench pins both).
BENCH_REGION = "330600"
BENCH_PER_DAY = 500  # bench members born on one day: sequence numbers 0-999, the last digit's parity the sex


def bench_id_number(i: int) -> tuple[str, str, dt.date]:
    """The i-th bench member's (ID number, sex, birth date): distinct for every i, valid, and the sequence's
    parity the sex (odd: man), as on a real card."""
    sex = "M" if i % 2 else "F"
    birth = dt.date(1970, 1, 1) + dt.timedelta(days=i // BENCH_PER_DAY)
    return make_id_number(BENCH_REGION, birth, i % BENCH_PER_DAY), sex, birth  # BENCH_PER_DAY is even


def _bench_union() -> OrgUnit:
    union = OrgUnit.objects.filter(code=BENCH_CODE).first()
    if union:
        return union
    township = OrgUnit.objects.get(code="KQ-HS")
    return OrgUnit.objects.add_child(township, {"code": BENCH_CODE, "name": "互助压测工会", "kind": "grassroots"})


def clean(out) -> None:
    union = OrgUnit.objects.filter(code=BENCH_CODE).first()
    if union is None:
        return
    with transaction.atomic():
        claims = Claim.objects.filter(member__org=union)
        ClaimEvent.objects.filter(claim__in=claims).delete()
        ClaimDocument.objects.filter(claim__in=claims).delete()
        ClaimInvoice.objects.filter(claim__in=claims).delete()
        claims.delete()
        Ledger.objects.filter(member__org=union).delete()
        Cover.objects.filter(member__org=union).delete()
        Enrolment.objects.filter(org=union).delete()
        Member.objects.filter(org=union).delete()
    out(f"removed the bench rows of {BENCH_CODE}")


def setup_members(*, count: int, out) -> tuple[Scheme, list[Member]]:
    """``count`` bench members enrolled in inpatient aid, cover confirmed on the period's 5 January."""
    User = get_user_model()
    admin = User.objects.get(username="district_admin")
    finance = User.objects.get(username="finance")
    year = timezone.localdate().year
    scheme = Scheme.objects.filter(year=year).first() or services.scheme_create(by=admin, year=year)
    union = _bench_union()
    existing = Member.objects.filter(org=union).count()
    if existing < count:
        rows = []
        for i in range(existing, count):
            number, sex, birth = bench_id_number(i)
            rows.append(
                Member(
                    member_number=f"BMA{i:08d}",
                    name=f"压测{i}",
                    id_number=number,
                    id_number_hash=id_number_hash(number),
                    sex=sex,
                    birth_date=birth,
                    mobile="",
                    bank_account="6222000011112222333",
                    bank_name="工商银行",
                    org=union,
                    joined_on=dt.date(2015, 1, 1),
                )
            )
        Member.objects.bulk_create(rows, batch_size=2000)
    benefit = scheme.benefits.get(kind="inpatient")
    members = list(Member.objects.filter(org=union).order_by("pk")[:count])
    if not Enrolment.objects.filter(scheme=scheme, benefit=benefit, org=union).exists():
        enrolment = services.enrolment_create(by=admin, benefit=benefit, org=union, members=members)
        services.enrolment_confirm_payment(
            by=finance,
            enrolment=enrolment,
            reference="BENCH",
            on=dt.datetime(year, 1, 5, 9, tzinfo=timezone.get_current_timezone()),
        )
    out(f"{len(members)} bench members enrolled in {scheme}")
    return scheme, members


def create_claims(*, scheme: Scheme, members: list[Member], count: int, status: Claim.Status, out) -> list[int]:
    """Bulk-insert ``count`` claims (with invoices and the six documents' rows) as the service would leave
    them; returns their ids. Files are not written: the review reads the document kinds only."""
    benefit = scheme.benefits.get(kind="inpatient")
    version = benefit.versions.order_by("effective_from").first()
    filer = get_user_model().objects.get(username="handler")
    now = timezone.now()
    start = max(scheme.starts_on + dt.timedelta(days=40), dt.date(scheme.year, 2, 15))
    span = max(1, min((timezone.localdate() - start).days - 3, 300))
    seq = Claim.objects.count()
    ids: list[int] = []
    batch = 2000
    for offset in range(0, count, batch):
        rows = []
        for i in range(offset, min(count, offset + batch)):
            member = members[i % len(members)]
            admitted = start + dt.timedelta(days=(i // len(members)) * 3 % span)
            rows.append(
                Claim(
                    member=member,
                    scheme=scheme,
                    benefit=benefit,
                    rule_version=version,
                    filed_by=filer,
                    status=status,
                    hospital="压测医院",
                    admission_date=admitted,
                    discharge_date=admitted + dt.timedelta(days=1),
                    total_amount=Decimal("3000.00"),
                    self_paid_amount=Decimal("1500.00"),
                    payee_bank_account="6222000011112222333",
                    payee_bank_name="工商银行",
                    consent_version=services.CONSENT_VERSION,
                    consent_at=now,
                    submitted_at=now - dt.timedelta(minutes=count - i),
                    auto_passed=True if status != Claim.Status.SUBMITTED else None,
                )
            )
        created = Claim.objects.bulk_create(rows)
        new_ids = [c.pk for c in created]
        ClaimInvoice.objects.bulk_create(
            [ClaimInvoice(claim_id=pk, number=f"B{seq + j + offset:010d}") for j, pk in enumerate(new_ids)]
        )
        if status == Claim.Status.SUBMITTED:
            ClaimDocument.objects.bulk_create(
                [
                    ClaimDocument(
                        claim_id=pk,
                        kind=kind,
                        file=f"bench/{pk}-{kind}.pdf",
                        content_kind="pdf",
                        original_name=f"{kind}.pdf",
                        uploaded_by=filer,
                    )
                    for pk in new_ids
                    for kind in INPATIENT_DOCUMENTS
                ]
            )
        ids.extend(new_ids)
    with connection.cursor() as cursor:  # fresh planner statistics, as autovacuum keeps them in production
        for table in ("mutual_aid_claim", "mutual_aid_claiminvoice", "mutual_aid_claimdocument", "mutual_aid_ledger"):
            cursor.execute(f"ANALYZE {table}")
    out(f"{len(ids)} {status} claims created")
    return ids


def _worker_env() -> dict:
    db = connection.settings_dict
    env = dict(os.environ)
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    env.update(
        DATABASE_URL=f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        REDIS_URL=settings.REDIS_URL,
        CELERY_TASK_ALWAYS_EAGER="0",
    )
    return env


def _cpu_s(pid: int, *, children: bool = False) -> float:
    """User + system CPU seconds of a local process (Linux /proc); with ``children``, plus those of its children
    it waited for (cutime + cstime) and of its live descendants (a prefork pool's processes). 0.0 when it is
    gone or unreadable."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        ticks = int(fields[11]) + int(fields[12])
        if children:
            ticks += int(fields[13]) + int(fields[14])
    except (OSError, IndexError, ValueError):
        return 0.0
    seconds = ticks / os.sysconf("SC_CLK_TCK")
    if children:
        for child in _children(pid):
            seconds += _cpu_s(child, children=True)
    return seconds


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found.extend(int(c) for c in f.read().split())
    except (OSError, ValueError):
        pass
    return found


def _db_backends() -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        return {row[0] for row in cursor.fetchall()}


def _db_transactions() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()")
        return cursor.fetchone()[0]


def run_review(
    *, ids: list[int], out, pool: str = "solo", concurrency: int = 1, batch: int = 0, timeout: float = 1800.0
) -> dict:
    """Queue one review task per claim (or, with ``batch``, one batch task per ``batch`` claims, as the
    stale-review sweep does), then start ONE Celery worker process on a private queue (solo pool, or a thread
    pool inside that one process) and measure how fast it drains it. Returns the figures, with the CPU time
    of the worker process and of its PostgreSQL backends per claim and the database transactions per claim,
    counted from the first reviewed claim (the worker's start-up is left out)."""
    from mutual_aid.tasks import auto_review_batch_task, auto_review_task
    from union_portal.celery import app

    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        raise RuntimeError("the benchmark needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL)")
    app.conf.task_always_eager = False
    with app.connection_for_write() as conn:
        with contextlib.suppress(Exception):  # leftovers of an interrupted run; no queue yet is fine
            conn.default_channel.queue_purge(QUEUE)
    t0 = time.perf_counter()
    with app.producer_or_acquire() as producer:
        if batch:
            for i in range(0, len(ids), batch):
                items = [[pk, 1] for pk in ids[i : i + batch]]
                auto_review_batch_task.apply_async(args=[items], queue=QUEUE, producer=producer)
        else:
            for pk in ids:
                auto_review_task.apply_async(args=[pk, 1], queue=QUEUE, producer=producer)
    enqueue_s = time.perf_counter() - t0
    out(f"queued {len(ids)} claims in {enqueue_s:.1f}s")
    own_backend = connection.connection.info.backend_pid
    before_backends = _db_backends()
    xact_start = _db_transactions()
    own_statements = [0]  # this process's statements while the worker runs: each one a transaction (autocommit)

    def count_own(execute, sql, params, many, context):
        own_statements[0] += 1
        return execute(sql, params, many, context)

    proc = subprocess.Popen(  # noqa: S603 - a fixed command line: this interpreter running celery
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "union_portal",
            "worker",
            "-P",
            pool,
            "-c",
            str(concurrency),
            "-Q",
            QUEUE,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "warning",
        ],
        env=_worker_env(),
        cwd=settings.BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    started = time.perf_counter()
    measuring = False
    done = first_done = polls = 0
    cpu_first = 0.0
    db_first: dict[int, float] = {}  # backend pid -> CPU seconds when first seen while measuring
    db_last: dict[int, float] = {}

    def sample_backends() -> None:
        # The worker's backends: new since it started (it opens one per thread, and a new one after every
        # CELERY_DB_REUSE_MAX tasks); one that appears while measuring is counted from zero.
        for pid in _db_backends() - before_backends - {own_backend}:
            cpu = _cpu_s(pid)
            db_first.setdefault(pid, cpu if not measuring else 0.0)
            db_last[pid] = max(cpu, db_last.get(pid, 0.0))

    own = contextlib.ExitStack()
    own.enter_context(connection.execute_wrapper(count_own))
    try:
        while time.perf_counter() - started < timeout:
            done = Claim.objects.filter(pk__gte=min(ids), pk__lte=max(ids), auto_reviewed_submission__gte=1).count()
            if done and not measuring:
                sample_backends()
                measuring, first_done = True, done
                cpu_first = _cpu_s(proc.pid, children=True)
            elif measuring:
                sample_backends()
                cpu_last, last_done = _cpu_s(proc.pid, children=True), done
                polls += 1
            if done >= len(ids):
                break
            time.sleep(0.25)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        own.close()
    wall = time.perf_counter() - started
    # The database's transaction count over the whole run, once every backend has reported it (a backend sends its
    # counts at most once a second, and when it exits: this process's connection is closed and opened again),
    # less this process's own statements: the worker's transactions, start-up and shutdown included.
    time.sleep(1.5)
    connection.close()
    time.sleep(0.5)
    xact_end = _db_transactions()  # (this read's own statements are not in it yet)
    worker_xacts = xact_end - xact_start - own_statements[0] - 2  # less the two statements of the first read
    reviewed = Claim.objects.filter(pk__gte=min(ids), pk__lte=max(ids), auto_reviewed_submission__gte=1)
    span = reviewed.order_by("updated_at").values_list("updated_at", flat=True)
    first, last = span.first(), span.last()
    busy = (last - first).total_seconds() if first and last else 0.0
    events = ClaimEvent.objects.filter(claim_id__in=ids[:2000], action="auto_reviewed").count()
    figures = {
        "worker": f"1 process, pool={pool}, concurrency={concurrency}",
        "tasks": f"one per {batch} claims (auto_review_batch_task)" if batch else "one per claim (auto_review_task)",
        "claims": len(ids),
        "reviewed": reviewed.count(),
        "wall_s": round(wall, 2),
        "busy_s": round(busy, 2),
        "claims_per_s_busy": round(reviewed.count() / busy, 1) if busy else None,
        "claims_per_s_wall": round(reviewed.count() / wall, 1) if wall else None,
        "events_per_claim_sample": round(events / min(2000, len(ids)), 3),
    }
    measured = last_done - first_done if polls else 0
    if measured > 0:
        db_cpu = sum(db_last[pid] - db_first[pid] for pid in db_last)
        figures.update(
            worker_cpu_ms_per_claim=round((cpu_last - cpu_first) * 1000 / measured, 2),
            db_backend_cpu_ms_per_claim=round(db_cpu * 1000 / measured, 2),
            db_transactions_per_claim=round(worker_xacts / max(1, reviewed.count()), 3),
            load_average=os.getloadavg()[0],
        )
    return figures


def queue_queries(*, out) -> dict:
    """The reviewers' queue page (first page and a deep page) for reviewer1: queries and time."""
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.cache import SessionStore
    from django.test import RequestFactory

    from mutual_aid.views import queue

    reviewer = get_user_model().objects.get(username="reviewer1")
    results = {}
    for label, query in (
        ("warm-up (template compile)", ""),
        ("first page", ""),
        ("page 500", "page=500"),
        ("failed only", "findings=failed"),
    ):
        request = RequestFactory().get(f"/mutual-aid/queue/?{query}")
        request.user = reviewer
        request.session = SessionStore()
        request._messages = FallbackStorage(request)
        reviewer._portal_assignments = None
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = queue(request)
            elapsed = time.perf_counter() - t0
        assert response.status_code == 200
        results[label] = {"queries": len(ctx.captured_queries), "ms": round(elapsed * 1000, 1)}
    return results

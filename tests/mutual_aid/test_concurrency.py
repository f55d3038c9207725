"""Money safety under real concurrent transactions on PostgreSQL (threads, one connection each)."""

import datetime as dt
import time
from decimal import Decimal

import pytest
from django.db import connection

from mutual_aid import services
from mutual_aid.models import Claim, Ledger
from tests.races import run_together
from union_portal.payments.models import Payment

from .conftest import YEAR, file_claim

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_concurrent_approvals_never_pay_past_the_cap(covered, worker, reviewer1, reviewer2, monkeypatch):
    # given two claims of one member each worth the whole cap, both through first review
    a = services.auto_review(file_claim(worker, covered, base="60000.00").pk)
    b = services.auto_review(file_claim(worker, covered, base="60000.00", admission=dt.date(YEAR, 8, 1)).pk)
    services.claim_approve(by=reviewer1, claim=a)
    services.claim_approve(by=reviewer1, claim=b)
    Ledger.objects.create(scheme=a.scheme, member=covered)  # exists already, as after any earlier claim
    # when reviewer2 approves both at the same moment on two connections (the computation is slowed so that
    # both transactions are inside the money decision together: without the ledger lock both read 0 used)
    compute = services.compute_for_claim

    def slow_compute(claim, ledger):
        time.sleep(0.5)
        return compute(claim, ledger)

    monkeypatch.setattr(services.decisions, "compute_for_claim", slow_compute)
    results = run_together(
        lambda: services.claim_approve(by=reviewer2, claim=a), lambda: services.claim_approve(by=reviewer2, claim=b)
    )
    # then both succeed, and together they never exceed the 30,000 cap
    assert all(isinstance(r, Claim) for r in results), results
    amounts = sorted(Claim.objects.filter(pk__in=[a.pk, b.pk]).values_list("approved_amount", flat=True))
    assert amounts == [Decimal("0.00"), Decimal("30000.00")]
    ledger = Ledger.objects.get(member=covered)
    assert ledger.inpatient_paid == Decimal("30000.00") and ledger.cumulative_base == Decimal("120000.00")


def test_the_ledger_is_locked_for_update_when_money_is_decided(covered, worker, reviewer1, reviewer2):
    from django.test.utils import CaptureQueriesContext

    claim = services.auto_review(file_claim(worker, covered).pk)
    services.claim_approve(by=reviewer1, claim=claim)
    with CaptureQueriesContext(connection) as ctx:
        services.claim_approve(by=reviewer2, claim=claim)
    assert any('FROM "mutual_aid_ledger"' in q["sql"] and "FOR UPDATE" in q["sql"] for q in ctx.captured_queries)


def test_two_finance_officers_marking_one_payment_pay_it_once(covered, worker, reviewer1, reviewer2, finance):
    claim = services.auto_review(file_claim(worker, covered).pk)
    services.claim_approve(by=reviewer1, claim=claim)
    services.claim_approve(by=reviewer2, claim=claim)
    batch = services.batch_create(by=finance)
    payment = batch.payments.get()
    results = run_together(
        lambda: services.payment_mark_paid(by=finance, payment=payment, reference="R1"),
        lambda: services.payment_mark_paid(by=finance, payment=payment, reference="R2"),
    )
    assert sum(isinstance(r, Payment) for r in results) == 1
    assert Payment.objects.filter(claim=claim, status="paid").count() == 1


def test_two_concurrent_batches_take_each_claim_once(covered, worker, reviewer1, reviewer2, finance):
    claim = services.auto_review(file_claim(worker, covered).pk)
    services.claim_approve(by=reviewer1, claim=claim)
    services.claim_approve(by=reviewer2, claim=claim)
    results = run_together(lambda: services.batch_create(by=finance), lambda: services.batch_create(by=finance))
    assert sum(not isinstance(r, Exception) for r in results) == 1
    assert Payment.objects.filter(claim=claim).count() == 1


def test_a_duplicated_review_task_running_concurrently_leaves_one_result(covered, worker):
    claim = file_claim(worker, covered)
    run_together(lambda: services.auto_review(claim.pk, 1), lambda: services.auto_review(claim.pk, 1))
    assert claim.events.filter(action="auto_reviewed").count() == 1


def test_overlapping_batches_and_a_lone_review_running_concurrently_leave_one_result_each(covered, worker):
    # given four claims, asked for by two batches (listed in opposite orders) and a lone task at the same moment
    claims = [file_claim(worker, covered, admission=dt.date(YEAR, 3, 1) + dt.timedelta(days=10 * i)) for i in range(4)]
    items = [(c.pk, 1) for c in claims]
    results = run_together(
        lambda: services.auto_review_many(items, raise_errors=False),
        lambda: services.auto_review_many(list(reversed(items)), raise_errors=False),
        lambda: services.auto_review(claims[2].pk, 1),
    )
    # then nothing failed (the rows are locked in pk order: no deadlock) and each claim was reviewed once
    assert not any(isinstance(r, Exception) for r in results), results
    for claim in claims:
        assert claim.events.filter(action="auto_reviewed").count() == 1
        assert Claim.objects.get(pk=claim.pk).status == Claim.Status.FIRST_REVIEW


def test_one_return_file_imported_twice_at_once_pays_each_claim_once(covered, worker, reviewer1, reviewer2, finance):
    # given a batch of two approved claims and the bank's return file saying both were paid
    claims = []
    for month in (6, 7):
        claim = services.auto_review(file_claim(worker, covered, admission=dt.date(YEAR, month, 1)).pk)
        services.claim_approve(by=reviewer1, claim=claim)
        claims.append(services.claim_approve(by=reviewer2, claim=claim))
    batch = services.batch_create(by=finance)
    pa, pb = batch.payments.order_by("id")
    lines = ["序号,收款账号,金额,状态,银行流水号,失败原因"]
    lines += [f"{i},{p.bank_account},{p.amount},成功,R{i}," for i, p in enumerate((pa, pb), start=1)]
    data = "\n".join(lines).encode("utf-8-sig")
    # when two finance sessions import it at the same moment
    results = run_together(
        lambda: services.batch_apply_return_file(by=finance, batch=batch, data=data),
        lambda: services.batch_apply_return_file(by=finance, batch=batch, data=data),
    )
    # then one import pays both, the other finds them recorded (the claims' locks serialise the two)
    assert sorted((r.paid, r.skipped) for r in results) == [(0, 2), (2, 0)]
    assert Payment.objects.filter(batch=batch, status="paid").count() == 2
    assert set(Claim.objects.filter(pk__in=[c.pk for c in claims]).values_list("status", flat=True)) == {"paid"}

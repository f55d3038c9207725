"""The automatic review of many claims at once (auto_review_many, the batch task, the stale-review sweep): same
findings as a lone review, one result per submission however often it runs, and a bounded number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import Member, MemberEvent
from members.selectors import member_status_on
from mutual_aid import services, tasks
from mutual_aid.models import Claim, ClaimEvent
from union_portal.models import AuditLog

from .conftest import YEAR, file_claim

pytestmark = pytest.mark.django_db


def _statements(ctx) -> list[str]:
    """The statements run, without the savepoints of the test's own wrapping transaction."""
    return [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


def _claims(worker, member, n):
    return [file_claim(worker, member, admission=dt.date(YEAR, 3, 1) + dt.timedelta(days=10 * i)) for i in range(n)]


def test_a_batch_reviews_each_claim_as_a_lone_review_would(covered, worker):
    # given four claims, two of which share an invoice and overlap
    lone = [
        file_claim(worker, covered, invoice_numbers=["X1"]),
        file_claim(worker, covered, admission=dt.date(YEAR, 1, 20), days=2),
    ]
    batch = [
        file_claim(worker, covered, invoice_numbers=["X2"]),
        file_claim(worker, covered, admission=dt.date(YEAR, 1, 20), days=2),
    ]
    # when two are reviewed one by one (each sees the other as overlapping, the second too early) and two in a batch
    lone = [services.auto_review(c.pk) for c in lone]
    services.auto_review_many([(c.pk, 1) for c in batch])
    batch = [Claim.objects.get(pk=c.pk) for c in batch]
    # then the findings and amounts have the same shape
    for a, b in zip(lone, batch, strict=True):
        assert b.status == Claim.Status.FIRST_REVIEW
        assert [(c["code"], c["ok"]) for c in a.auto_checks] == [(c["code"], c["ok"]) for c in b.auto_checks]
        assert (a.proposed_amount, a.working) == (b.proposed_amount, b.working)
        assert b.events.get(action="auto_reviewed").note == a.events.get(action="auto_reviewed").note
    # and the audit rows say the same as audit_record wrote for the lone reviews
    for a, b in zip(lone, batch, strict=True):
        rows = [AuditLog.objects.get(action="mutual_aid.claim_auto_reviewed", object_id=str(c.pk)) for c in (a, b)]
        assert [(r.actor_id, r.actor_name, r.object_type, r.result, r.detail) for r in rows[:1]] == [
            (r.actor_id, r.actor_name, r.object_type, r.result, r.detail) for r in rows[1:]
        ]
    assert rows[1].detail["note"] == "WAITING_PERIOD,STAY_OVERLAP"


def test_a_redelivered_batch_task_leaves_one_result_per_claim(covered, worker):
    # given three claims, one of which also got its own per-claim task
    claims = _claims(worker, covered, 3)
    items = [[c.pk, c.submission] for c in claims]
    tasks.auto_review_task.delay(claims[0].pk, 1)
    # when the batch task is delivered twice (worker lost after the commit, before the ack)
    tasks.auto_review_batch_task.delay(items)
    tasks.auto_review_batch_task.delay(items)
    # then each claim has one review event and one audit row
    for claim in claims:
        assert ClaimEvent.objects.filter(claim=claim, action="auto_reviewed").count() == 1
        assert AuditLog.objects.filter(action="mutual_aid.claim_auto_reviewed", object_id=str(claim.pk)).count() == 1
        claim.refresh_from_db()
        assert claim.status == Claim.Status.FIRST_REVIEW and claim.auto_reviewed_submission == 1


def test_a_batch_leaves_alone_claims_not_due(covered, worker, reviewer1):
    # given a reviewed claim, a claim returned and re-submitted (submission 2), and a fresh one
    reviewed = services.auto_review(file_claim(worker, covered).pk)
    returned = services.auto_review(file_claim(worker, covered, admission=dt.date(YEAR, 7, 1)).pk)
    services.claim_return(by=reviewer1, claim=returned, documents=["invoice"])
    Claim.objects.filter(pk=returned.pk).update(status=Claim.Status.SUBMITTED, submission=2)
    fresh = file_claim(worker, covered, admission=dt.date(YEAR, 8, 1))
    # when a batch asks for submission 1 of all three
    services.auto_review_many([(reviewed.pk, 1), (returned.pk, 1), (fresh.pk, 1)])
    # then only the fresh claim is reviewed: the stale request for the re-submitted claim is ignored
    assert ClaimEvent.objects.filter(claim=reviewed, action="auto_reviewed").count() == 1
    assert ClaimEvent.objects.filter(claim=returned, action="auto_reviewed").count() == 1
    assert Claim.objects.get(pk=returned.pk).status == Claim.Status.SUBMITTED
    assert Claim.objects.get(pk=fresh.pk).status == Claim.Status.FIRST_REVIEW
    # and asking for the current submission (or none) reviews it
    services.auto_review_many([(returned.pk, None)])
    assert Claim.objects.get(pk=returned.pk).auto_reviewed_submission == 2


def test_a_claim_whose_checks_fail_is_left_submitted_and_the_others_reviewed(covered, worker, monkeypatch):
    claims = _claims(worker, covered, 3)
    run_checks = services.run_checks

    def broken(claim, documents=None):
        if claim.pk == claims[1].pk:
            raise RuntimeError("bad rules")
        return run_checks(claim, documents)

    monkeypatch.setattr(services.review, "run_checks", broken)
    tasks.auto_review_batch_task.delay([[c.pk, 1] for c in claims])
    statuses = [Claim.objects.get(pk=c.pk).status for c in claims]
    assert statuses == [Claim.Status.FIRST_REVIEW, Claim.Status.SUBMITTED, Claim.Status.FIRST_REVIEW]
    # while a lone review (the on-commit task) still raises, so Celery records the failure
    with pytest.raises(RuntimeError):
        services.auto_review(claims[1].pk)


def test_a_batch_costs_the_same_queries_for_one_claim_or_many(covered, worker):
    # One transaction: SET LOCAL (PostgreSQL only), SELECT ... FOR UPDATE with the checks' data,
    # SELECT documents, UPDATE claims, INSERT events, INSERT audit rows.
    few, many = _claims(worker, covered, 2), _claims(worker, covered, 12)
    with CaptureQueriesContext(connection) as ctx_few:
        services.auto_review_many([(c.pk, 1) for c in few])
    with CaptureQueriesContext(connection) as ctx_many:
        services.auto_review_many([(c.pk, 1) for c in many])
    assert len(_statements(ctx_few)) == len(_statements(ctx_many))
    assert len(_statements(ctx_many)) <= 6, [q[:80] for q in _statements(ctx_many)]
    assert Claim.objects.filter(status=Claim.Status.FIRST_REVIEW).count() == 14


def test_a_lone_review_reads_and_writes_in_a_few_queries(covered, worker):
    claim = file_claim(worker, covered)
    with CaptureQueriesContext(connection) as ctx:
        services.auto_review(claim.pk, 1)
    # SET LOCAL (PostgreSQL), SELECT FOR UPDATE, documents, UPDATE, INSERT event, INSERT audit
    assert len(_statements(ctx)) <= 6, [q[:80] for q in _statements(ctx)]


@pytest.mark.parametrize(
    "on",
    [dt.date(2019, 12, 31), dt.date(2020, 1, 1), dt.date(YEAR, 3, 31), dt.date(YEAR, 4, 1), dt.date(YEAR, 5, 15)],
)
@pytest.mark.parametrize("history", ["none", "left", "retired_then_left", "edit_only"])
def test_the_status_read_with_the_claim_matches_member_status_on(covered, worker, on, history):
    # given a member (joined 2020-01-01 in the fixtures) with a claim and a membership history
    member = covered
    claim = file_claim(worker, member)
    Claim.objects.filter(pk=claim.pk).update(admission_date=on, discharge_date=on)
    if history == "none":
        member.events.all().delete()
    if history in ("left", "retired_then_left"):
        if history == "retired_then_left":
            MemberEvent.objects.create(
                member=member,
                kind="status",
                effective_on=dt.date(YEAR, 3, 1),
                from_status="active",
                to_status="retired",
            )
        MemberEvent.objects.create(
            member=member,
            kind="status",
            effective_on=dt.date(YEAR, 4, 1),
            from_status="retired" if history == "retired_then_left" else "active",
            to_status="left",
        )
    if history == "edit_only":
        MemberEvent.objects.create(member=member, kind="edited", effective_on=dt.date(YEAR, 4, 1))
    Member.objects.filter(pk=member.pk).update(status="left" if "left" in history else "active")
    # when the review reads the claim with its status subqueries
    read = services._review_queryset().select_related("member").get(pk=claim.pk)
    # then it answers as the members app does
    assert services._status_on_admission(read) == member_status_on(member=Member.objects.get(pk=member.pk), on=on)

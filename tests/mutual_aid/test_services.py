import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from mutual_aid import services
from mutual_aid.models import Claim, Cover, Enrolment, Ledger
from tests import clock
from tests.factories import make_member
from union_portal.models import Notification
from union_portal.payments.models import Payment

from .conftest import YEAR, approve_twice, enrol_and_pay, file_claim, pdf

pytestmark = pytest.mark.django_db


def test_a_unit_below_the_participation_minimum_cannot_enrol(scheme, tree, handler, member):
    # given 5 active members in the union, 80% minimum = 4
    others = [make_member(member.org) for _ in range(4)]
    benefit = scheme.benefits.get(kind="inpatient")
    with pytest.raises(ValidationError, match="4"):
        services.enrolment_create(by=handler, benefit=benefit, org=member.org, members=[member, *others[:2]])
    assert not Enrolment.objects.exists()
    enrolment = services.enrolment_create(by=handler, benefit=benefit, org=member.org, members=[member, *others[:3]])
    assert enrolment.premium_due == Decimal("240.00")


def test_a_large_unit_needs_only_half(scheme):
    scheme.large_unit_size = 1000
    assert services.participation_minimum(scheme=scheme, eligible=1000) == 500
    assert services.participation_minimum(scheme=scheme, eligible=999) == 800


def test_a_handler_cannot_enrol_another_unions_members(scheme, tree, handler_qixian, member):
    with pytest.raises(PermissionDenied):
        services.enrolment_create(
            by=handler_qixian, benefit=scheme.benefits.get(kind="inpatient"), org=member.org, members=[member]
        )


def test_cover_starts_the_day_after_payment_with_a_waiting_period(scheme, member, handler, finance):
    enrolment = enrol_and_pay(
        scheme=scheme, kind="inpatient", org=member.org, members=[member], handler=handler, finance=finance
    )
    cover = Cover.objects.get(enrolment=enrolment)
    assert enrolment.cover_starts_on == dt.date(YEAR, 1, 6)
    assert cover.starts_on == dt.date(YEAR, 1, 6) and cover.waiting_ends_on == dt.date(YEAR, 2, 5)


def test_a_member_covered_last_period_has_no_waiting_period(district_admin, member, handler, finance):
    old = services.scheme_create(by=district_admin, year=YEAR - 1)
    enrol_and_pay(
        scheme=old,
        kind="inpatient",
        org=member.org,
        members=[member],
        handler=handler,
        finance=finance,
        on=dt.datetime(YEAR - 1, 1, 2, tzinfo=timezone.get_current_timezone()),
    )
    new = services.scheme_create(by=district_admin, year=YEAR)
    enrolment = enrol_and_pay(
        scheme=new, kind="inpatient", org=member.org, members=[member], handler=handler, finance=finance
    )
    cover = Cover.objects.get(enrolment=enrolment)
    assert cover.continuing and cover.waiting_ends_on == cover.starts_on


def test_the_womens_package_refuses_men(scheme, member, handler):
    man = make_member(member.org, sex="M")
    with pytest.raises(ValidationError):
        services.enrolment_create(
            by=handler, benefit=scheme.benefits.get(kind="female_disease"), org=member.org, members=[member, man]
        )


def test_a_claim_is_reviewed_automatically_with_a_proposed_amount(covered, worker):
    claim = file_claim(worker, covered)
    assert claim.status == Claim.Status.SUBMITTED and claim.consent_version == services.CONSENT_VERSION
    claim = services.auto_review(claim.pk)
    assert claim.status == Claim.Status.FIRST_REVIEW
    assert claim.auto_passed, claim.auto_checks
    assert claim.proposed_amount == Decimal("5700.00")
    assert claim.working["lines"][1]["rate"] == "0.5"


def test_the_automatic_review_runs_after_commit(covered, worker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        claim = file_claim(worker, covered)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.FIRST_REVIEW


def test_a_redelivered_review_task_leaves_one_result(covered, worker):
    claim = file_claim(worker, covered)
    services.auto_review(claim.pk, 1)
    services.auto_review(claim.pk, 1)
    assert claim.events.filter(action="auto_reviewed").count() == 1


def test_automatic_review_flags_waiting_period_reused_invoice_and_overlap(covered, worker):
    first = file_claim(worker, covered, invoice_numbers=["A1"])
    services.auto_review(first.pk)
    second = file_claim(worker, covered, invoice_numbers=["A1"], admission=dt.date(YEAR, 6, 3))
    early = file_claim(worker, covered, admission=dt.date(YEAR, 1, 20), days=2)
    second, early = services.auto_review(second.pk), services.auto_review(early.pk)
    failed = {c["code"] for c in second.auto_checks if not c["ok"]}
    assert failed == {"INVOICE_REUSED", "STAY_OVERLAP"}
    assert {c["code"] for c in early.auto_checks if not c["ok"]} == {"WAITING_PERIOD"}
    assert f"{YEAR}-02-05" in services.check_message(next(c for c in early.auto_checks if not c["ok"]))


def test_a_claim_for_someone_not_covered_is_refused(scheme, member, worker):
    with pytest.raises(ValidationError) as exc:
        file_claim(worker, member)
    assert "benefit" in exc.value.message_dict
    assert not Claim.objects.exists()


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("self_paid_amount", {"self_paid_amount": Decimal("-1")}),
        ("self_paid_amount", {"total_amount": Decimal("100"), "self_paid_amount": Decimal("200")}),
        ("total_amount", {"total_amount": "abc"}),
        ("discharge_date", {"admission": dt.date(YEAR, 6, 10), "discharge_date": dt.date(YEAR, 6, 1)}),
        ("discharge_date", {"admission": clock.current_date() - dt.timedelta(days=10), "days": 30}),  # in the future
        ("consent", {"consent": False}),
    ],
)
def test_bad_claim_input_is_a_clear_error_and_saves_nothing(covered, worker, field, kwargs):
    with pytest.raises(ValidationError) as exc:
        file_claim(worker, covered, **kwargs)
    assert field in exc.value.message_dict
    assert not Claim.objects.exists()


def test_a_document_that_is_not_what_its_extension_says_is_refused(covered, worker):
    fake = SimpleUploadedFile("invoice.pdf", b"\x89PNG\r\n\x1a\n0000", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        file_claim(worker, covered, documents=[("invoice", fake)])
    assert "documents" in exc.value.message_dict and not Claim.objects.exists()


def test_a_stranger_cannot_file_for_a_member(covered, handler_qixian):
    with pytest.raises(PermissionDenied):
        file_claim(handler_qixian, covered)


def test_the_same_reviewer_cannot_do_both_reviews(covered, worker, reviewer1):
    claim = services.auto_review(file_claim(worker, covered).pk)
    services.claim_approve(by=reviewer1, claim=claim)
    with pytest.raises(ValidationError, match="不同"):
        services.claim_approve(by=reviewer1, claim=claim)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SECOND_REVIEW


def test_two_approvals_grant_the_amount_and_fill_the_ledger(covered, worker, reviewer1, reviewer2):
    claim = services.auto_review(file_claim(worker, covered).pk)
    claim = approve_twice(claim, reviewer1, reviewer2)
    assert claim.status == Claim.Status.APPROVED and claim.approved_amount == Decimal("5700.00")
    ledger = Ledger.objects.get(member=covered)
    assert ledger.cumulative_base == Decimal("12000.00") and ledger.inpatient_paid == Decimal("5700.00")
    # the worker heard of each step once
    titles = list(Notification.objects.filter(user=worker).values_list("title", flat=True))
    assert len(titles) == 2


def test_a_later_claim_is_cut_at_the_cap(covered, worker, reviewer1, reviewer2):
    big = services.auto_review(file_claim(worker, covered, base="60000.00").pk)
    approve_twice(big, reviewer1, reviewer2)  # 0 + 4500 + 24000 + 7000 = 35500 -> cap 30000
    big.refresh_from_db()
    assert big.approved_amount == Decimal("30000.00")
    more = services.auto_review(file_claim(worker, covered, base="5000.00", admission=dt.date(YEAR, 8, 1)).pk)
    assert more.proposed_amount == 0 and not more.auto_passed
    more = approve_twice(more, reviewer1, reviewer2)
    assert more.approved_amount == 0


def test_a_cut_amount_needs_a_reason_and_cannot_exceed_the_rules(covered, worker, reviewer1, reviewer2):
    claim = services.auto_review(file_claim(worker, covered).pk)
    with pytest.raises(ValidationError):
        services.claim_adjust_amount(by=reviewer1, claim=claim, amount="6000.00", reason="x")
    with pytest.raises(ValidationError):
        services.claim_adjust_amount(by=reviewer1, claim=claim, amount="5000.00", reason="")
    services.claim_adjust_amount(by=reviewer1, claim=claim, amount="5000.00", reason="自费药品")
    claim = approve_twice(claim, reviewer1, reviewer2)
    assert claim.approved_amount == Decimal("5000.00")
    assert Ledger.objects.get(member=covered).inpatient_paid == Decimal("5000.00")


def test_a_returned_claim_names_the_documents_and_is_reviewed_again(covered, worker, reviewer1):
    claim = services.auto_review(file_claim(worker, covered).pk)
    services.claim_return(by=reviewer1, claim=claim, documents=["discharge"], note="请上传清晰的出院记录")
    note = Notification.objects.filter(user=worker).order_by("-id").first()
    assert "出院记录" in note.body
    with pytest.raises(ValidationError):
        services.claim_resubmit(by=worker, claim=claim, documents=[("invoice", pdf())])
    claim = services.claim_resubmit(by=worker, claim=claim, documents=[("discharge", pdf())])
    assert claim.status == Claim.Status.SUBMITTED and claim.submission == 2
    claim = services.auto_review(claim.pk, 2)
    assert claim.status == Claim.Status.FIRST_REVIEW and claim.first_reviewer is None


def test_a_rejected_claim_can_be_appealed_once_to_another_reviewer(covered, worker, reviewer1, reviewer2):
    claim = services.auto_review(file_claim(worker, covered).pk)
    services.claim_reject(by=reviewer1, claim=claim, reason="非医保范围")
    claim = services.claim_appeal(by=worker, claim=claim, reason="有新证明")
    assert claim.appeal_reviewer == reviewer2
    with pytest.raises(ValidationError):
        services.claim_approve(by=reviewer1, claim=claim)
    services.claim_reject(by=reviewer2, claim=claim, reason="维持原决定")
    with pytest.raises(ValidationError, match="只能申诉一次"):
        services.claim_appeal(by=worker, claim=claim, reason="再次申诉")


def test_an_appeal_after_30_days_is_refused(covered, worker, reviewer1):
    claim = services.auto_review(file_claim(worker, covered).pk)
    services.claim_reject(by=reviewer1, claim=claim, reason="x")
    Claim.objects.filter(pk=claim.pk).update(decided_at=timezone.now() - dt.timedelta(days=31))
    with pytest.raises(ValidationError):
        services.claim_appeal(by=worker, claim=claim, reason="y")


def test_an_upheld_appeal_is_approved_with_the_money_decided(covered, worker, reviewer1, reviewer2):
    claim = services.auto_review(file_claim(worker, covered).pk)
    services.claim_reject(by=reviewer1, claim=claim, reason="x")
    claim = services.claim_appeal(by=worker, claim=claim, reason="y")
    claim = services.claim_approve(by=reviewer2, claim=claim)
    assert claim.status == Claim.Status.APPROVED and claim.approved_amount == Decimal("5700.00")


def test_a_lump_sum_is_paid_once_per_period(covered, worker, reviewer1, reviewer2):
    first = services.auto_review(file_claim(worker, covered, kind="major_disease", disease_code="cancer").pk)
    assert first.proposed_amount == Decimal("10000.00")
    approve_twice(first, reviewer1, reviewer2)
    second = services.auto_review(
        file_claim(worker, covered, kind="major_disease", disease_code="uremia", admission=dt.date(YEAR, 9, 1)).pk
    )
    assert second.proposed_amount == 0


def _approved(covered, worker, reviewer1, reviewer2, **kw):
    claim = services.auto_review(file_claim(worker, covered, **kw).pk)
    return approve_twice(claim, reviewer1, reviewer2)


def test_payment_batch_paid_once_and_failed_goes_to_a_later_batch(covered, worker, reviewer1, reviewer2, finance):
    a = _approved(covered, worker, reviewer1, reviewer2)
    b = _approved(covered, worker, reviewer1, reviewer2, base="2000.00", admission=dt.date(YEAR, 8, 1))
    batch = services.batch_create(by=finance)
    assert batch.total == Decimal("6900.00")  # 5700 + 2000 at 60% and batch.payments.count() == 2
    pa, pb = batch.payments.order_by("payer_id")
    services.payment_mark_paid(by=finance, payment=pa, reference="B123")
    with pytest.raises(ValidationError):
        services.payment_mark_paid(by=finance, payment=pa, reference="B124")
    services.payment_mark_failed(by=finance, payment=pb, reason="账号错误")
    b.refresh_from_db()
    assert b.status == Claim.Status.PAYMENT_FAILED
    # the paid claim never enters a batch again; the failed one does after the account is corrected
    with pytest.raises(ValidationError):
        services.batch_create(by=finance)
    services.claim_correct_account(
        by=worker, claim=b, bank_account="6222 0000 1111 2222 444", bank_name="农业银行", account_holder=b.member.name
    )
    second = services.batch_create(by=finance)
    assert list(second.payments.values_list("payer_id", flat=True)) == [b.pk]
    assert second.payments.get().bank_account == "6222000011112222444"
    a.refresh_from_db()
    assert a.status == Claim.Status.PAID and Payment.objects.filter(claim=a, status="paid").count() == 1


def test_the_database_refuses_a_second_live_payment_of_a_claim(covered, worker, reviewer1, reviewer2, finance):
    from django.db import IntegrityError, transaction

    claim = _approved(covered, worker, reviewer1, reviewer2)
    batch = services.batch_create(by=finance)
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(
            batch=batch, payer=claim, amount=Decimal("1"), account_name="x", bank_account="1", bank_name="x"
        )


def test_only_finance_builds_batches(covered, worker, reviewer1, reviewer2):
    _approved(covered, worker, reviewer1, reviewer2)
    with pytest.raises(PermissionDenied):
        services.batch_create(by=reviewer1)


def test_a_new_rule_version_applies_to_claims_admitted_from_its_date(scheme, covered, worker, district_admin):
    from mutual_aid.rules import DEFAULT_RULES

    benefit = scheme.benefits.get(kind="inpatient")
    rules = dict(DEFAULT_RULES["inpatient"], bands=[["0", "500", "0"], ["500", None, "0.5"]])
    services.rule_version_create(by=district_admin, benefit=benefit, effective_from=dt.date(YEAR, 7, 1), rules=rules)
    before = services.auto_review(file_claim(worker, covered, base="2000.00", admission=dt.date(YEAR, 6, 1)).pk)
    after = services.auto_review(file_claim(worker, covered, base="2000.00", admission=dt.date(YEAR, 7, 2)).pk)
    assert before.proposed_amount == Decimal("500.00")
    assert after.proposed_amount == Decimal("750.00")


def test_a_claim_left_submitted_is_sent_for_review_again(covered, worker):
    # given a claim whose review task was lost (still submitted 15 minutes later)
    claim = file_claim(worker, covered)
    Claim.objects.filter(pk=claim.pk).update(updated_at=timezone.now() - dt.timedelta(minutes=15))
    fresh = file_claim(worker, covered, admission=dt.date(YEAR, 9, 1))
    # when the sweep runs (Celery eager in tests)
    assert services.requeue_stale_reviews() == 1
    # then the stale claim was reviewed, the fresh one is left to its own task
    claim.refresh_from_db()
    fresh.refresh_from_db()
    assert claim.status == Claim.Status.FIRST_REVIEW and fresh.status == Claim.Status.SUBMITTED


def test_each_step_notifies_the_worker_once_with_its_own_event_key(covered, worker, reviewer1, reviewer2, finance):
    claim = services.auto_review(file_claim(worker, covered).pk)
    services.claim_return(by=reviewer1, claim=claim, documents=["invoice"])
    claim = services.claim_resubmit(by=worker, claim=claim, documents=[("invoice", pdf())])
    claim = services.auto_review(claim.pk)
    approve_twice(claim, reviewer1, reviewer2)
    batch = services.batch_create(by=finance)
    services.payment_mark_paid(by=finance, payment=batch.payments.get(), reference="R")
    keys = list(Notification.objects.filter(user=worker).order_by("id").values_list("event_key", flat=True))
    steps = [k.split(".")[3] for k in keys]
    assert steps == ["submitted", "returned", "resubmitted", "approved", "paid"]
    assert len(set(keys)) == len(keys)
    from union_portal.models import Delivery

    assert Delivery.objects.filter(notification__user=worker, channel="sms").count() == 5


def test_a_claim_approved_at_zero_is_never_put_in_a_batch(covered, worker, reviewer1, reviewer2, finance):
    big = services.auto_review(file_claim(worker, covered, base="80000.00").pk)
    approve_twice(big, reviewer1, reviewer2)
    zero = services.auto_review(file_claim(worker, covered, base="100.00", admission=dt.date(YEAR, 9, 1)).pk)
    zero = approve_twice(zero, reviewer1, reviewer2)
    assert zero.approved_amount == 0
    batch = services.batch_create(by=finance)
    assert list(batch.payments.values_list("payer_id", flat=True)) == [big.pk]

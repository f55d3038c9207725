"""The claim decision letter: a document number (文号) from the year's sequence, allocated once when the decision is
made; dated by the decision however late it is downloaded; the date in Chinese; the federation's letterhead and a
place for the seal; the last day to appeal as a date. Read back with poppler-utils."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mutual_aid import services
from mutual_aid.models import Claim, DecisionLetter, DecisionSequence
from tests.races import outcome, run_together
from tests.union_portal import poppler
from union_portal.pdf import chinese_date

from .conftest import YEAR, approve_twice, file_claim

pytestmark = pytest.mark.django_db


def _at(day: dt.date, hour: int = 15) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def _reviewed(worker, member, **kw) -> Claim:
    return services.auto_review(file_claim(worker, member, **kw).pk)


def test_each_decision_gets_the_next_number_of_its_year_once(covered, worker, reviewer1, reviewer2, today):
    # given three claims
    a, b, c = (_reviewed(worker, covered, admission=dt.date(YEAR, m, 1)) for m in (6, 8, 10))
    # when one is approved and one rejected this year, and one rejected on 31 December of last year
    approve_twice(a, reviewer1, reviewer2)
    services.claim_reject(by=reviewer1, claim=b, reason="非医保范围")
    services.claim_reject(by=reviewer1, claim=c, reason="x", now=_at(dt.date(today.year - 1, 12, 31), 23))
    # then the numbers run per year from 1, each stored once with its claim
    numbers = {letter.claim_id: letter.number for letter in DecisionLetter.objects.all()}
    assert numbers == {
        a.pk: f"柯工互〔{today.year}〕1号",
        b.pk: f"柯工互〔{today.year}〕2号",
        c.pk: f"柯工互〔{today.year - 1}〕1号",
    }
    assert DecisionSequence.objects.get(year=today.year).last == 2
    # and the first review (no decision yet) allocated nothing
    assert DecisionLetter.objects.filter(claim=a).count() == 1


def test_the_year_sequence_is_locked_for_update_when_a_number_is_taken(covered, worker, reviewer1):
    claim = _reviewed(worker, covered)
    with CaptureQueriesContext(connection) as queries:
        services.claim_reject(by=reviewer1, claim=claim, reason="x")
    sequence_reads = [q["sql"] for q in queries if "mutual_aid_decisionsequence" in q["sql"] and "SELECT" in q["sql"]]
    if connection.vendor == "postgresql":
        assert any("FOR UPDATE" in sql for sql in sequence_reads)


def test_the_letter_is_dated_by_the_decision_not_the_download(covered, worker, reviewer1, reviewer2, today):
    # given a claim approved 40 days ago
    decided_on = today - dt.timedelta(days=40)
    claim = _reviewed(worker, covered)
    services.claim_approve(by=reviewer1, claim=claim, now=_at(decided_on))
    claim = services.claim_approve(by=reviewer2, claim=claim, now=_at(decided_on))
    # when its letter is downloaded today
    text = poppler.text(services.decision_letter_pdf(claim=claim))
    # then it carries the decision's date in Chinese, the document number, the letterhead and the seal's place
    assert chinese_date(decided_on) in text and chinese_date(today) not in text
    assert f"柯工互〔{decided_on.year}〕1号" in text
    assert "柯桥区总工会" in text and "盖章处" in text
    assert f"{covered.name}同志：" in text and "职工医疗互助理赔审核决定书" in text
    assert "5700.00" in text and claim.number in text


def test_a_rejection_letter_gives_the_last_day_to_appeal_and_the_portal_keeps_to_it(covered, worker, reviewer1):
    # given a claim rejected on a day 20 days ago
    decided_on = timezone.localdate() - dt.timedelta(days=20)
    claim = services.claim_reject(
        by=reviewer1, claim=_reviewed(worker, covered), reason="非医保范围", now=_at(decided_on)
    )
    # then the letter gives the 30th day after the decision as the last day to appeal
    deadline = decided_on + dt.timedelta(days=30)
    assert services.appeal_deadline(decided_on) == deadline
    assert chinese_date(deadline) in poppler.text(services.decision_letter_pdf(claim=claim))
    # and the portal takes an appeal until that day ends, not after
    assert services.can_appeal(claim, now=_at(deadline, 23))
    assert not services.can_appeal(claim, now=_at(deadline + dt.timedelta(days=1), 0))


def test_a_decision_on_an_appeal_has_its_own_number_and_says_it_is_final(covered, worker, reviewer1, reviewer2):
    claim = services.claim_reject(by=reviewer1, claim=_reviewed(worker, covered), reason="x")
    claim = services.claim_appeal(by=worker, claim=claim, reason="有新证明")
    claim = services.claim_reject(by=reviewer2, claim=claim, reason="维持原决定")
    first, second = claim.decision_letters.order_by("pk")
    assert (first.appealable, second.appealable) == (True, False) and second.sequence == first.sequence + 1
    text = poppler.text(services.decision_letter_pdf(claim=claim))
    assert second.number in text and "最终决定" in text


def test_the_appeal_deadline_example():
    assert services.appeal_deadline(dt.date(2026, 12, 1)) == dt.date(2026, 12, 31)


def test_a_name_no_font_can_print_is_refused_with_a_message_naming_it(covered, worker, reviewer1, login):
    claim = services.claim_reject(by=reviewer1, claim=_reviewed(worker, covered), reason="x")
    type(covered).objects.filter(pk=covered.pk).update(name="张\U00031350")
    response = login(worker).get(f"/mutual-aid/claims/{claim.pk}/letter.pdf", follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any("姓名中的字符" in m and "U+31350" in m and "无法打印" in m for m in messages), messages


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_decisions_at_the_same_moment_get_two_numbers(covered, worker, reviewer1, reviewer2):
    # given two claims waiting for review and no number issued yet this year
    a = _reviewed(worker, covered)
    b = _reviewed(worker, covered, admission=dt.date(YEAR, 8, 1))
    # when two reviewers reject them at the same moment
    results = run_together(
        lambda: services.claim_reject(by=reviewer1, claim=a, reason="x"),
        lambda: services.claim_reject(by=reviewer2, claim=b, reason="y"),
    )
    # then both are decided, with numbers 1 and 2 of the year
    assert [outcome(r) for r in results] == ["ok", "ok"]
    assert sorted(DecisionLetter.objects.values_list("sequence", flat=True)) == [1, 2]


def test_the_claim_page_shows_the_document_number_and_the_last_day_to_appeal(covered, worker, reviewer1, login):
    decided_on = timezone.localdate() - dt.timedelta(days=2)
    claim = services.claim_reject(by=reviewer1, claim=_reviewed(worker, covered), reason="x", now=_at(decided_on))
    page = login(worker).get(claim.get_absolute_url()).content.decode()
    deadline = decided_on + dt.timedelta(days=30)
    assert claim.decision_letters.get().number in page
    assert f"申诉（限一次，{deadline.year}年{deadline.month}月{deadline.day}日前）" in page


def test_claims_decided_before_letters_had_numbers_get_them_in_the_order_of_their_decisions(
    covered, worker, reviewer1, reviewer2, today
):
    import importlib

    from django.apps import apps

    backfill = importlib.import_module("mutual_aid.migrations.0004_decision_letters_backfill")
    # given two claims decided this year, a later one first by primary key, and one appealed and rejected again
    later = services.claim_reject(by=reviewer1, claim=_reviewed(worker, covered), reason="x")
    earlier = _reviewed(worker, covered, admission=dt.date(YEAR, 8, 1))
    earlier = services.claim_reject(by=reviewer1, claim=earlier, reason="x", now=_at(today, 0))
    final = services.claim_reject(
        by=reviewer1, claim=_reviewed(worker, covered, admission=dt.date(YEAR, 10, 1)), reason="x"
    )
    final = services.claim_reject(
        by=reviewer2, claim=services.claim_appeal(by=worker, claim=final, reason="y"), reason="z"
    )
    # and no letters, as before the migration
    DecisionLetter.objects.all().delete()
    DecisionSequence.objects.all().delete()
    # when the data migration runs
    backfill.forwards(apps, None)
    # then each decided claim has one letter, numbered in the order of the decisions
    letters = {letter.claim_id: letter for letter in DecisionLetter.objects.all()}
    assert [letters[c.pk].sequence for c in (earlier, later, final)] == [1, 2, 3]
    assert [letters[c.pk].appealable for c in (earlier, later, final)] == [True, True, False]
    assert DecisionSequence.objects.get(year=today.year).last == 3

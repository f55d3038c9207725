"""Smoke tests of the domain generator steps (claims, competitions, awards) on tiny data: the rows they write
are valid for the apps (states, money against the app's own rules and ledgers, released rankings, quotas that
hold the nominations). No timing is asserted."""

import io
from decimal import Decimal

import pytest

from bench import generate
from members.models import Member

MEMBERS, UNIONS = 400, 8


@pytest.fixture
def generated(tree):
    out = io.StringIO()
    timings = generate.generate(members=MEMBERS, unions=UNIONS, seed=7, stdout=out)
    return timings, out.getvalue()


def test_the_domain_steps_run_after_the_members_and_before_the_check():
    names = [s.name for s in generate.STEPS]

    assert names.index("member_events") < names.index("claims") < names.index("competitions")
    assert names.index("competitions") < names.index("awards") < names.index("verify") == len(names) - 1


@pytest.mark.django_db
def test_claims_step_writes_claims_in_mixed_states_that_agree_with_the_rules_and_ledgers(generated):
    from mutual_aid.models import Claim, ClaimEvent, ClaimInvoice, Cover, Enrolment, Ledger
    from mutual_aid.rules import compute_inpatient
    from union_portal.payments.models import Payment

    timings, out = generated
    claims = Claim.objects.filter(member__member_number__startswith="KQS")

    # then: a quarter of the members' count, several states, every claimant covered and enrolled
    assert "claims" in timings and "claims:" in out
    assert claims.count() == MEMBERS // 4
    states = set(claims.values_list("status", flat=True))
    assert {"paid", "first_review"} <= states and len(states) >= 4
    assert not claims.exclude(member__mutual_aid_covers__isnull=False).exists()
    assert Enrolment.objects.filter(org__code__regex=generate.SYNTHETIC_CODE_SQL, status="paid").exists()
    for claim in claims.select_related("rule_version"):
        cover = Cover.objects.get(member=claim.member_id, scheme=claim.scheme_id, benefit=claim.benefit_id)
        assert claim.admission_date >= cover.waiting_ends_on
        assert claim.discharge_date >= claim.admission_date
        assert claim.invoices.count() == 1
        assert claim.events.filter(action="submitted").exists()
    # the ledger holds what was committed; each committed amount is the rule's for the ledger before it
    for ledger in Ledger.objects.filter(member__member_number__startswith="KQS"):
        committed = list(
            claims.filter(member=ledger.member_id, status__in=["approved", "in_batch", "paid", "payment_failed"])
            .select_related("rule_version")
            .order_by("admission_date")
        )
        base, paid = Decimal("0"), Decimal("0")
        for claim in committed:
            expected = compute_inpatient(claim.rule_version.rules, base=claim.base, prior_base=base, prior_paid=paid)
            assert claim.approved_amount == expected.amount > 0
            base, paid = base + claim.base, paid + claim.approved_amount
        assert (ledger.cumulative_base, ledger.inpatient_paid) == (base, paid)
    # one payment per paid, failed or batched claim, for its amount, to its (encrypted, readable) account
    for claim in claims.filter(status__in=["paid", "in_batch", "payment_failed"]):
        payment = Payment.objects.get(claim=claim)
        assert payment.amount == claim.approved_amount
        assert payment.bank_account == claim.payee_bank_account and payment.bank_account.isdigit()
        assert payment.status == {"paid": "paid", "in_batch": "pending", "payment_failed": "failed"}[claim.status]
    assert not Payment.objects.filter(claim__status__in=["first_review", "rejected", "returned"]).exists()
    assert ClaimInvoice.objects.filter(claim__in=claims).count() == claims.count()
    assert ClaimEvent.objects.filter(claim__in=claims).count() >= 2 * claims.count()


@pytest.mark.django_db
def test_competitions_step_writes_a_year_of_scores_and_released_results(generated):
    from competitions.models import Campaign, Period, Result, Score
    from competitions.services import conflict_of_interest

    campaign = Campaign.objects.get(name__endswith="（压测数据）")
    teams = list(campaign.teams.select_related("org"))
    periods = list(campaign.periods.all())
    criteria = campaign.criteria.count()

    assert len(teams) == 6  # the minimum on tiny data (200 at Keqiao scale)
    assert len(periods) == 4 and all(p.status == Period.Status.RELEASED for p in periods)
    assert Result.objects.filter(period__campaign=campaign).count() == 4 * len(teams)
    for period in periods:
        assert sorted(period.results.values_list("rank", flat=True))[0] == 1
        for assignment in period.assignments.select_related("judge", "team__org"):
            assert assignment.scores.count() == criteria
            assert conflict_of_interest(judge=assignment.judge, team=assignment.team) is None
    assert Score.objects.filter(assignment__period__campaign=campaign).count() > 0
    assert campaign.honours.exists()  # the release gave the period honours


@pytest.mark.django_db
def test_awards_step_writes_nominations_across_stages_within_their_quotas(generated):
    from awards import selectors
    from awards.models import Nomination, Round

    round_ = Round.objects.get(title__endswith="（压测数据）")
    nominations = Nomination.objects.filter(round=round_)

    assert round_.status == Round.Status.NOMINATING
    assert nominations.count() == 20  # the minimum on tiny data (5,000 at Keqiao scale)
    assert len(set(nominations.values_list("status", flat=True))) >= 3
    for quota in round_.quotas.all():
        assert selectors.quota_used(quota=quota) <= quota.places
    for nomination in nominations.filter(member__isnull=False).select_related("member"):
        assert nomination.person_hash == nomination.member.id_number_hash
        assert nomination.org_id == nomination.member.org_id
        assert nomination.member.status == Member.Status.ACTIVE
    for nomination in nominations.filter(status=Nomination.Status.PASSED):
        assert set(nomination.reviews.values_list("stage", flat=True)) == {"township", "district"}
    assert not nominations.filter(status=Nomination.Status.DRAFT, submitted_at__isnull=False).exists()


@pytest.mark.django_db
def test_city_scale_fills_every_district_with_distinct_id_numbers_and_resumes(tree):
    from django.db.models import Count

    from mutual_aid.models import Claim
    from union_portal.models import OrgUnit

    out = io.StringIO()
    timings = generate.generate_city(districts=3, members=120, unions=4, seed=7, stdout=out)

    # then: three districts under the city, each with its townships, synthetic unions and members
    city = OrgUnit.objects.get(code="SX")
    codes = ["SX-KQ", "SX-D01", "SX-D02"]
    assert sorted(OrgUnit.objects.filter(kind="district").values_list("code", flat=True)) == sorted(codes)
    assert OrgUnit.objects.find_problems(parent=city) == ([], [], [], [], [])
    for code in codes:
        district = OrgUnit.objects.get(code=code)
        assert OrgUnit.objects.filter(path__startswith=district.path, depth=district.depth + 1).count() == 18
        in_district = Member.objects.filter(org__path__startswith=district.path, org__code__regex=r"-S[0-9]{4,}$")
        assert in_district.count() == 120
        assert Claim.objects.filter(member__in=in_district).count() == 30
        assert f"district {code}" in timings
    synthetic = Member.objects.filter(org__code__regex=r"-S[0-9]{4,}$")
    assert synthetic.count() == 360
    assert not synthetic.values("id_number_hash").annotate(n=Count("id")).filter(n__gt=1).exists()
    assert synthetic.filter(member_number__startswith="D02S").count() == 120
    # competitions and awards stay Keqiao's
    from awards.models import Nomination
    from competitions.models import Team

    keqiao = OrgUnit.objects.get(code="SX-KQ").path
    assert Team.objects.exists() and not Team.objects.exclude(org__path__startswith=keqiao).exists()
    assert Nomination.objects.exists() and not Nomination.objects.exclude(org__path__startswith=keqiao).exists()
    # when: run again, nothing is generated twice
    again = io.StringIO()
    generate.generate_city(districts=3, members=120, unions=4, seed=7, stdout=again)
    assert again.getvalue().count("already generated, skipped") == 3
    assert synthetic.count() == 360


def test_the_city_splits_the_id_number_slots_between_districts():
    districts = [d for d, _name in generate.city_districts(10)]

    assert len({d.code for d in districts}) == 10 and districts[0].code == "SX-KQ"
    slots = [set(d.id_slots) for d in districts]
    assert all(len(s) == 50 for s in slots) and len(set().union(*slots)) == 500
    assert len({d.uscc_base for d in districts}) == 10
    assert len({code for d in districts for code in d.weights}) == 10 * 18


@pytest.mark.django_db
def test_the_generator_never_draws_a_demo_members_id_number(tree, monkeypatch):
    from bench import synthetic

    demo_numbers = set(Member.objects.values_list("id_number", flat=True))
    assert demo_numbers  # the demo worker
    seen_at_start: list[set] = []

    class Recording(synthetic.IdNumbers):
        def make(self, **kwargs):
            if not seen_at_start:
                seen_at_start.append(set(self.seen))
            return super().make(**kwargs)

    monkeypatch.setattr(synthetic, "IdNumbers", Recording)

    generate.generate(members=50, unions=3, seed=7, stdout=io.StringIO())

    assert demo_numbers <= seen_at_start[0]
    synthetic_numbers = set(Member.objects.filter(member_number__startswith="KQS").values_list("id_number", flat=True))
    assert len(synthetic_numbers) == 50 and not synthetic_numbers & demo_numbers


@pytest.mark.django_db
def test_claims_step_makes_one_payment_batch_per_month_of_payment_whatever_the_day(tree):
    # On 1 January the claims of the past year are paid across 13 months, plus the open batch: the step once
    # had a fixed 13 batch ids and stopped (StopIteration) on such a day.
    import freezegun

    from mutual_aid.models import Claim
    from union_portal.payments.models import PaymentBatch

    with freezegun.freeze_time("2027-01-01 02:00:00", tick=True):
        generate.generate(members=10_000, unions=40, seed=7, stdout=io.StringIO())

    paid = Claim.objects.filter(member__member_number__startswith="KQS", status__in=["paid", "payment_failed"])
    months = {(c.paid_at or c.updated_at).date().replace(day=1) for c in paid.only("paid_at", "updated_at")}
    batches = PaymentBatch.objects.filter(app_label="mutual_aid")
    assert len(months) == 13
    assert batches.filter(status=PaymentBatch.Status.CLOSED).count() == len(months)
    assert batches.filter(status=PaymentBatch.Status.OPEN).count() == 1

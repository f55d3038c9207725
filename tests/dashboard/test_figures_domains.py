"""Figures of the domain apps (mutual aid, competitions, awards, union funds): the stored figures agree
exactly with counts and sums taken from the raw tables at every node (district, township, union)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from awards.models import AwardType, Nomination, Round
from competitions.models import Campaign, Group, Honour, Period, Result, Team
from dashboard.figures import refresh_figures
from dashboard.models import FigureSnapshot
from dashboard.registry import FigureContext, get_metric
from funds.models import DuesPayment, FundsCollection, JournalLine
from members.models import Enterprise, Member
from mutual_aid.models import Benefit, Claim, Cover, Enrolment, Scheme
from tests import clock
from union_portal.models import OrgUnit
from union_portal.payments.models import Payment, PaymentBatch

YEAR = clock.current_date().year
HOLDING = Member.HOLDING_STATUSES


def _figure(node, metric, key=""):
    return FigureSnapshot.objects.filter(node=node, metric=metric, key=key, period=str(YEAR)).first()


def _value(node, metric, key=""):
    row = _figure(node, metric, key)
    return row.value if row else 0


def _nodes():
    return OrgUnit.objects.exclude(kind=OrgUnit.Kind.GROUP)


def _at(day: dt.date, hour=10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


# --- data ------------------------------------------------------------------------------------------------


@pytest.fixture
def mutual_aid(roll, district_admin, handler, finance):
    """This year's scheme: Huashe textile (KQ-HS-001) and Qixian (KQ-QX-001) enrolled, one unpaid; claims
    in several states, some paid, some with a disease; a claim of last year's scheme that must not count."""
    scheme = Scheme.objects.create(
        year=YEAR, name=f"{YEAR} 互助", starts_on=dt.date(YEAR, 1, 1), ends_on=dt.date(YEAR, 12, 31)
    )
    old = Scheme.objects.create(
        year=YEAR - 1, name="旧", starts_on=dt.date(YEAR - 1, 1, 1), ends_on=dt.date(YEAR - 1, 12, 31)
    )
    benefits = {
        kind: Benefit.objects.create(scheme=scheme, kind=kind, name=kind, premium=Decimal("20.00"))
        for kind in ("inpatient", "major_disease", "female_disease")
    }
    old_benefit = Benefit.objects.create(scheme=old, kind="inpatient", name="旧", premium=Decimal("20.00"))

    def enrol(org, benefit, members, *, paid=True, scheme=scheme):
        enrolment = Enrolment.objects.create(
            scheme=scheme, benefit=benefit, org=org, member_count=len(members), eligible_count=len(members),
            premium_due=Decimal("20.00") * len(members), enrolled_by=handler,
            status="paid" if paid else "awaiting_payment",
        )  # fmt: skip
        start = dt.date(YEAR, 1, 2) if paid else None
        Cover.objects.bulk_create(
            Cover(enrolment=enrolment, scheme=scheme, benefit=benefit, member=m, starts_on=start) for m in members
        )

    hs1 = list(Member.objects.filter(org=roll["KQ-HS-001"]).order_by("pk"))
    hs2 = list(Member.objects.filter(org=roll["KQ-HS-002"]).order_by("pk"))  # 4 active, 2 who left
    qx1 = list(Member.objects.filter(org=roll["KQ-QX-001"]).order_by("pk"))
    enrol(roll["KQ-HS-001"], benefits["inpatient"], hs1)
    enrol(roll["KQ-HS-001"], benefits["major_disease"], hs1[:6])  # same members, second benefit
    enrol(roll["KQ-HS-002"], benefits["inpatient"], hs2)  # includes the 2 who left
    enrol(roll["KQ-QX-001"], benefits["inpatient"], qx1, paid=False)  # awaiting payment: not yet covered
    enrol(roll["KQ-QX-002"], old_benefit, list(Member.objects.filter(org=roll["KQ-QX-002"])), scheme=old)

    batch = PaymentBatch.objects.create(org=roll["SX-KQ"], app_label="mutual_aid", created_by=finance)

    def claim(member, status, *, benefit="inpatient", disease="", filed=dt.date(YEAR, 2, 1), paid=None,
              amount="1000.00", scheme=scheme):  # fmt: skip
        c = Claim.objects.create(
            member=member, scheme=scheme, benefit=old_benefit if scheme is old else benefits[benefit],
            filed_by=handler, status=status, hospital="柯桥区人民医院", admission_date=filed - dt.timedelta(days=9),
            discharge_date=filed - dt.timedelta(days=3), total_amount=Decimal("5000.00"),
            self_paid_amount=Decimal("3000.00"), disease_code=disease, payee_bank_account="6222000011112222",
            payee_bank_name="工商银行", consent_version="v1", consent_at=_at(filed), submitted_at=_at(filed, 22),
            paid_at=_at(paid, 9) if paid else None,
        )  # fmt: skip
        if paid:
            Payment.objects.create(
                batch=batch, payer=c, amount=Decimal(amount), account_name=member.name,
                bank_account="6222000011112222", bank_name="工商银行", status="paid", decided_at=_at(paid, 9),
            )  # fmt: skip
        return c

    claim(hs1[0], "paid", filed=dt.date(YEAR, 2, 1), paid=dt.date(YEAR, 2, 11), amount="1200.50")  # 10 days
    claim(hs1[1], "paid", benefit="major_disease", disease="cancer", paid=dt.date(YEAR, 3, 3), amount="10000.00")
    claim(hs1[2], "first_review", benefit="major_disease", disease="cancer")
    claim(hs1[3], "rejected", benefit="major_disease", disease="uremia")
    claim(hs2[0], "paid", filed=dt.date(YEAR, 1, 5), paid=dt.date(YEAR, 1, 8), amount="333.33")  # 3 days
    claim(hs2[1], "approved")
    claim(qx1[0], "submitted", benefit="female_disease", disease="breast_cancer")
    claim(qx1[1], "paid", filed=dt.date(YEAR, 4, 1), paid=dt.date(YEAR, 4, 30), amount="88.88")  # 29 days
    claim(hs1[4], "paid", scheme=old, filed=dt.date(YEAR - 1, 12, 1), paid=dt.date(YEAR - 1, 12, 20))
    return roll


@pytest.fixture
def competitions(roll, district_admin):
    """A campaign of this year with teams of unions, a contestant and an enterprise; released and closed
    periods; honours; a campaign of last year that must not count."""
    campaign = Campaign.objects.create(name="重点工程劳动竞赛", kind="merit", year=YEAR, org=roll["SX-KQ"],
                                       created_by=district_admin)  # fmt: skip
    old = Campaign.objects.create(
        name="旧竞赛", kind="merit", year=YEAR - 1, org=roll["SX-KQ"], created_by=district_admin
    )
    group = Group.objects.create(campaign=campaign, name="A")
    old_group = Group.objects.create(campaign=old, name="A")
    contestant = Member.objects.filter(org=roll["KQ-QX-001"]).first()
    teams = [
        Team.objects.create(campaign=campaign, group=group, kind="unit", name="华舍印染", org=roll["KQ-HS-001"]),
        Team.objects.create(campaign=campaign, group=group, kind="unit", name="华舍织造", org=roll["KQ-HS-002"]),
        Team.objects.create(campaign=campaign, group=group, kind="contestant", name="选手", member=contestant),
        Team.objects.create(
            campaign=campaign,
            group=group,
            kind="contractor",
            name="城建",
            enterprise=Enterprise.objects.get(union=roll["KQ-IND-BLD-001"]),
        ),  # fmt: skip
        Team.objects.create(campaign=campaign, group=group, kind="contractor", name="外地承包商"),  # at the organiser
    ]
    old_team = Team.objects.create(campaign=old, group=old_group, kind="unit", name="旧队", org=roll["KQ-HS-001"])
    released = Period.objects.create(campaign=campaign, name="一季度", starts_on=dt.date(YEAR, 1, 1),
                                     ends_on=dt.date(YEAR, 3, 31), status="released")  # fmt: skip
    closed = Period.objects.create(campaign=campaign, name="二季度", starts_on=dt.date(YEAR, 4, 1),
                                   ends_on=dt.date(YEAR, 6, 30), status="closed")  # fmt: skip
    old_period = Period.objects.create(campaign=old, name="旧", starts_on=dt.date(YEAR - 1, 1, 1),
                                       ends_on=dt.date(YEAR - 1, 3, 31), status="released")  # fmt: skip
    for rank, (team, total) in enumerate(zip(teams, ["95.50", "88.25", "90.00", "70.10", "60.00"], strict=True), 1):
        Result.objects.create(period=released, team=team, total=Decimal(total), rank=rank, group_rank=rank)
        Result.objects.create(period=closed, team=team, total=Decimal("10.00"), rank=rank, group_rank=rank)
    Result.objects.create(period=old_period, team=old_team, total=Decimal("1.00"), rank=1, group_rank=1)
    Honour.objects.create(campaign=campaign, period=released, team=teams[0], kind="red_flag", year=YEAR)
    Honour.objects.create(campaign=campaign, period=None, team=teams[0], kind="merit_1", year=YEAR)
    Honour.objects.create(campaign=campaign, period=None, team=teams[2], kind="merit_2", year=YEAR)
    Honour.objects.create(campaign=campaign, period=None, team=teams[3], kind="merit_2", year=YEAR)
    Honour.objects.create(campaign=old, period=old_period, team=old_team, kind="red_flag", year=YEAR - 1)
    return roll


@pytest.fixture
def awards(roll, district_admin):
    """This year's round with nominations at every stage from several unions; last year's round."""
    rounds = {}
    for year in (YEAR, YEAR - 1):
        rounds[year] = Round.objects.create(
            org=roll["SX-KQ"], year=year, title=f"{year} 评选", nominations_open=dt.date(year, 1, 1),
            nominations_close=dt.date(year, 2, 1), township_review_by=dt.date(year, 2, 15),
            district_review_by=dt.date(year, 3, 1), notice_planned=dt.date(year, 3, 10), created_by=district_admin,
        )  # fmt: skip
    worker = AwardType.objects.create(round=rounds[YEAR], kind="model_worker", name="劳动模范")
    collective = AwardType.objects.create(round=rounds[YEAR], kind="advanced_collective", name="先进集体")
    old_type = AwardType.objects.create(round=rounds[YEAR - 1], kind="model_worker", name="劳动模范")

    def nominate(org, award_type, status, round_=rounds[YEAR]):
        Nomination.objects.create(
            round=round_, award_type=award_type, org=roll[org], candidate_name="候选人", unit_name="单位",
            deeds_summary="事迹", deeds_file="awards/deeds/x.pdf", status=status, created_by=district_admin,
        )  # fmt: skip

    nominate("KQ-HS-001", worker, "approved")
    nominate("KQ-HS-001", worker, "approved")
    nominate("KQ-HS-001", collective, "approved")
    nominate("KQ-HS-002", worker, "district_review")
    nominate("KQ-HS-002", worker, "draft")  # not submitted: not counted
    nominate("KQ-QX-001", collective, "approved")
    nominate("KQ-QX-001", worker, "withdrawn")
    nominate("KQ-QX", worker, "township_review")  # nominated by the township union itself
    nominate("KQ-HS-001", old_type, "approved", rounds[YEAR - 1])
    return roll


@pytest.fixture
def funds(roll, finance):
    """Collections of this year (one reversed, one into the founding reserve), of last year, and dues."""
    from funds.services import collection_record, collection_reverse

    def collect(enterprise, month, amount, year=YEAR):
        period = dt.date(year, month, 1)
        return collection_record(by=finance, enterprise=enterprise, period=period, amount=Decimal(amount),
                                 collected_on=period + dt.timedelta(days=20))  # fmt: skip

    hs1 = Enterprise.objects.get(union=roll["KQ-HS-001"])
    qx1 = Enterprise.objects.get(union=roll["KQ-QX-001"])
    no_union = Enterprise.objects.get(name="绍兴华舍经编有限公司")
    collect(hs1, 1, "1000.00")
    collect(hs1, 2, "1000.01")
    wrong = collect(qx1, 1, "999.99")
    collection_reverse(by=finance, collection=wrong, reason="录入错误")
    collect(qx1, 1, "2000.00")
    collect(no_union, 3, "500.55")  # founding reserve at Huashe
    collect(no_union, 12, "7.00", year=YEAR - 1)  # last year's reserve is still held
    collect(hs1, 12, "3.00", year=YEAR - 1)

    def pay(member, month, amount, year=YEAR):
        DuesPayment.objects.create(member=member, period=dt.date(year, month, 1), wage=Decimal("5000"),
                                   amount=Decimal(amount))  # fmt: skip

    hs = list(Member.objects.filter(org=roll["KQ-HS-001"]).order_by("pk"))
    pay(hs[0], 1, "25.00")
    pay(hs[0], 2, "25.00")
    pay(hs[1], 1, "30.50")
    left = Member.objects.filter(org=roll["KQ-HS-002"], status="left").first()
    pay(left, 1, "10.00")  # paid before leaving: the money counts, the share does not
    pay(Member.objects.filter(org=roll["KQ-QX-001"]).first(), 5, "12.00")
    pay(hs[2], 12, "99.00", year=YEAR - 1)
    return roll


# --- mutual aid ------------------------------------------------------------------------------------------


def test_mutual_aid_figures_agree_exactly_with_the_raw_tables_at_every_node(mutual_aid):
    refresh_figures()

    checked = 0
    for node in _nodes():
        members = Member.objects.filter(org__path__startswith=node.path, status__in=HOLDING)
        covers = Cover.objects.filter(scheme__year=YEAR, member__org__path__startswith=node.path)
        claims = Claim.objects.filter(scheme__year=YEAR, member__org__path__startswith=node.path)

        assert _value(node, "mutual_aid.members_enrolled") == covers.values("member").distinct().count(), node.code

        coverage = _figure(node, "mutual_aid.coverage_rate")
        if members.exists():
            covered = covers.filter(starts_on__isnull=False, member__status__in=HOLDING)
            assert (coverage.numerator, coverage.denominator) == (
                covered.values("member").distinct().count(),
                members.count(),
            ), node.code
            checked += 1
        else:
            assert coverage is None

        units = OrgUnit.objects.filter(path__startswith=node.path, kind="grassroots", members__status__in=HOLDING)
        units = units.distinct()
        unit_rate = _figure(node, "mutual_aid.unit_enrolment_rate")
        if units.exists():
            enrolled = units.filter(pk__in=Enrolment.objects.filter(scheme__year=YEAR).values("org"))
            assert (unit_rate.numerator, unit_rate.denominator) == (enrolled.count(), units.count()), node.code
        else:
            assert unit_rate is None

        assert _value(node, "mutual_aid.claims") == claims.count(), node.code
        for state, n in claims.values_list("status").annotate(n=Count("id")):
            assert _value(node, "mutual_aid.claims_by_state", state) == n, (node.code, state)
        assert FigureSnapshot.objects.filter(node=node, metric="mutual_aid.claims_by_state").count() == (
            claims.values("status").distinct().count()
        )
        for code, n in claims.exclude(disease_code="").values_list("disease_code").annotate(n=Count("id")):
            assert _value(node, "mutual_aid.claims_by_cause", code) == n, (node.code, code)

        paid = [c for c in claims.model.objects.filter(member__org__path__startswith=node.path, status="paid")
                if timezone.localtime(c.paid_at).year == YEAR]  # fmt: skip
        days = _figure(node, "mutual_aid.days_to_payment")
        if paid:
            total = sum(
                (timezone.localtime(c.paid_at).date() - timezone.localtime(c.submitted_at).date()).days for c in paid
            )
            assert (days.numerator, days.denominator) == (total, len(paid)), node.code
            assert days.value == (Decimal(total) / len(paid)).quantize(Decimal("0.0001"))
        else:
            assert days is None

        amount = Payment.objects.filter(
            status="paid", decided_at__year=YEAR, claim__member__org__path__startswith=node.path
        ).aggregate(s=Sum("amount"))["s"]
        assert _value(node, "mutual_aid.amount_paid") == (amount or 0), node.code
    assert checked >= 5


def test_mutual_aid_figures_of_the_district_by_hand(mutual_aid):
    refresh_figures()
    district, huashe = mutual_aid["SX-KQ"], mutual_aid["KQ-HS"]

    # 11 (HS-001, the demo worker included) + 6 (HS-002, 2 of whom left) + 5 (QX-001, unpaid) enrolled this
    # year; QX-002 was enrolled last year
    assert _value(district, "mutual_aid.members_enrolled") == 22
    # covered: 11 + the 4 holding of HS-002, of 25 holding members in the district
    coverage = _figure(district, "mutual_aid.coverage_rate")
    assert (coverage.numerator, coverage.denominator) == (15, 25)
    assert _value(huashe, "mutual_aid.claims") == 6
    assert _value(district, "mutual_aid.claims_by_cause", "cancer") == 2
    days = _figure(district, "mutual_aid.days_to_payment")  # 10, 30 (Feb 1 -> Mar 3), 3 and 29 days
    assert (days.numerator, days.denominator) == (72 if YEAR % 4 else 73, 4)
    assert _value(district, "mutual_aid.amount_paid") == Decimal("11622.71")
    assert get_metric("mutual_aid.days_to_payment").lower_is_better


def test_amount_paid_counts_only_mutual_aids_payments(mutual_aid, finance):
    """Payments are a core capability: a paid payment of another app's batch (paying a member directly, or
    even naming a claim) is not mutual aid's amount paid, at any node, nor a row of its selector."""
    from mutual_aid import selectors

    other = PaymentBatch.objects.create(org=mutual_aid["SX-KQ"], app_label="assistance", created_by=finance)
    member = Member.objects.filter(org=mutual_aid["KQ-HS-001"]).order_by("pk").first()
    approved = Claim.objects.get(status="approved")
    for payer, amount in ((member, "500.00"), (approved, "77.00")):
        Payment.objects.create(
            batch=other, payer=payer, amount=Decimal(amount), account_name=member.name,
            bank_account="6222000011113333", bank_name="工商银行", status="paid", decided_at=_at(dt.date(YEAR, 2, 1)),
        )  # fmt: skip

    rows = list(selectors.paid_amounts_by_org(year=YEAR))
    assert all(row["path"] for row in rows)
    assert sum(row["total"] for row in rows) == Decimal("11622.71")

    refresh_figures()
    assert _value(mutual_aid["SX-KQ"], "mutual_aid.amount_paid") == Decimal("11622.71")
    for node in _nodes():
        amount = Payment.objects.filter(
            batch__app_label="mutual_aid", status="paid", decided_at__year=YEAR,
            claim__member__org__path__startswith=node.path,
        ).aggregate(s=Sum("amount"))["s"]  # fmt: skip
        assert _value(node, "mutual_aid.amount_paid") == (amount or 0), node.code


# --- competitions ----------------------------------------------------------------------------------------


def _team_path(team: Team) -> str:
    for unit in (team.org, team.member and team.member.org, team.enterprise and team.enterprise.union):
        if unit:
            return unit.path
    return team.campaign.org.path


def test_competition_figures_agree_exactly_with_the_raw_tables_at_every_node(competitions):
    refresh_figures()

    teams = list(Team.objects.filter(campaign__year=YEAR).select_related("org", "member__org", "enterprise__union"))
    honours = list(Honour.objects.filter(year=YEAR).select_related("team__org", "team__member__org"))
    results = list(Result.objects.filter(period__status="released", period__campaign__year=YEAR))
    for node in _nodes():
        mine = [t for t in teams if _team_path(t).startswith(node.path)]
        assert _value(node, "competitions.teams") == len(mine), node.code
        their_honours = [h for h in honours if _team_path(h.team).startswith(node.path)]
        assert _value(node, "competitions.honours") == len(their_honours), node.code
        for kind in {h.kind for h in their_honours}:
            n = sum(1 for h in their_honours if h.kind == kind)
            assert _value(node, "competitions.honours_by_kind", kind) == n, (node.code, kind)
        scored = [r for r in results if _team_path(r.team).startswith(node.path)]
        score = _figure(node, "competitions.mean_score")
        if scored:
            assert (score.numerator, score.denominator) == (sum(r.total for r in scored), len(scored)), node.code
        else:
            assert score is None

    district = competitions["SX-KQ"]
    assert _value(district, "competitions.teams") == 5  # last year's team does not count
    assert _value(competitions["KQ-HS"], "competitions.teams") == 2
    assert _value(competitions["KQ-IND-BLD-001"], "competitions.teams") == 1  # through its enterprise
    assert _figure(district, "competitions.mean_score").value == Decimal("80.7700")  # released period only
    assert _value(district, "competitions.honours_by_kind", "merit_2") == 2


# --- awards ----------------------------------------------------------------------------------------------


def test_award_figures_agree_exactly_with_the_raw_tables_at_every_node(awards):
    refresh_figures()

    for node in _nodes():
        submitted = Nomination.objects.filter(round__year=YEAR, org__path__startswith=node.path).exclude(status="draft")
        assert _value(node, "awards.nominations") == submitted.count(), node.code
        for status, n in submitted.values_list("status").annotate(n=Count("id")):
            assert _value(node, "awards.nominations_by_stage", status) == n, (node.code, status)
        honoured = submitted.filter(status="approved")
        assert _value(node, "awards.honours") == honoured.count(), node.code
        for kind, n in honoured.values_list("award_type__kind").annotate(n=Count("id")):
            assert _value(node, "awards.honours_by_type", kind) == n, (node.code, kind)

    district = awards["SX-KQ"]
    assert _value(district, "awards.nominations") == 7
    assert _value(district, "awards.honours") == 4
    assert _value(awards["KQ-HS-001"], "awards.honours_by_type", "model_worker") == 2
    assert _value(awards["KQ-QX"], "awards.nominations_by_stage", "township_review") == 1
    assert _figure(district, "awards.nominations_by_stage", "draft") is None


# --- union funds -----------------------------------------------------------------------------------------


def test_funds_figures_agree_exactly_with_the_raw_tables_at_every_node(funds):
    refresh_figures()

    year = (dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31))
    for node in _nodes():
        collections = FundsCollection.objects.filter(status="posted", period__range=year)
        collected = sum(
            c.amount
            for c in collections.select_related("union", "township")
            if (c.union or c.township).path.startswith(node.path)
        )
        assert _value(node, "funds.collected") == collected, node.code

        reserve = JournalLine.objects.filter(
            account__kind="reserve", account__org__path__startswith=node.path, entry__period__lte=year[1]
        ).aggregate(s=Sum("amount"))["s"]
        row = _figure(node, "funds.reserve_held")
        if reserve is None:
            assert row is None
        else:
            assert row.value == -reserve, node.code

        dues = DuesPayment.objects.filter(period__range=year, member__org__path__startswith=node.path)
        assert _value(node, "funds.dues") == (dues.aggregate(s=Sum("amount"))["s"] or 0), node.code
        members = Member.objects.filter(org__path__startswith=node.path, status__in=HOLDING)
        share = _figure(node, "funds.dues_share")
        if members.exists():
            paying = dues.filter(member__status__in=HOLDING).values("member").distinct().count()
            assert (share.numerator, share.denominator) == (paying, members.count()), node.code
        else:
            assert share is None

    district, huashe = funds["SX-KQ"], funds["KQ-HS"]
    # 1000 + 1000.01 + 2000 (the reversed 999.99 does not count) + 500.55 of reserve
    assert _value(district, "funds.collected") == Decimal("4500.56")
    assert _value(huashe, "funds.reserve_held") == Decimal("507.55")  # this year's and last year's
    assert _value(district, "funds.dues") == Decimal("102.50")
    assert _figure(district, "funds.dues_share").numerator == 3


# --- constant number of queries -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key,queries",
    [
        ("mutual_aid.members_enrolled", 1),
        ("mutual_aid.coverage_rate", 2),
        ("mutual_aid.unit_enrolment_rate", 1),
        # the year's scheme first, then its claims by its key (a plan that reads that year only: 2 queries)
        ("mutual_aid.claims", 2),
        ("mutual_aid.claims_by_state", 2),
        ("mutual_aid.days_to_payment", 1),
        ("mutual_aid.amount_paid", 1),
        ("mutual_aid.claims_by_cause", 2),
        ("competitions.teams", 1),
        ("competitions.honours", 1),
        ("competitions.honours_by_kind", 1),
        ("competitions.mean_score", 1),
        ("awards.nominations", 1),
        ("awards.nominations_by_stage", 1),
        ("awards.honours", 1),
        ("awards.honours_by_type", 1),
        ("funds.collected", 1),
        ("funds.reserve_held", 1),
        ("funds.dues", 1),
        ("funds.dues_share", 2),
    ],
)
def test_each_provider_runs_a_fixed_number_of_queries(mutual_aid, competitions, awards, funds, key, queries):
    ctx = FigureContext(year=YEAR, today=clock.current_date())
    with CaptureQueriesContext(connection) as captured:
        contributions = list(get_metric(key).provider(ctx))
    assert len(captured) == queries and contributions


# --- assessment ------------------------------------------------------------------------------------------


def test_the_assessment_page_offers_the_new_figures_without_a_breakdown(roll, login, district_admin):
    from dashboard import services

    scheme = services.scheme_create(by=district_admin, owner=roll["SX-KQ"], title="考核", period=str(YEAR))
    body = login(district_admin).get(f"/dashboard/assessments/{scheme.pk}/").content.decode()

    for key in ["mutual_aid.coverage_rate", "mutual_aid.days_to_payment", "competitions.teams",
                "mutual_aid.unit_enrolment_rate", "awards.honours", "funds.dues_share"]:  # fmt: skip
        assert f'value="{key}"' in body, key
    assert 'value="mutual_aid.claims_by_state"' not in body and 'value="awards.nominations_by_stage"' not in body
    assert "参保覆盖率" in body


def test_assessment_items_on_coverage_turnaround_and_participation_score_each_township(
    mutual_aid, competitions, district_admin
):
    from dashboard import services
    from dashboard.assessment import figure_points, scheme_results

    refresh_figures()
    scheme = services.scheme_create(by=district_admin, owner=mutual_aid["SX-KQ"], title="考核", period=str(YEAR))
    for title, key, target, lower in [
        ("参保覆盖率", "mutual_aid.coverage_rate", 80, False),
        ("理赔时效", "mutual_aid.days_to_payment", 7, True),
        ("劳动竞赛参与", "competitions.teams", 2, False),
    ]:
        services.item_add(by=district_admin, scheme=scheme, title=title, kind="figure", weight=Decimal(10),
                          metric=key, target=Decimal(target), lower_is_better=lower)  # fmt: skip
    services.scheme_set_status(by=district_admin, scheme=scheme, status="open")

    results = {r.unit.code: r for r in scheme_results(scheme)}

    huashe = results["KQ-HS"]
    items = list(scheme.items.order_by("pk"))
    expected = [figure_points(item, _figure(huashe.unit, item.metric).value) for item in items]
    assert [s.points for s in huashe.scores] == expected
    # all 15 members covered (full), days 10, 30 and 3 (mean 14.33 > 7: in proportion), 2 teams (full)
    assert expected[0] == Decimal("10.00") and Decimal(0) < expected[1] < Decimal(10) and expected[2] == 10
    assert results["KQ-KQ"].total == 0  # no members, no claims, no teams: no figures, no points


# --- the dashboard page ----------------------------------------------------------------------------------


@pytest.fixture
def every_domain(mutual_aid, competitions, awards, funds):
    refresh_figures()
    return mutual_aid


def test_the_dashboard_shows_a_section_with_cards_for_each_domain(every_domain, login, district_admin):
    response = login(district_admin).get(f"/dashboard/?node={every_domain['KQ-HS'].pk}")

    body = response.content.decode()
    sections = [str(s["label"]) for s in response.context["sections"]]
    assert sections == ["会员", "医疗互助", "劳动竞赛", "评选表彰", "困难职工帮扶", "工会经费", "劳动关系"]
    cards = {m.key: text for m, text, _shown in response.context["cards"]}
    exact = {m.key: shown["exact"] for m, _text, shown in response.context["cards"]}
    assert cards["mutual_aid.claims"] == "6" and cards["competitions.teams"] == "2"
    # money in 万元 on the card (issue 16), the exact yuan beside it
    assert cards["awards.honours"] == "3" and cards["funds.reserve_held"] == "0.05 万元"
    assert exact["funds.reserve_held"] == "507.55 元"
    assert "参保覆盖率" in body and "从申请到拨付平均天数" in body and "代管筹备金" in body
    # each section drills down: the unions of Huashe are rows of the mutual-aid table
    mutual = next(s for s in response.context["sections"] if str(s["label"]) == "医疗互助")
    assert [child.code for child, _texts in mutual["rows"]] == ["KQ-HS-001", "KQ-HS-002", "KQ-HS-003"]


@pytest.mark.parametrize("metric", ["mutual_aid.claims_by_cause", "awards.nominations_by_stage"])
def test_a_domain_breakdown_page_lists_keys_most_frequent_first(every_domain, login, district_admin, metric):
    response = login(district_admin).get(f"/dashboard/figures/{metric}/")

    assert response.status_code == 200
    values = [snap.value for _label, snap, _text in response.context["rows"]]
    assert values == sorted(values, reverse=True) and values


@pytest.mark.parametrize("level", ["SX-KQ", "KQ-HS"])
def test_drill_down_queries_stay_constant_with_every_domain_section(
    every_domain, login, district_admin, django_assert_num_queries, level
):
    from .test_views import _add_townships

    client = login(district_admin)
    url = f"/dashboard/?node={every_domain[level].pk}"
    client.get(url)  # warm the session

    # as tests/dashboard/test_views.py: the new sections' figures come in the same one query as the others
    with django_assert_num_queries(10):
        client.get(url)
    parent = OrgUnit.objects.get(code=level)
    if level == "SX-KQ":
        _add_townships(parent, 3)
    else:
        for i in range(3):
            OrgUnit.objects.add_child(parent, {"code": f"KQ-HS-Y{i}", "name": f"新工会{i}", "kind": "grassroots"})
    refresh_figures()
    # new units inserted in code order rewrite later siblings' paths: the per-user cache refills
    client.get(url)
    with django_assert_num_queries(10):
        client.get(url)


# --- the API -----------------------------------------------------------------------------------------------


def test_the_api_lists_the_new_figures_in_the_users_scope(every_domain, district_admin, huashe_staff):
    from .test_api import api

    metrics = {m["key"]: m for m in api(district_admin).get("/api/v1/dashboard/metrics/").json()["results"]}
    assert {"mutual_aid.coverage_rate", "competitions.teams", "awards.honours", "funds.collected"} <= set(metrics)

    client = api(huashe_staff)
    rows = client.get("/api/v1/dashboard/figures/", {"metric": "mutual_aid.claims"}).json()["results"]
    assert {r["node_code"]: r["value"] for r in rows} == {
        "KQ-HS": "6.0000",
        "KQ-HS-001": "4.0000",
        "KQ-HS-002": "2.0000",
    }
    assert client.get("/api/v1/dashboard/figures/", {"node": every_domain["KQ-QX"].pk}).status_code == 404

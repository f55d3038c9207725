"""The figure store: every provider's rolled-up figures agree exactly with counts taken from the raw tables."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum

from dashboard.figures import refresh_figures
from dashboard.models import FigureRun, FigureSnapshot
from dashboard.registry import all_metrics, get_metric
from members.models import Enterprise, Member
from tests import clock
from union_portal.models import OrgUnit

HOLDING = Member.HOLDING_STATUSES


def _figure(node, metric, key=""):
    row = FigureSnapshot.objects.filter(
        node=node, metric=metric, key=key, period=str(clock.current_date().year)
    ).first()
    return row


def _nodes():
    return OrgUnit.objects.exclude(kind=OrgUnit.Kind.GROUP)


def test_member_counts_agree_exactly_with_the_roll_at_every_node(roll):
    # when
    run = refresh_figures()

    # then
    assert run.status == FigureRun.Status.DONE and run.rows > 0
    year_start = dt.date(clock.current_date().year, 1, 1)
    for node in _nodes():
        members = Member.objects.filter(org__path__startswith=node.path, status__in=HOLDING)
        total = members.count()
        row = _figure(node, "members.total")
        assert (row.value if row else 0) == total, node.code
        new = members.filter(joined_on__gte=year_start).count()
        row = _figure(node, "members.new")
        assert (row.value if row else 0) == new, node.code
        if total:
            migrant = _figure(node, "members.migrant_share")
            assert migrant.numerator == members.filter(is_migrant=True).count()
            assert migrant.denominator == total
            women = _figure(node, "members.women_share")
            assert women.numerator == members.filter(sex="F").count()


def test_establishment_rate_agrees_with_the_enterprise_register_by_township(roll):
    refresh_figures()

    for node in _nodes():
        firms = Enterprise.objects.filter(township__path__startswith=node.path, employee_count__gte=25)
        row = _figure(node, "enterprises.establishment_rate")
        if not firms.exists():
            assert row is None
            continue
        unionised = firms.filter(union__isnull=False).count()
        assert (row.numerator, row.denominator) == (unionised, firms.count()), node.code
        assert row.value == (Decimal(unionised) * 100 / firms.count()).quantize(Decimal("0.0001"))


def test_establishment_rate_counts_only_firms_of_25_staff_or_more(roll):
    huashe = roll["KQ-HS"]
    refresh_figures()

    # Huashe: two unionised firms of 860 and 240 staff, the 18-staff studio does not count, one firm of 66
    # without a union: 2 of 3.
    row = _figure(huashe, "enterprises.establishment_rate")
    assert (row.numerator, row.denominator, row.value) == (2, 3, Decimal("66.6667"))


def test_membership_rate_is_members_over_staff_of_unionised_firms(roll):
    refresh_figures()

    for node in _nodes():
        members = Member.objects.filter(org__path__startswith=node.path, status__in=HOLDING).count()
        staff = Enterprise.objects.filter(union__path__startswith=node.path).aggregate(s=Sum("employee_count"))["s"]
        row = _figure(node, "members.membership_rate")
        if not staff:
            assert row is None
            continue
        assert (row.numerator, row.denominator) == (members, staff), node.code


def test_breakdowns_by_industry_and_size_add_up_to_the_totals(roll):
    refresh_figures()
    district = roll["SX-KQ"]

    by_industry = FigureSnapshot.objects.filter(node=district, metric="members.by_industry")
    assert sum(r.value for r in by_industry) == _figure(district, "members.total").value
    textile = by_industry.get(key="纺织")  # 华舍织造 (KQ-HS-002): 4 active, 2 left
    assert textile.value == 4

    by_size = FigureSnapshot.objects.filter(node=district, metric="enterprises.establishment_rate_by_size")
    total = _figure(district, "enterprises.establishment_rate")
    assert sum(r.numerator for r in by_size) == total.numerator
    assert sum(r.denominator for r in by_size) == total.denominator


def test_a_second_refresh_replaces_figures_and_drops_those_gone(roll):
    refresh_figures()
    Member.objects.filter(org=roll["KQ-QX-002"]).update(status="left")

    refresh_figures()

    assert _figure(roll["KQ-QX-002"], "members.total") is None
    assert _figure(roll["KQ-QX"], "members.total").value == 5
    assert FigureRun.objects.filter(status="done").count() == 2


def test_every_registered_metric_has_a_label_and_a_kind(db):
    metrics = all_metrics()
    assert len(metrics) >= 12 and len({m.key for m in metrics}) == len(metrics)
    assert get_metric("members.total").headline and get_metric("nope") is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_refreshes_at_once_both_finish_and_leave_one_set_of_figures(roll):
    from tests.races import run_together

    errors = [r for r in run_together(refresh_figures, refresh_figures) if isinstance(r, Exception)]

    assert errors == []
    district = roll["SX-KQ"]
    assert _figure(district, "members.total").value == Member.objects.filter(status__in=HOLDING).count()

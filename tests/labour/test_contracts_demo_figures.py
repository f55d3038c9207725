"""The contracts' demo data (every state in 华舍 and 齐贤, a regional contract, a round in progress, officers) and
the dashboard's contract figures, which agree exactly with counts on the raw tables at every node."""

import io
from decimal import Decimal

import pytest
from django.utils import timezone

from dashboard.figures import refresh_figures
from dashboard.models import FigureSnapshot
from labour import demo_contracts
from labour.models import BargainingOfficer, BargainingRound, CollectiveContract
from labour.selectors.contracts import enterprises_with_valid_contract
from members.models import Enterprise
from union_portal.models import OrgUnit
from union_portal.rounding import round_half_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(tree):
    demo_contracts.seed(stdout=io.StringIO())
    return tree


def _value(node, metric):
    row = FigureSnapshot.objects.filter(node=node, metric=metric, key="", period=str(timezone.localdate().year)).first()
    return row.value if row else None


def _percent(numerator: int, denominator: int) -> Decimal:
    return round_half_up(Decimal(numerator) * 100 / Decimal(denominator), Decimal("0.0001"))


def test_the_demo_has_every_state_in_both_townships_a_regional_contract_a_round_and_officers(demo):
    # given / when: the demo seeded (again: it runs once)
    demo_contracts.seed(stdout=io.StringIO())
    # then
    for township in ("KQ-HS", "KQ-QX"):
        here = CollectiveContract.objects.filter(org__path__startswith=demo[township].path)
        states = set(here.values_list("status", flat=True))
        assert {"draft", "signed", "filed", "effective", "objected"} <= states, township
        assert BargainingRound.objects.filter(org__path__startswith=demo[township].path, status="bargaining").exists()
        assert BargainingOfficer.objects.filter(org=demo[township]).count() == 2
    regional = CollectiveContract.objects.get(level="regional")
    assert regional.status == "effective" and regional.covered.count() == 2
    assert CollectiveContract.objects.filter(title__contains="即将到期").count() == 2


def test_the_coverage_figures_agree_with_the_raw_tables_at_every_node(demo):
    # given
    today = timezone.localdate()
    refresh_figures()
    # when / then
    for node in OrgUnit.objects.exclude(kind=OrgUnit.Kind.GROUP):
        unionised = Enterprise.objects.filter(union__isnull=False, township__path__startswith=node.path)
        ids = list(unionised.values_list("pk", flat=True))
        if not ids:
            continue
        covered = enterprises_with_valid_contract(enterprise_ids=ids, on=today)
        wage = enterprises_with_valid_contract(enterprise_ids=ids, on=today, kind="wage")
        assert _value(node, "labour.contract_coverage") == _percent(len(covered), len(ids)), node.code
        assert _value(node, "labour.wage_bargaining_rate") == _percent(len(wage), len(ids)), node.code
    huashe = demo["KQ-HS"]
    # 华舍: three unionised firms, all covered (HS-001 by its own, HS-002/003 by the regional contract)
    assert _value(huashe, "labour.contract_coverage") == 100
    in_force = CollectiveContract.objects.filter(
        status="effective", starts_on__lte=today, ends_on__gte=today, org__path__startswith=huashe.path
    )
    assert _value(huashe, "labour.workers_covered") == sum(c.workers_covered for c in in_force)
    assert _value(huashe, "labour.contracts_expiring") == 1

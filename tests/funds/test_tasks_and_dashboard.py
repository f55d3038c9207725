import datetime as dt
from decimal import Decimal

from django.conf import settings

from funds.models import FoundingReserveHandover
from funds.selectors import funds_totals
from funds.tasks import founding_reserve_hand_over_task, founding_reserve_sweep_task
from members.models import Enterprise
from union_portal.models import OrgUnit

from .conftest import YEAR


def test_the_sweep_runs_nightly_and_its_task_is_idempotent(tree, hs_no_union, collect):
    assert settings.CELERY_BEAT_SCHEDULE["funds-founding-reserve-sweep"]["task"] == founding_reserve_sweep_task.name
    collect(hs_no_union, dt.date(YEAR, 1, 1), "12.34")
    union = OrgUnit.objects.add_child(tree["KQ-HS"], {"code": "KQ-HS-093", "name": "新工会", "kind": "grassroots"})
    Enterprise.objects.filter(pk=hs_no_union.pk).update(union=union)

    assert founding_reserve_sweep_task.delay().get() == 1
    assert founding_reserve_sweep_task.delay().get() == 0
    assert founding_reserve_hand_over_task.delay(hs_no_union.pk).get() == "12.34"
    assert FoundingReserveHandover.objects.count() == 1


def test_dashboard_totals_by_subtree_and_period(tree, hs_firm, qx_firm, hs_no_union, collect, finance):
    from funds.services import payroll_declare

    payroll_declare(by=finance, enterprise=hs_firm, period=dt.date(YEAR, 3, 1), total_payroll=Decimal("10000"))
    collect(hs_firm, dt.date(YEAR, 3, 1), "200.00")
    collect(hs_no_union, dt.date(YEAR, 3, 1), "50.00")
    collect(qx_firm, dt.date(YEAR, 3, 1), "300.00")
    collect(hs_firm, dt.date(YEAR, 5, 1), "1.00")  # outside the months asked

    huashe = funds_totals(node=tree["KQ-HS"], period_from=dt.date(YEAR, 1, 1), period_to=dt.date(YEAR, 4, 1))
    district = funds_totals(node=tree["SX-KQ"], period_from=dt.date(YEAR, 1, 1), period_to=dt.date(YEAR, 4, 1))

    assert huashe["due"] == Decimal("200.00") and huashe["collected"] == Decimal("250.00")
    assert huashe["reserve_collected"] == Decimal("50.00") and huashe["reserve_held"] == Decimal("50.00")
    assert huashe["allocated"]["grassroots"] == Decimal("120.00")
    assert district["collected"] == Decimal("550.00")
    assert sum(district["allocated"].values()) == Decimal("500.00")


def test_the_import_benchmark_runs_and_leaves_nothing_behind(tree):
    import io

    from django.core.management import call_command

    from funds.models import FundsCollection

    out = io.StringIO()
    call_command("bench_funds", rows=5, stdout=out)
    assert "import of 5 rows" in out.getvalue() and "(5 posted)" in out.getvalue()
    assert not FundsCollection.objects.exists() and not Enterprise.objects.filter(name__startswith="压测").exists()

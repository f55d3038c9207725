from bench.dashboard_figures import bench
from tests import clock


def test_bench_reports_page_and_raw_timings_with_the_page_query_count(roll):
    result = bench(repeat=2, refresh=True)

    # the node with its breadcrumb, the units below, the figures, the refresh log (assignments: per-user cache)
    assert result["page_queries"] == 4
    assert result["raw_queries"] == 3  # members, establishment, staff of unionised firms
    assert result["page_ms"] > 0 and result["raw_ms"] > 0


def test_the_raw_aggregate_agrees_with_the_summary_table(roll):

    from bench.dashboard_figures import raw_aggregate
    from dashboard.figures import refresh_figures
    from dashboard.models import FigureSnapshot

    refresh_figures()
    district = roll["SX-KQ"]
    members, establishment, _staff = raw_aggregate(
        path=district.path, year_start=clock.current_date().replace(month=1, day=1)
    )

    by_path = {row[0]: row[1] for row in members}
    summary = {
        s.node.path: s.value
        for s in FigureSnapshot.objects.filter(metric="members.total", node__depth=3).select_related("node")
    }
    assert by_path == summary
    firms = {row[0]: (row[2], row[1]) for row in establishment}
    rates = FigureSnapshot.objects.filter(metric="enterprises.establishment_rate", node__depth=3).select_related("node")
    assert firms == {s.node.path: (s.numerator, s.denominator) for s in rates}

from union_portal.bench_dashboard import bench


def test_bench_reports_page_and_raw_timings_with_the_page_query_count(roll):
    result = bench(repeat=2, refresh=True)

    # the node, breadcrumb, units below, node figures, figures below, last refresh, years, assignments
    assert result["page_queries"] == 8
    assert result["raw_queries"] == 7  # the headline providers' grouped queries (membership rate: two)
    assert result["page_ms"] > 0 and result["raw_ms"] > 0

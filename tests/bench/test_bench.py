"""Smoke tests of the benchmark machinery on tiny data, so it does not rot between benchmark runs. They prove
the generator builds a valid tree and valid people, refuses to run twice, and that an operation runs and
reports; they assert no timing (speed is measured by `manage.py bench`, never asserted in a test)."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import override_settings

from bench import generate, synthetic
from bench.runner import Bench, Result, Timing, markdown_table, run_operations, text_table, write_results
from members.models import Enterprise, Member, MemberEvent
from union_portal.identity import id_number_hash, validate_id_number
from union_portal.models import OrgUnit


def test_union_sizes_add_up_and_are_skewed():
    import random

    sizes = synthetic.union_sizes(random.Random(1), unions=1000, members=400_000)

    assert sum(sizes) == 400_000
    assert min(sizes) >= 3
    assert max(sizes) <= 9000
    assert sum(1 for s in sizes if s < 100) > 300  # many unions of tens
    assert 10 < sum(1 for s in sizes if s >= 1000) < 200  # a few of thousands


def test_union_sizes_of_tiny_runs_add_up():
    import random

    assert sum(synthetic.union_sizes(random.Random(1), unions=10, members=20)) == 20
    assert sum(synthetic.union_sizes(random.Random(1), unions=5, members=200)) == 200


@pytest.mark.django_db
def test_bench_seed_scale_builds_a_valid_tree_of_valid_members(tree):
    # when
    call_command("bench_seed", scale="keqiao", members=200, unions=6, stdout=io.StringIO())

    # then: a valid treebeard tree, the planned counts, valid and distinct ID numbers
    assert not any(OrgUnit.objects.find_problems())
    assert OrgUnit.objects.filter(code__regex=generate.SYNTHETIC_CODE_SQL).count() == 6
    synthetic_members = Member.objects.filter(member_number__startswith="KQS")
    assert synthetic_members.count() == 200
    numbers = [m.id_number for m in synthetic_members]
    assert len(set(numbers)) == 200
    for member in synthetic_members[:50]:
        assert validate_id_number(member.id_number) == member.id_number
        assert member.id_number_hash == id_number_hash(member.id_number)
        assert member.org.kind == OrgUnit.Kind.GRASSROOTS
        assert member.enterprise.union_id == member.org_id
        assert member.birth_date.strftime("%Y%m%d") == member.id_number[6:14]
    assert MemberEvent.objects.filter(member__member_number__startswith="KQS", kind="joined").count() == 200
    assert Enterprise.objects.filter(union__code__regex=generate.SYNTHETIC_CODE_SQL).exists()
    # a new child of a township still gets a valid treebeard path after the bulk insert
    OrgUnit.objects.add_child(
        OrgUnit.objects.get(code="KQ-HS"), {"code": "KQ-HS-004", "name": "新工会", "kind": OrgUnit.Kind.GRASSROOTS}
    )
    assert not any(OrgUnit.objects.find_problems())


@pytest.mark.django_db
def test_bench_seed_scale_refuses_to_run_twice(tree):
    call_command("bench_seed", scale="keqiao", members=30, unions=3, stdout=io.StringIO())

    with pytest.raises(CommandError, match="already in this database"):
        call_command("bench_seed", scale="keqiao", members=30, unions=3, stdout=io.StringIO())

    assert Member.objects.filter(member_number__startswith="KQS").count() == 30


@pytest.mark.postgres
@pytest.mark.django_db
def test_generator_copies_rows_on_postgresql(tree):
    assert connection.vendor == "postgresql"
    call_command("bench_seed", scale="keqiao", members=300, unions=5, stdout=io.StringIO())

    member = Member.objects.filter(member_number__startswith="KQS").first()
    assert validate_id_number(member.id_number) == member.id_number  # decrypts: COPY stored ciphertext
    assert Member.objects.filter(id_number_hash=id_number_hash(member.id_number)).get() == member
    assert not any(OrgUnit.objects.find_problems())


@pytest.mark.django_db
def test_an_operation_runs_with_two_runs_and_reports_its_anchor(tree, tmp_path):
    from bench import operations  # noqa: F401 - registers the operations

    bench = Bench(runs=2, warmup=0, stdout=io.StringIO())
    try:
        with override_settings(ROOT_URLCONF="bench.urls"):
            results = run_operations(bench, only=["org tree list"])
    finally:
        bench.close()

    assert [r.name for r in results] == ["org tree list: district", "org tree list: township"]
    for result in results:
        assert result.status == "ok", result.note
        assert result.runs == 2
        assert result.queries > 0
        assert result.anchor == "bare view"
        assert result.ratio is not None
    document = write_results(tmp_path / "results.json", results, data={}, started=_now(), options={})
    saved = json.loads((tmp_path / "results.json").read_text())
    assert saved == document
    assert set(saved["operations"][0]) >= {"name", "median_ms", "p95_ms", "queries", "anchor",
                                           "anchor_median_ms", "ratio", "goal", "met"}  # fmt: skip
    assert {"cpu_count", "cpu_model", "memory_gb", "python", "database"} <= set(saved["machine"])
    assert "org tree list: district" in text_table(results)
    assert "org tree list: district" in markdown_table(results)


@pytest.mark.django_db
def test_missing_pages_and_modules_are_reported_not_available(tree):
    from bench import operations

    bench = Bench(runs=2, warmup=0)
    try:
        with override_settings(ROOT_URLCONF="bench.urls"):
            page = operations.measure_page(
                bench, name="no such page", url_names=("members:no_such_page",), username="huashe_staff", goal=3
            )
            claims = (
                operations.claim_review(bench) if operations.optional_module("bench.claim_review") is None else None
            )
    finally:
        bench.close()

    assert page.status == "not available"
    assert page.median_ms is None
    assert page.as_json()["status"] == "not available"
    if claims is not None:
        assert claims.status == "not available"
        assert claims.per_s is None


def test_throughput_results_use_per_s_in_place_of_times():
    data = Result(name="x", per_s=210.5, goal="≥ 200/s", met=True, runs=1).as_json()

    assert data["per_s"] == 210.5
    assert "median_ms" not in data and "p95_ms" not in data


def test_a_page_goal_holds_only_when_the_median_and_the_p95_ratio_both_hold():
    anchor = Timing([10.0] * 19 + [12.0])
    fast_median_slow_tail = Result(name="page", median_ms=15.0, p95_ms=40.0)

    fast_median_slow_tail.compare("bare view", anchor, max_ratio=2)

    assert (fast_median_slow_tail.ratio, fast_median_slow_tail.p95_ratio) == (1.5, 4.0)
    assert fast_median_slow_tail.goal == "≤ 2×"
    assert fast_median_slow_tail.met is False
    data = fast_median_slow_tail.as_json()
    assert data["p95_ratio"] == 4.0 and data["anchor_p95_ms"] == 10.0
    assert [(c["what"], c["met"]) for c in data["checks"]] == [("median ratio", True), ("p95 ratio", False)]
    both = Result(name="page", median_ms=15.0, p95_ms=20.0).compare("bare view", anchor, max_ratio=2)
    assert both.met is True


def test_a_second_figure_and_a_throughput_floor_are_checks_of_their_own():
    result = Result(name="import", median_ms=8000.0, p95_ms=8100.0).compare(
        "COPY", Timing([5000.0, 5000.0]), max_ratio=1.6
    )
    result.check("peak memory", 310.0, 300, unit="MB")

    assert result.goal == "≤ 1.6×, ≤ 300 MB"
    assert result.met is False  # the ratio holds (1.6×), the memory does not
    http = Result(name="http", per_s=90.0).compare_throughput("bare view", 200.0, min_ratio=0.5)
    assert (http.ratio, http.goal, http.met) == (0.45, "≥ 0.5×", False)
    assert http.as_json()["anchor_per_s"] == 200.0


def test_every_goal_of_the_issue_has_a_row_even_before_an_operation_answers_it():
    from bench.runner import GOALS, unanswered_goals

    answered = Result(name="member list", median_ms=1.0, p95_ms=1.0, goal_id="pages")

    rows = unanswered_goals([answered])

    assert {r.goal_id for r in rows} == set(GOALS) - {"pages"}
    assert all(r.status == "not available" and r.goal for r in rows)
    assert [r.goal_id for r in unanswered_goals([answered], only=["HTTP"])] == ["http"]


def test_p95_is_the_nearest_rank():
    timing = Timing([float(i) for i in range(1, 21)])

    assert timing.median_ms == 10.5
    assert timing.p95_ms == 19.0


def _now():
    import datetime as dt

    return dt.datetime.now(dt.UTC)


@pytest.fixture
def fake_module(monkeypatch):
    """Install a stand-in for an app's bench hook module (the real ones arrive with the domain apps)."""
    import sys
    import types

    def install(name, **attributes):
        module = types.ModuleType(name)
        for key, value in attributes.items():
            setattr(module, key, value)
        monkeypatch.setitem(sys.modules, name, module)
        return module

    return install


@pytest.mark.django_db
def test_claim_review_reports_cpu_per_claim_against_its_goals(tree, fake_module, settings):
    from bench import operations

    settings.REDIS_URL = "redis://127.0.0.1:6379/15"
    calls = []
    fake_module(
        "bench.claim_review",
        clean=lambda out: calls.append("clean"),
        setup_members=lambda *, count, out: ("scheme", ["m"] * count),
        create_claims=lambda *, scheme, members, count, status, out: list(range(count)),
        run_review=lambda *, ids, out, batch: {
            "claims": len(ids),
            "reviewed": len(ids),
            "claims_per_s_busy": 150.0,
            "claims_per_s_wall": 120.0,
            "worker_cpu_ms_per_claim": 3.0 if not batch else 0.8,
            "db_backend_cpu_ms_per_claim": 1.5 if not batch else 0.3,
            "db_transactions_per_claim": 0.02,
            "load_average": 1.0,
        },  # fmt: skip
    )

    one = operations.claim_review(Bench(runs=2), claims=30, members=5)
    batch = operations.claim_review_batch(Bench(runs=2), claims=30, members=5)

    # one task per claim: 3.0 + 1.5 = 4.5 ms of CPU a claim, within 5 ms
    assert one.status == "ok"
    assert one.per_s == 150.0
    assert one.goal == "≤ 5 ms" and one.goal_id == "review-cpu"
    assert one.checks[0].what == "CPU per claim" and one.checks[0].value == 4.5
    assert one.met is True
    assert "4.5 ms = worker 3.0 ms" in one.note and "PostgreSQL 1.5 ms" in one.note
    # batch tasks: 0.8 + 0.3 = 1.1 ms, over 1 ms
    assert batch.goal == "≤ 1 ms" and batch.goal_id == "review-batch"
    assert batch.met is False
    assert calls == ["clean", "clean"] * 2  # leaves no bench claims behind


@pytest.mark.django_db
def test_dashboard_ratio_comes_from_the_dashboard_hook(tree, fake_module):
    from bench import operations

    fake_module(
        "bench.dashboard_figures",
        bench=lambda *, username, repeat, refresh: {
            "page_ms": 12.0,
            "raw_ms": 48.0,
            "page_queries": 9,
            "raw_queries": 7,
            "ratio": 0.25,
            "repeat": repeat,
        },  # fmt: skip
    )
    bench = Bench(runs=2, warmup=0)
    try:
        with override_settings(ROOT_URLCONF="bench.urls"):
            page, versus_sql = operations.dashboard(bench)
    finally:
        bench.close()

    assert versus_sql.ratio == 0.25
    assert versus_sql.met is True
    assert versus_sql.anchor_median_ms == 48.0
    assert page.name == "dashboard page"  # measured through the client when the URL exists, else not available


@pytest.mark.postgres
@pytest.mark.django_db
def test_excel_import_is_compared_with_copy_of_the_same_rows_and_rolled_back(tree, fake_module, monkeypatch):
    from bench import operations
    from bench.writer import insert_rows

    monkeypatch.setattr(operations, "IMPORT_ROWS", 40)
    seen = {}

    def import_file(data, *, org, by):
        from openpyxl import load_workbook

        rows = list(load_workbook(io.BytesIO(data), read_only=True).worksheets[0].values)
        seen["header"] = rows[0]
        people = operations.make_people(40)
        return insert_rows(Member, operations.member_rows(people, org=org), prepared=True), []

    fake_module("members.imports", COLUMNS=["姓名", "身份证号码", "手机号码", "岗位"], import_file=import_file)
    before = Member.objects.count()

    peaks = []

    def peak(data, *, org_code, username):
        peaks.append((len(data), org_code, username))
        return {"created": 40, "errors": 0, "seconds": 0.5, "peak_mb": 180.0, "ready_mb": 95.0}

    result = operations.excel_import(Bench(runs=2, heavy_runs=2), peak=peak)

    assert result.status == "ok", result.note
    assert result.anchor == "PostgreSQL COPY"
    assert result.goal_id == "import"
    assert [(c.what, c.goal) for c in result.checks] == [
        ("median ratio", "≤ 1.6×"),
        ("p95 ratio", "≤ 1.6×"),
        ("peak memory", "≤ 300 MB"),
    ]
    assert result.ratio is not None
    assert result.runs == 2
    assert peaks and peaks[0][1:] == (operations.HANDLER_ORG, operations.HANDLER_USER)
    memory = result.checks[-1]
    assert memory.value == 180.0 and memory.met is True
    assert "180 MB" in result.note
    assert seen["header"] == ("姓名", "身份证号码", "手机号码", "岗位")
    assert Member.objects.count() == before  # every run rolled back


@pytest.mark.django_db
def test_bench_command_refuses_anything_but_postgresql():
    if connection.vendor == "postgresql":
        pytest.skip("this test is about other databases")

    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("bench", stdout=io.StringIO())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_compare_database_times_each_page_on_both_databases_and_the_dashboard_refresh(tree):
    from bench import compare

    if connection.vendor != "postgresql":
        pytest.skip("a second connection to the same database needs PostgreSQL")
    # the same test database as B, through a connection of its own (the data is committed: transaction=True)
    s = connection.settings_dict
    url = f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    out = io.StringIO()

    with override_settings(ROOT_URLCONF="bench.urls"):
        result = compare.compare(url, runs=2, warmup=0, out=out)

    names = [row["name"] for row in result["pages"]]
    assert names == [page.name for page in compare.PAGES]
    measured = [row for row in result["pages"] if "a_ms" in row]
    assert [r["name"] for r in measured][:2] == ["bare view (anchor)", "member list: township first page"]
    assert all(row["a_ms"] > 0 and row["b_ms"] > 0 and row["runs"] == 2 for row in measured)
    assert result["refresh"]["a_s"] > 0 and result["refresh"]["b_s"] > 0
    table = compare.text(result)
    assert "member list: township first page" in table and "dashboard full refresh" in table
    # the benchmark's sessions and devices are gone on both sides
    from django.contrib.sessions.models import Session

    assert not Session.objects.exists()

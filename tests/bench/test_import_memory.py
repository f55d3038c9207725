"""Issue 18: the import's peak memory is a check of the import's row in results.json, with its goal."""

from bench.memory import _peak_mb
from bench.operations import IMPORT_MAX_MB
from bench.runner import Result


def test_the_memory_check_carries_peak_goal_and_met_into_results_json():
    within = Result(name="Excel import", median_ms=1.0).check("peak memory", 212.5, IMPORT_MAX_MB, unit="MB")
    over = Result(name="Excel import", median_ms=1.0).check("peak memory", 300.5, IMPORT_MAX_MB, unit="MB")

    data = within.as_json()

    assert data["checks"] == [{"what": "peak memory", "value": 212.5, "goal": "≤ 300 MB", "met": True}]
    assert data["goal"] == "≤ 300 MB" and data["met"] is True
    assert over.as_json()["met"] is False


def test_the_peak_is_this_process_high_water_mark_in_mb():
    before = _peak_mb()
    block = bytearray(64 * 1024 * 1024)  # touched: resident
    for i in range(0, len(block), 4096):
        block[i] = 1

    assert _peak_mb() >= before
    assert _peak_mb() >= 64

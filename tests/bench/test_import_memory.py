"""Issue 18: the import's peak memory is a row of its own in results.json, with its goal."""

from bench.memory import _peak_mb
from bench.operations import IMPORT_MAX_MB, MemoryResult


def test_the_memory_row_carries_peak_mb_goal_and_met():
    result = MemoryResult(name="Excel import: peak memory", peak_mb=212.5, goal=f"≤ {IMPORT_MAX_MB} MB", met=True)

    data = result.as_json()

    assert data["peak_mb"] == 212.5
    assert data["goal"] == "≤ 300 MB"
    assert data["met"] is True


def test_the_peak_is_this_process_high_water_mark_in_mb():
    before = _peak_mb()
    block = bytearray(64 * 1024 * 1024)  # touched: resident
    for i in range(0, len(block), 4096):
        block[i] = 1

    assert _peak_mb() >= before
    assert _peak_mb() >= 64

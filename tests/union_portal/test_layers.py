"""The layers import one way only: core ← members ← funds, mutual_aid, competitions ← awards ← dashboard.

Walks the import statements of every module (demo data and benchmark code aside: they read everything) and
fails on an arrow against that order."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# The level of each top-level package: a module may import its own level's package and anything lower.
LEVEL = {"union_portal": 0, "members": 1, "funds": 2, "mutual_aid": 2, "competitions": 2, "awards": 3}

# Still inside the core until they move to their own apps (dashboard/, bench/): read everything.
NOT_CHECKED = ("union_portal/dashboard/", "union_portal/bench/", "union_portal/management/commands/bench.py")


def _skipped(relative: str) -> bool:
    name = relative.rsplit("/", 1)[-1]
    return (
        "/migrations/" in relative
        or name.startswith(("demo", "bench"))
        or "/commands/bench" in relative
        or relative.startswith(NOT_CHECKED)
    )


def _imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def _modules() -> list[str]:
    return [
        path.relative_to(ROOT).as_posix()
        for package in LEVEL
        for path in sorted((ROOT / package).rglob("*.py"))
        if not _skipped(path.relative_to(ROOT).as_posix())
    ]


@pytest.mark.parametrize("relative", _modules())
def test_no_module_imports_a_layer_above_or_beside_its_own(relative):
    package = relative.split("/")[0]
    wrong = {
        other
        for other in _imported_packages(ROOT / relative)
        if other in LEVEL and other != package and LEVEL[other] >= LEVEL[package]
    }
    assert not wrong, (
        f"{relative} imports {sorted(wrong)}, against core ← members ← funds/mutual_aid/competitions ← awards"
    )

"""The layers hold: every import in the project's code points down the order

    union_portal (the core)  <-  members  <-  funds, mutual_aid, competitions, labour  <-  awards, assistance
                                                                                        <-  dashboard

An app may import the core and the apps below it, never one above it, and apps of one level never import each
other (what two of them share moves down to the core). Nothing imports the dashboard or the benchmark.
The dashboard reads the apps below it only through their ``selectors`` modules (the core through anything):
an app's rules of which rows count stay in the app, and its models may change without the dashboard.

Every module of every app is read with ``ast``, imports inside functions included. Exempt: the benchmark
(``bench/``, a development tool that reads everything) and demo data (``demo.py``, ``demo_*.py``: seed_demo
runs them in dependency order). Settings and urlconfs name apps by string (``include("dashboard.urls")``),
which is not an import.
"""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The order of the layers: an app may import only apps of a lower number.
LAYERS = {
    "union_portal": 0,
    "members": 1,
    "funds": 2,
    "mutual_aid": 2,
    "competitions": 2,
    "labour": 2,
    "awards": 3,
    "assistance": 3,
    "dashboard": 4,
}
EXEMPT_APPS = {"bench"}  # development only: reads every app, imported by none

# Apps that may import the other apps (not the core) only through their ``selectors`` modules.
SELECTORS_ONLY = {"dashboard"}

# Arrows not yet turned round, (file, imported module): none. A new entry needs a reason beside it.
KNOWN_ARROWS: set[tuple[str, str]] = set()


def _project_apps() -> list[str]:
    return sorted(p.parent.name for p in ROOT.glob("*/apps.py"))


def _is_exempt(path: Path) -> bool:
    rel = path.relative_to(ROOT)
    return rel.parts[0] in EXEMPT_APPS or path.stem == "demo" or path.stem.startswith("demo_")


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path: Path):
    """(line, absolute module name) for every import statement in the file, at any depth."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            if node.module is None or node.level:
                # "from . import x" and "from .. import y": each name may be a module of its own
                yield from ((node.lineno, f"{module}.{alias.name}".strip(".")) for alias in node.names)
            else:
                yield node.lineno, module


def _imported_modules(path: Path):
    """(line, module) for every import, naming the submodule of ``from app import submodule`` (which
    ``_imports`` gives as ``app``): ``from members import selectors`` is ``members.selectors``."""
    yield from _imports(path)
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and not node.level and node.module and "." not in node.module:
            yield from ((node.lineno, f"{node.module}.{alias.name}") for alias in node.names)


def _reads_past_selectors():
    """(file, line, imported module, why) for every import by a ``SELECTORS_ONLY`` app of another app's
    module other than its ``selectors``."""
    found = set()
    for app in sorted(SELECTORS_ONLY & set(_project_apps())):
        for path in sorted((ROOT / app).rglob("*.py")):
            if _is_exempt(path):
                continue
            rel = str(path.relative_to(ROOT))
            for line, module in _imported_modules(path):
                parts = module.split(".")
                if parts[0] == app or LAYERS.get(parts[0], 0) == 0:
                    continue  # its own modules, the core, third parties
                if len(parts) == 1:
                    continue  # ``from members import selectors``: the submodule is checked on its own
                if parts[1] != "selectors":
                    found.add((rel, line, module, f"{app} reads {parts[0]} only through {parts[0]}.selectors"))
    return sorted(found)


def _arrows():
    """(file, line, imported module, why) for every import against the order."""
    found = []
    for app in _project_apps():
        if app in EXEMPT_APPS:
            continue
        level = LAYERS[app]
        for path in sorted((ROOT / app).rglob("*.py")):
            if _is_exempt(path):
                continue
            rel = str(path.relative_to(ROOT))
            for line, module in _imports(path):
                target = module.split(".")[0]
                if target == app:
                    continue
                if target in EXEMPT_APPS:
                    found.append((rel, line, module, f"{target} is development only"))
                elif target in LAYERS and LAYERS[target] >= level:
                    why = "same level" if LAYERS[target] == level else "upwards"
                    found.append((rel, line, module, f"{app} -> {target} ({why})"))
    return sorted(found)


def test_every_app_has_a_place_in_the_layers():
    unknown = [app for app in _project_apps() if app not in LAYERS and app not in EXEMPT_APPS]
    assert not unknown, f"give these apps a layer in tests/test_layers.py: {unknown}"


def test_no_import_points_against_the_layers():
    arrows = [a for a in _arrows() if (a[0], a[2]) not in KNOWN_ARROWS]
    report = "\n".join(f"  {file}:{line}: imports {module}  [{why}]" for file, line, module, why in arrows)
    print(report)
    assert not arrows, f"{len(arrows)} imports against the layers:\n{report}"


def test_the_dashboard_reads_the_apps_only_through_their_selectors():
    reads = _reads_past_selectors()
    report = "\n".join(f"  {file}:{line}: imports {module}  [{why}]" for file, line, module, why in reads)
    print(report)
    assert not reads, f"{len(reads)} imports past the apps' selectors:\n{report}"


def test_the_known_arrows_still_exist():
    """An arrow that has been turned round leaves the allowlist, so the list only ever shrinks."""
    current = {(a[0], a[2]) for a in _arrows()}
    gone = sorted(KNOWN_ARROWS - current)
    assert not gone, f"remove from KNOWN_ARROWS (no longer imported): {gone}"


def test_the_imports_are_read_inside_functions_too(tmp_path, monkeypatch):
    """The walker sees an import inside a function and resolves relative imports to the app."""
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    app = tmp_path / "members"
    app.mkdir()
    (app / "apps.py").write_text("")
    module = app / "things.py"
    module.write_text("def f():\n    from dashboard import views\n\nfrom . import models\nfrom .. import awards\n")

    assert sorted(_imports(module)) == [(2, "dashboard"), (4, "members.models"), (5, "awards")]
    assert [(f, line, m) for f, line, m, _why in _arrows()] == [
        ("members/things.py", 2, "dashboard"),
        ("members/things.py", 5, "awards"),
    ]


def test_a_dashboard_import_of_an_apps_models_is_reported_with_its_line(tmp_path, monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    app = tmp_path / "dashboard"
    (app / "providers").mkdir(parents=True)
    (app / "apps.py").write_text("")
    (app / "providers" / "figures.py").write_text(
        "from members import selectors as members\n"
        "from members.models import Member\n"
        "import mutual_aid.selectors\n"
        "from union_portal.models import OrgUnit\n"
        "from ..registry import metric\n"
        "def f():\n"
        "    from funds import models\n"
        "    from awards.selectors import honour_counts_by_org\n"
        "    import competitions.services\n"
    )
    (app / "demo.py").write_text("from members.models import Member\n")  # demo data is exempt

    assert [(f, line, m) for f, line, m, _why in _reads_past_selectors()] == [
        ("dashboard/providers/figures.py", 2, "members.models"),
        ("dashboard/providers/figures.py", 7, "funds.models"),
        ("dashboard/providers/figures.py", 9, "competitions.services"),
    ]


def _installed_apps(**env) -> list[str]:
    """INSTALLED_APPS as a fresh process computes them under ``env`` (pytest itself counts as TESTING)."""
    import json
    import os
    import subprocess

    base = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "TESTING", "BENCH"}}
    base.update(SECRET_KEY="x" * 50, FIELD_ENCRYPTION_KEYS="k", FIELD_HMAC_KEY="h", **env)
    code = "import json; from union_portal import settings; print(json.dumps(settings.INSTALLED_APPS))"
    out = subprocess.run([sys.executable, "-c", code], env=base, cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_the_benchmark_is_installed_in_development_and_for_a_run_never_in_production():
    assert "bench" not in _installed_apps()
    assert "bench" in _installed_apps(DEBUG="1")
    assert "bench" in _installed_apps(BENCH="1")
    assert "dashboard" in _installed_apps()

"""The layers hold: every import in the project's code points down the order

    union_portal (the core)  <-  members  <-  funds, mutual_aid, competitions  <-  awards  <-  dashboard

An app may import the core and the apps below it, never one above it, and apps of one level never import each
other (what two of them share moves down to the core). Nothing imports the dashboard or the benchmark.

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
    "awards": 3,
    "dashboard": 4,
}
EXEMPT_APPS = {"bench"}  # development only: reads every app, imported by none

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

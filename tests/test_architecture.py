"""The layers hold: the core and the server are Qt-free (no import of Qt, pyqtgraph or the UI,
even indirectly), and the UI writes no SQL (it changes a workshop only through core operations)."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import vbp_workshop

PACKAGE = Path(vbp_workshop.__file__).parent
FORBIDDEN = ("PySide6", "pyqtgraph", "shiboken6", "vbp_workshop.ui")


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_qt_import_in_core_or_server_source() -> None:
    offenders = []
    for layer in ("core", "server"):
        for path in (PACKAGE / layer).rglob("*.py"):
            bad = [n for n in imported(path) if n.startswith(FORBIDDEN)]
            if bad:
                offenders.append(f"{path.relative_to(PACKAGE)}: {bad}")
    assert offenders == []


def test_loading_every_core_and_server_module_loads_no_qt() -> None:
    modules = [".".join(("vbp_workshop", *p.relative_to(PACKAGE).with_suffix("").parts))
               for layer in ("core", "server") for p in (PACKAGE / layer).rglob("*.py")]
    assert "vbp_workshop.core.operations.live" in modules  # sub-packages are loaded too
    code = ("import importlib, sys\n"
            f"for m in {modules!r}: importlib.import_module(m)\n"
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph', 'shiboken6'))]\n"
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_start_up_does_not_wait_for_the_chart_library(tmp_path: Path) -> None:
    """Opening a workshop to a shown window loads no pyqtgraph (about a quarter of a second) and
    none of the workbook or server libraries: the charts load with the first poll panel."""
    demo = tmp_path / "demo.vbpw"
    subprocess.run([sys.executable, "-m", "vbp_workshop", "demo", str(demo)], check=True, capture_output=True)
    code = ("import sys\n"
            "from vbp_workshop.app import run_gui\n"
            f"code = run_gui({str(demo)!r}, demo=False, crash_dialog=False)\n"
            "bad = [m for m in sys.modules if m.startswith(('pyqtgraph', 'openpyxl', 'xlsxwriter', 'aiohttp'))]\n"
            "print(code, bad); sys.exit(1 if bad or code else 0)")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "VBP_AUTOMATION_QUIT_MS": "0"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, env=env,
                            cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "opened:" in result.stdout  # the workshop really was opened and shown


# SQL in a string: a statement keyword (upper case, as SQL is written here) followed by what a
# statement has next, or a comparison against a placeholder ("target = ?").
SQL_TEXT = re.compile(r"\b(SELECT|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|PRAGMA|CREATE\s+TABLE|"
                      r"ALTER\s+TABLE|DROP\s+TABLE|COALESCE|MAX\(id\))\b|\w+\s*(=|<|>|!=)\s*\?")
# Calls that run SQL or reach past the store's operations to its connection.
SQL_CALLS = {"execute", "executemany", "executescript", "scalar", "transaction", "cursor", "apply"}


def sql_in_ui(path: Path) -> list[str]:
    found = []
    tree = ast.parse(path.read_text("utf-8"))
    for node in ast.walk(tree):
        where = f"{path.relative_to(PACKAGE)}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL_TEXT.search(node.value):
            found.append(f"{where}: SQL text {node.value[:40]!r}")
        elif isinstance(node, ast.Attribute) and node.attr == "conn":
            found.append(f"{where}: reaches the store's connection")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            name = node.func.attr
            on_store = (isinstance(node.func.value, ast.Attribute) and node.func.value.attr == "store") or (
                isinstance(node.func.value, ast.Name) and node.func.value.id == "store")
            if name in SQL_CALLS - {"apply"} or (name == "apply" and on_store):
                found.append(f"{where}: .{name}(…)")
            elif name == "rows" and (len(node.args) > 1 or node.keywords):
                found.append(f"{where}: .rows() with a WHERE clause (use store.find)")
    return found + [f"{path.relative_to(PACKAGE)}: imports {n}" for n in imported(path)
                    if n.split(".")[0] in ("sqlite3", "apsw")]


def test_the_ui_writes_no_sql() -> None:
    """Every change goes through a core operation; every read through the store's queries."""
    offenders = [f for path in sorted((PACKAGE / "ui").rglob("*.py")) for f in sql_in_ui(path)]
    assert offenders == []


def test_the_sql_check_sees_each_way_sql_could_come_back(tmp_path: Path) -> None:
    """The check above would catch what the first build did (so it cannot pass vacuously)."""
    samples = {
        "scalar": 'n = self.session.store.scalar("SELECT COUNT(*) FROM devices")\n',
        "execute": 'with store.transaction() as conn:\n    conn.execute("UPDATE workshop SET join_code = ?", (c,))\n',
        "max_id": 'new_id = f"SELECT COALESCE(MAX(id), 0) + 1 FROM {t}"\n',
        "where": 'rows = store.rows("polls", "target = ?", (t,))\n',
        "apply": 'store.apply([edit])\n',
        "import": 'import sqlite3\n',
        "conn": 'c = session.store.conn\n',
    }
    ui = tmp_path / "vbp_workshop" / "ui"
    ui.mkdir(parents=True)
    for name, code in samples.items():
        path = ui / f"{name}.py"
        path.write_text(code)
        assert sql_in_ui_at(path, tmp_path / "vbp_workshop"), name
    clean = ui / "clean.py"
    clean.write_text('label = "Update the poll: select the options"\nrows = store.find("polls", target=t)\n')
    assert sql_in_ui_at(clean, tmp_path / "vbp_workshop") == []


def sql_in_ui_at(path: Path, package: Path) -> list[str]:
    global PACKAGE
    saved, PACKAGE = PACKAGE, package
    try:
        return sql_in_ui(path)
    finally:
        PACKAGE = saved


def test_import_linter_forbids_sqlite_in_the_ui() -> None:
    import tomllib

    config = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text("utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    ui = [c for c in contracts if "vbp_workshop.ui" in c.get("source_modules", ())]
    assert any("sqlite3" in c["forbidden_modules"] for c in ui)


def import_cycles(package: str = "vbp_workshop", within: str = "") -> list[tuple[str, str]]:
    """Pairs of modules (under `within`, default the whole package) that import each other,
    directly or through others (lazy imports inside functions and imports for type checking
    count: a cycle hidden in a function is still a cycle)."""
    import grimp

    graph = grimp.build_graph(package)
    inside = within or package
    modules = sorted(m for m in graph.modules if m.startswith(inside))
    return [(a, b) for a in modules for b in sorted(graph.find_modules_directly_imported_by(a))
            if b.startswith(inside) and b != a and graph.chain_exists(importer=b, imported=a)]


def test_the_ui_has_no_import_cycle() -> None:
    assert import_cycles(within="vbp_workshop.ui") == []


def test_the_package_has_no_import_cycle_anywhere() -> None:
    assert import_cycles() == []


def test_the_cycle_check_sees_a_cycle(tmp_path: Path, monkeypatch) -> None:
    pkg = tmp_path / "circles"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from circles import b\n")
    (pkg / "b.py").write_text("def f():\n    from circles import a  # hidden in a function\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert import_cycles("circles") == [("circles.a", "circles.b"), ("circles.b", "circles.a")]


def test_the_core_floors_are_layers_in_the_import_linter_contract() -> None:
    import tomllib

    config = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text("utf-8"))
    core = [c for c in config["tool"]["importlinter"]["contracts"]
            if c["type"] == "layers" and c["layers"][-1] == "vbp_workshop.core.model"]
    assert core and core[0]["layers"][1:] == ["vbp_workshop.core.steps", "vbp_workshop.core.operations",
                                              "vbp_workshop.core.polls", "vbp_workshop.core.file",
                                              "vbp_workshop.core.model"]
    top = {x.strip() for x in core[0]["layers"][0].split("|")}
    assert top == {"vbp_workshop.core.workbook", "vbp_workshop.core.documents", "vbp_workshop.core.intake"}
    floors = {p.name for p in (PACKAGE / "core").iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert floors == {"model", "file", "polls", "operations", "intake", "workbook", "documents", "steps"}
    assert not [p.name for p in (PACKAGE / "core").glob("*.py") if p.name != "__init__.py"]  # no flat room


def test_the_ui_folders_are_layers_in_the_import_linter_contract() -> None:
    import tomllib

    config = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text("utf-8"))
    layers = [c for c in config["tool"]["importlinter"]["contracts"]
              if c["type"] == "layers" and c["layers"][0].startswith("vbp_workshop.ui")]
    assert layers and layers[0]["layers"][-3:] == [
        "vbp_workshop.ui.projector", "vbp_workshop.ui.polls", "vbp_workshop.ui.shared"]
    old_names = {"widgets", "models", "poll_panel", "pages", "charts", "live"}
    assert not old_names & {p.stem for p in (PACKAGE / "ui").iterdir()}


# Each domain rule is written in exactly one module: the fingerprint of its writing (case-blind)
# and the module that holds it. A second copy of a rule is how the first build's defects began.
RULES_ONCE = {
    "1b7f3b": "core/steps/checks.py",  # the RAG palette
    'min_group_size") or': "core/polls/queries.py",  # the smallest group shown on its own
    "· {step_titles": "core/model/domain.py",  # "Step 2 · Build trust …"
    "{k}. {v}": "core/model/domain.py",  # "2. Build trust …" in lists
    "json.dumps(fields": "core/operations/steps.py",  # merging a step's free fields
    '"0 — block"': "core/model/poll.py",  # fist-to-five labels
    '"strongly disagree"': "core/model/poll.py",  # agreement labels
    "below_three =": "core/polls/kinds/fist.py",  # consent: nobody below 3
    "{clean_text(": "core/model/text.py",  # cleaning every text inside an answer or document
    "tokens + (now - last)": "server/guard.py",  # the token bucket: one rate limiter
}


def rule_holders(fingerprint: str, package: Path) -> list[str]:
    return sorted(str(p.relative_to(package)) for p in package.rglob("*.py")
                  if fingerprint in p.read_text("utf-8").lower())


def test_each_rule_is_written_once() -> None:
    where = {rule: rule_holders(rule, PACKAGE) for rule in RULES_ONCE}
    assert where == {rule: [home] for rule, home in RULES_ONCE.items()}


def test_a_copied_rule_is_caught(tmp_path: Path) -> None:
    (tmp_path / "core" / "steps").mkdir(parents=True)
    (tmp_path / "core" / "workbook").mkdir()
    (tmp_path / "core" / "steps" / "checks.py").write_text('RAG = {"green": "#1B7F3B"}\n')
    (tmp_path / "core" / "workbook" / "export.py").write_text('FILL = {"green": "1b7f3b"}\n')
    assert rule_holders("1b7f3b", tmp_path) == ["core/steps/checks.py", "core/workbook/export.py"]

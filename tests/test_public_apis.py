"""The package uses only the public API of the libraries it depends on (XlsxWriter, openpyxl,
aiohttp, pyqtgraph, PySide6…): a private name of theirs can change in any release the version
range allows (XlsxWriter 3.2.0, allowed by `>=3.2`, once failed every export on one).

Read from the source, as a reviewer would: no import of a private module or name from a
dependency, and no private attribute (`x._name`, `getattr(x, "_name")`) that the package itself
does not define — such a name can only be a dependency's."""

from __future__ import annotations

import ast
from pathlib import Path

import vbp_workshop

PACKAGE = Path(vbp_workshop.__file__).parent


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def own_private_names(files: list[Path]) -> set[str]:
    """Every private name the package defines: its functions, methods, classes, attributes."""
    names: set[str] = set()
    for path in files:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr" \
                    and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant):
                names.add(str(node.args[1].value))  # an attribute the package sets by name
    return {n for n in names if _private(n)}


def private_uses(root: Path) -> list[str]:
    """`file:line: what` for each use of a dependency's private name under `root`."""
    files = sorted(root.rglob("*.py"))
    ours = own_private_names(files)
    found = []
    for path in files:
        where = path.relative_to(root.parent)
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            what = ""
            if isinstance(node, ast.ImportFrom) and node.module and not node.level \
                    and not node.module.startswith("vbp_workshop"):
                parts = [*node.module.split("."), *(a.name for a in node.names)]
                if any(_private(p) for p in parts):
                    what = f"from {node.module} import {', '.join(a.name for a in node.names)}"
            elif isinstance(node, ast.Import):
                if any(_private(p) for a in node.names for p in a.name.split(".")):
                    what = "import " + ", ".join(a.name for a in node.names)
            elif isinstance(node, ast.Attribute) and _private(node.attr) and node.attr not in ours:
                what = f"._{node.attr.lstrip('_')}"
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                    and node.func.id in ("getattr", "setattr", "hasattr") and len(node.args) >= 2 \
                    and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str) \
                    and _private(node.args[1].value) and node.args[1].value not in ours:
                what = f"{node.func.id}(…, {node.args[1].value!r})"
            if what:
                found.append(f"{where}:{getattr(node, 'lineno', 0)}: {what}")
    return found


def test_no_private_name_of_a_dependency_is_used() -> None:
    found = {f"{u.split(':')[0].removeprefix('vbp_workshop/')}: {u.split(': ', 1)[1]}" for u in private_uses(PACKAGE)}
    assert found == set()


def test_the_check_finds_each_way_a_private_name_comes_in(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "ours.py").write_text(
        "class A:\n    def __init__(self):\n        self._mine = 1\n\n"
        "def f(a, ws, site):\n    a._mine\n    ws._write_rows()\n    getattr(site, '_server')\n")
    (pkg / "imports.py").write_text(
        "from xlsxwriter.worksheet import _Cell\nfrom aiohttp import _helpers\nimport yarl._quoting\n"
        "from xlsxwriter.worksheet import Worksheet\n")
    assert sorted(u.split(": ", 1)[1] for u in private_uses(pkg)) == sorted([
        "from xlsxwriter.worksheet import _Cell", "from aiohttp import _helpers", "import yarl._quoting",
        "._write_rows", "getattr(…, '_server')"])

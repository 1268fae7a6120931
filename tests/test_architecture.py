"""The core and the server are Qt-free: no import of Qt, pyqtgraph or the UI, even indirectly."""

from __future__ import annotations

import ast
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
    modules = [f"vbp_workshop.{layer}.{p.stem}" for layer in ("core", "server")
               for p in (PACKAGE / layer).glob("*.py") if p.stem != "__init__"]
    code = ("import importlib, sys\n"
            f"for m in {modules!r}: importlib.import_module(m)\n"
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph', 'shiboken6'))]\n"
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr

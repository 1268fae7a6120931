"""Shared fixtures. Qt runs offscreen; settings go to a temporary file, never the user's."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

from vbp_workshop.core.steps.demo import build_demo
from vbp_workshop.core.steps.template import new_workshop

IN_CI = bool(os.environ.get("CI"))


@pytest.fixture
def store(tmp_path: Path):
    s = new_workshop(tmp_path / "w.vbpw", "Test workshop")
    yield s
    s.close()


@pytest.fixture
def demo(tmp_path: Path):
    s = build_demo(tmp_path / "demo.vbpw")
    yield s
    s.close()


def need_tool(name: str, *candidates: str) -> str:
    """The path of an external tool; skip locally if missing, but fail in CI (which installs it)."""
    for c in (name, *candidates):
        found = shutil.which(c)
        if found:
            return found
    if IN_CI:
        pytest.fail(f"{name} is not installed, but CI installs it: the test must run")
    pytest.skip(f"{name} is not installed")
    return ""


def python() -> str:
    return sys.executable

"""Shared fixtures. Qt runs offscreen; settings go to a temporary file, never the user's."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
# The app's log (vbp_workshop/logfile.py) goes to a folder of the test run's, never the user's.
if "VBP_LOG_DIR" not in os.environ:
    os.environ["VBP_LOG_DIR"] = tempfile.mkdtemp(prefix="vbp-test-logs-")
    atexit.register(shutil.rmtree, os.environ["VBP_LOG_DIR"], True)

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

"""The lowest versions pyproject.toml allows of the libraries the workbook and the server rest on
(XlsxWriter, openpyxl, aiohttp) are the versions tested: installed once, in a folder of their
own put first on the path of a child pytest that runs the workbook and server tests.

A range that is not tested is a promise nobody checked: XlsxWriter 3.2.0, allowed by `>=3.2`,
once failed every export. Needs the package index (CI has it); about two minutes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LIBRARIES = ("XlsxWriter", "openpyxl", "aiohttp")
TESTS = ["tests/core/test_workbook.py", "tests/core/test_workbook_hostile.py", "tests/core/test_workbook_print.py",
         "tests/core/test_kind_sheets.py", "tests/core/test_export_sectors.py", "tests/core/test_imports.py",
         "tests/core/test_export_memo.py",
         "tests/server"]


def lowest_allowed() -> dict[str, str]:
    """Each library's lowest version allowed by pyproject.toml (`>=x.y` -> `x.y.0`)."""
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["dependencies"]
    out = {}
    for lib in LIBRARIES:
        spec = next(d for d in deps if re.match(rf"{lib}\b", d, re.I))
        low = re.search(r">=\s*([\d.]+)", spec)
        assert low, f"{lib} has no lower bound in pyproject.toml: {spec}"
        parts = low.group(1).split(".")
        out[lib] = ".".join([*parts, *["0"] * (3 - len(parts))])
    return out


def test_the_lowest_bounds_are_read_from_pyproject() -> None:
    assert lowest_allowed() == {"XlsxWriter": "3.2.0", "openpyxl": "3.1.0", "aiohttp": "3.9.0"}


@pytest.mark.slow
@pytest.mark.timeout(1500)
def test_the_workbook_and_server_tests_pass_on_the_lowest_allowed_versions(tmp_path: Path) -> None:
    lowest = lowest_allowed()
    target = tmp_path / "lowest"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check",
                    "--target", str(target), *(f"{lib}=={v}" for lib, v in lowest.items())],
                   check=True, timeout=600)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(target), str(ROOT)])}
    shown = subprocess.run([sys.executable, "-c", "import xlsxwriter, openpyxl, aiohttp; "
                            "print(xlsxwriter.__version__, openpyxl.__version__, aiohttp.__version__)"],
                           env=env, capture_output=True, text=True, check=True)
    assert shown.stdout.split() == [lowest["XlsxWriter"], lowest["openpyxl"], lowest["aiohttp"]]
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", *TESTS],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200, check=False)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]

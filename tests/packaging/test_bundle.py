"""The frozen bundle, built as a release is (`bash packaging/build.sh`) and run as a facilitator
runs it: with no Python on PATH and no PYTHONPATH. The command line writes the demo and its
workbook into a folder whose name has a space and an "é"; the windowed app opens the demo on an
X server; phone voting started from the frozen app (its vote server is the bundle's executable
again, `--vote-server-child`) takes a real phone's vote (Chromium), read back from the file.

The build takes about a minute (once per module). Locally a missing PyInstaller skips; in CI,
which installs it (tools/test.sh: the `packaging` extra), it fails.
"""

from __future__ import annotations

import importlib.util
import os
import re
import select
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.conftest import IN_CI
from tests.e2e.conftest import browser, new_phone  # noqa: F401  (the module-scoped Chromium fixture)
from vbp_workshop import __version__

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.bundle, pytest.mark.slow]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if importlib.util.find_spec("PyInstaller") is None:
        message = "PyInstaller is not installed (pip install -e '.[packaging]')"
        if IN_CI:
            pytest.fail(message + ", but CI installs it: the bundle must be built and run")
        pytest.skip(message)
    out = tmp_path_factory.mktemp("bundle")
    env = {**os.environ, "PYTHON": sys.executable, "DIST": str(out / "dist"), "WORK": str(out / "work")}
    started = time.monotonic()
    r = subprocess.run(["bash", str(ROOT / "packaging" / "build.sh")], capture_output=True, text=True, env=env,
                       timeout=900, check=False)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    print(f"\nbundle built in {time.monotonic() - started:.0f} s: {r.stdout.strip().splitlines()[-1]}")
    folder = out / "dist" / "vbp-workshop"
    assert (folder / "vbp-workshop").is_file() and (folder / "vbp-workshop-cli").is_file()
    shutil.rmtree(out / "work", ignore_errors=True)
    return folder


@pytest.fixture(scope="module")
def bare_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A user's environment with no Python anywhere: PATH is an empty folder, no PYTHONPATH, a fresh home."""
    home = tmp_path_factory.mktemp("home")
    empty_bin = tmp_path_factory.mktemp("bin")
    env = {"HOME": str(home), "PATH": str(empty_bin), "LANG": "C.UTF-8", "XDG_RUNTIME_DIR": str(home)}
    assert shutil.which("python3", path=env["PATH"]) is None and shutil.which("python", path=env["PATH"]) is None
    return env


@pytest.fixture(scope="module")
def display(bare_env: dict[str, str]) -> Iterator[dict[str, str]]:
    """The bare environment on an X server of its own (Xvfb picks a free display); offscreen if
    there is no Xvfb outside CI."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        if IN_CI:
            pytest.fail("Xvfb is not installed, but CI installs it: the test must run")
        yield {**bare_env, "QT_QPA_PLATFORM": "offscreen"}
        return
    read, write = os.pipe()
    proc = subprocess.Popen([xvfb, "-displayfd", str(write), "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                            pass_fds=(write,), stderr=subprocess.DEVNULL)
    os.close(write)
    # Xvfb writes the number and then a newline: read both, and keep our end open while it runs
    # (a write to a closed pipe is fatal to it).
    said, end = b"", time.monotonic() + 30
    while not said.endswith(b"\n") and time.monotonic() < end and proc.poll() is None:
        if select.select([read], [], [], 0.5)[0]:
            said += os.read(read, 64)
    number = said.decode().strip()
    assert number.isdigit() and proc.poll() is None, f"Xvfb did not start ({said!r})"
    yield {**bare_env, "DISPLAY": f":{number}", "QT_QPA_PLATFORM": "xcb"}
    proc.terminate()
    proc.wait(10)
    os.close(read)


def test_the_command_line_writes_the_demo_and_its_workbook(bundle: Path, bare_env: dict[str, str],
                                                          tmp_path: Path) -> None:
    cli = str(bundle / "vbp-workshop-cli")
    version = subprocess.run([cli, "--version"], capture_output=True, text=True, env=bare_env, timeout=60, check=False)
    assert version.stdout.strip() == f"VBP Workshop {__version__}", version.stderr
    folder = tmp_path / "Workshop files é"
    folder.mkdir()
    demo, workbook = folder / "Heart day é.vbpw", folder / "Outcome é.xlsx"
    r = subprocess.run([cli, "demo", str(demo)], capture_output=True, text=True, env=bare_env, timeout=120,
                       check=False)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([cli, "export", str(demo), "-o", str(workbook)], capture_output=True, text=True,
                       env=bare_env, timeout=120, check=False)
    assert r.returncode == 0, r.stderr
    assert openpyxl.load_workbook(workbook).sheetnames[0] == "Summary"
    with sqlite3.connect(f"{demo.as_uri()}?mode=ro", uri=True) as db:
        assert db.execute("SELECT COUNT(*) FROM ballots").fetchone()[0] > 300


def test_the_windowed_app_opens_the_demo(bundle: Path, display: dict[str, str]) -> None:
    env = {**display, "VBP_AUTOMATION_QUIT_MS": "0"}
    r = subprocess.run([str(bundle / "vbp-workshop"), "--demo", "--no-crash-dialog"], capture_output=True, text=True,
                       env=env, timeout=120, check=False)
    assert r.returncode == 0, r.stderr[-3000:]
    assert "opened: Northbridge Heart Health Partnership" in r.stdout, r.stdout + r.stderr[-3000:]
    assert "Traceback" not in r.stderr and "Fatal Python error" not in r.stderr
    logs = Path(display["HOME"]) / ".local" / "state" / "vbp-workshop" / "log" / "vbp-workshop.log"
    assert ", frozen)" in logs.read_text("utf-8")  # the log is where Linux keeps it, and says the build is frozen


class Lines:
    """A process's stdout, line by line, with a deadline per line."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc, self.seen = proc, []  # type: ignore[var-annotated]

    def wait_for(self, prefix: str, timeout: float = 60) -> str:
        assert self.proc.stdout is not None
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            ready, _w, _x = select.select([self.proc.stdout], [], [], 0.5)
            if not ready:
                continue
            line = self.proc.stdout.readline()
            if not line:
                break
            self.seen.append(line)
            if line.startswith(prefix):
                return line.strip()
        raise AssertionError(f"no {prefix!r} line; the app printed: {''.join(self.seen)}")


def test_a_phone_votes_through_phone_voting_started_from_the_frozen_app(bundle: Path, display: dict[str, str],
                                                                         browser: Any) -> None:  # noqa: F811
    env = {**display, "VBP_AUTOMATION_QUIT_MS": "0", "VBP_AUTOMATION_VOTING": "1"}
    proc = subprocess.Popen([str(bundle / "vbp-workshop"), "--demo", "--no-crash-dialog"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, bufsize=1)
    try:
        lines = Lines(proc)
        lines.wait_for("opened:", 120)
        voting = lines.wait_for("voting:", 60)
        found = re.match(r"voting: (\S+)\?c=(\w+) poll (\d+) \((\d+) ms\) file (.+)$", voting)
        assert found, voting
        url, code, poll_id, file = found[1], found[2], int(found[3]), Path(found[5])
        started = time.monotonic()
        phone = new_phone(browser)
        phone.goto(f"{url}?c={code}")
        phone.wait_for_selector("#join:not([hidden])")
        phone.select_option("#group", "provider")
        phone.get_by_role("button", name="Join", exact=True).click()
        joined = lines.wait_for("joined:", 60)
        phone.wait_for_selector("#poll:not([hidden])")
        phone.locator("label.choice").nth(1).click()
        phone.click("#send")
        lines.wait_for("voted:", 60)
        print(f"\nfrozen app: phone voting started in {found[4]} ms; {joined} ms after it "
              f"(the phone opened the page {1000 * (time.monotonic() - started):.0f} ms before its vote was stored)")
        phone.context.close()
        assert proc.wait(60) == 0, proc.stderr.read()[-3000:] if proc.stderr else ""
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
    with sqlite3.connect(f"{file.as_uri()}?mode=ro", uri=True) as db:
        ballots = db.execute("SELECT b.answer, b.grp, b.source FROM ballots b JOIN devices d ON d.pseudonym = b.voter "
                             "WHERE b.poll_id = ? AND d.id = (SELECT MAX(id) FROM devices)", (poll_id,)).fetchall()
    assert ballots == [("1", "provider", "phone")]  # the phone's ballot: the second choice

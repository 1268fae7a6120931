"""The app's log file (vbp_workshop/logfile.py): the folder each system expects, a bound on its
size, and everything that would otherwise go nowhere in a windowed build reaching it (real
processes: an uncaught exception, a faulthandler dump, print() with no stderr)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from vbp_workshop.logfile import log_dir

HOME = Path("/home/ann")


@pytest.mark.parametrize(("platform", "env", "expected"), [
    ("win32", {"LOCALAPPDATA": r"C:\Users\ann\AppData\Local"},
     Path(r"C:\Users\ann\AppData\Local") / "VBP Workshop" / "Logs"),
    ("win32", {}, HOME / "AppData" / "Local" / "VBP Workshop" / "Logs"),
    ("darwin", {"XDG_STATE_HOME": "/elsewhere"}, HOME / "Library" / "Logs" / "VBP Workshop"),
    ("linux", {}, HOME / ".local" / "state" / "vbp-workshop" / "log"),
    ("linux", {"XDG_STATE_HOME": "/srv/state"}, Path("/srv/state") / "vbp-workshop" / "log"),
    ("linux", {"XDG_STATE_HOME": "relative/state"}, HOME / ".local" / "state" / "vbp-workshop" / "log"),
    ("linux", {"VBP_LOG_DIR": "/tmp/support"}, Path("/tmp/support")),
])
def test_the_log_folder_is_where_each_system_keeps_logs(platform: str, env: dict[str, str], expected: Path) -> None:
    assert log_dir(platform, env, HOME) == expected


def run(code: str, folder: Path, *, no_console: bool = False) -> subprocess.CompletedProcess[str]:
    """Python code in a fresh process logging to `folder`; `no_console` starts it as a windowed
    build starts: with sys.stdout and sys.stderr None."""
    prelude = "import sys\nsys.stdout = sys.stderr = None\n" if no_console else ""
    env = {**os.environ, "VBP_LOG_DIR": str(folder), "VBP_NO_DIALOGS": "1"}
    return subprocess.run([sys.executable, "-c", prelude + textwrap.dedent(code)], capture_output=True, text=True,
                          env=env, timeout=60, check=False)


def test_the_log_rotates_and_stays_bounded(tmp_path: Path) -> None:
    r = run("""
        from vbp_workshop import logfile
        logfile.setup(max_bytes=4000, backups=2)
        for i in range(2000):
            logfile.LOG.info("line %d %s", i, "x" * 60)
    """, tmp_path)
    assert r.returncode == 0, r.stderr
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["vbp-workshop.log", "vbp-workshop.log.1", "vbp-workshop.log.2"]
    assert all((tmp_path / f).stat().st_size <= 4000 for f in files)
    assert "line 1999 " in (tmp_path / "vbp-workshop.log").read_text("utf-8")


def test_an_uncaught_exception_and_print_reach_the_log_without_a_console(tmp_path: Path) -> None:
    r = run("""
        from vbp_workshop import logfile
        logfile.setup()
        print("a warning printed to stderr", file=sys.stderr)
        print("to stdout")
        import warnings
        warnings.warn("a library's warning")
        raise ValueError("something unplanned")
    """, tmp_path, no_console=True)
    assert r.returncode == 1
    assert r.stdout == r.stderr == ""  # nowhere to print, and nothing crashed on trying
    log = (tmp_path / "vbp-workshop.log").read_text("utf-8")
    assert "VBP Workshop" in log and "starting" in log
    for text in ("a warning printed to stderr", "to stdout", "a library's warning", "Uncaught exception",
                 "ValueError: something unplanned"):
        assert text in log, text


def test_a_hard_crash_dumps_every_thread_into_the_log_even_after_a_rollover(tmp_path: Path) -> None:
    r = run("""
        import faulthandler
        from vbp_workshop import logfile
        logfile.setup(max_bytes=3000, backups=1)
        for i in range(200):  # several rollovers: faulthandler must follow the current file
            logfile.LOG.info("filler %d %s", i, "y" * 50)
        faulthandler._sigsegv()
    """, tmp_path, no_console=True)
    assert r.returncode != 0
    log = (tmp_path / "vbp-workshop.log").read_text("utf-8", errors="replace")
    assert "Fatal Python error: Segmentation fault" in log
    assert "Current thread" in log or "Thread 0x" in log

"""The app's log file (vbp_workshop/logfile.py): the folder each system expects, a bound on its
size, and everything that would otherwise go nowhere in a windowed build reaching it (real
processes: an uncaught exception, a faulthandler dump, print() with no stderr)."""

from __future__ import annotations

import io
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
    assert "Fatal Python error: Segmentation fault" in log or "Windows fatal exception: access violation" in log
    assert "Current thread" in log or "Thread 0x" in log


def test_the_app_runs_and_takes_a_phone_vote_with_no_console(tmp_path: Path) -> None:
    """The windowed build's situation (sys.stdout and sys.stderr None): the window opens the demo,
    phone voting starts (its process gets no stderr to write to) and a phone's vote is stored;
    what would have been printed is in the log."""
    import http.cookiejar
    import json
    import re
    import time
    import urllib.request

    out = tmp_path / "automation.txt"
    env = {**os.environ, "VBP_LOG_DIR": str(tmp_path / "logs"), "VBP_NO_DIALOGS": "1", "HOME": str(tmp_path),
           "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
           "QT_QPA_PLATFORM": "offscreen", "VBP_AUTOMATION_QUIT_MS": "0", "VBP_AUTOMATION_VOTING": "1",
           "VBP_AUTOMATION_OUT": str(out)}
    code = ("import sys\nsys.stdout = sys.stderr = None\nfrom vbp_workshop.app import main\n"
            "raise SystemExit(main(['--demo']))\n")
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def line(prefix: str) -> str:
        end = time.monotonic() + 60
        while time.monotonic() < end:
            found = [x for x in (out.read_text("utf-8").splitlines() if out.exists() else []) if x.startswith(prefix)]
            if found:
                return found[0]
            assert proc.poll() is None, f"the app exited ({proc.returncode}) before {prefix!r}"
            time.sleep(0.05)
        raise AssertionError(f"no {prefix!r}")

    try:
        voting = re.match(r"voting: (\S+)\?c=(\w+) poll (\d+)", line("voting:"))
        assert voting
        base, code_, poll = voting[1].rstrip("/"), voting[2], int(voting[3])
        phone = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

        def post(path: str, body: dict[str, object]) -> dict[str, object]:
            request = urllib.request.Request(base + path, json.dumps(body).encode(),
                                             {"Content-Type": "application/json"})
            answer: dict[str, object] = json.loads(phone.open(request, timeout=30).read())
            assert answer["ok"], answer
            return answer

        joining = post("/api/join", {"code": code_, "group": "provider"})
        post("/api/vote", {"poll_id": poll, "round": 1, "ballot_id": "n" * 16, "answer": 1,  # at the sitting it joined
                           "workshop": joining.get("workshop"), "sitting": joining.get("sitting")})
        line("voted:")
        assert proc.wait(60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.stderr is not None
    # Python wrote nothing to a stderr it does not have (only Qt's own C++ warnings reach file descriptor 2)
    err = proc.stderr.read().decode(errors="replace")
    assert "Traceback" not in err and "opened:" not in err, err
    logs = tmp_path / "logs"
    assert "opened: Northbridge" in (logs / "vbp-workshop.log").read_text("utf-8")  # print() went to the log
    assert "starting" in (logs / "vote-server.log").read_text("utf-8")


def test_an_error_before_qt_is_shown_in_a_native_box_only_without_a_console(monkeypatch: pytest.MonkeyPatch) -> None:
    from vbp_workshop import logfile

    monkeypatch.delenv("VBP_NO_DIALOGS", raising=False)
    monkeypatch.setattr(logfile, "_console", True)
    assert not logfile.native_box_wanted()  # a terminal or a script: the message is printed
    monkeypatch.setattr(logfile, "_console", False)
    assert logfile.native_box_wanted()  # a windowed build: MessageBoxW / osascript
    monkeypatch.setenv("VBP_NO_DIALOGS", "1")
    assert not logfile.native_box_wanted()  # automation never waits on a dialog
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/Applications/VBP Workshop.app/Contents/MacOS/vbp-workshop")
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.delenv("VBP_NO_DIALOGS")
    monkeypatch.setattr(logfile, "_console", True)
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # not a terminal
    assert logfile.native_box_wanted()  # a Finder-started .app has a stderr, but no one reads it

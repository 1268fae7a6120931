"""The real application window on an X server (Xvfb), as a person would see it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import need_tool

ROOT = Path(__file__).resolve().parents[2]


def colours(png: Path) -> int:
    """How many distinct colours a screenshot has (a blank window has one or two)."""
    from PySide6.QtGui import QImage

    img = QImage(str(png))
    seen = set()
    for y in range(0, img.height(), 17):
        for x in range(0, img.width(), 13):
            seen.add(img.pixel(x, y))
    return len(seen)


@pytest.mark.slow
def test_the_window_and_projector_render_on_a_real_x_server(tmp_path: Path, qapp) -> None:
    xvfb = need_tool("xvfb-run")
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    result = subprocess.run([xvfb, "-a", "-s", "-screen 0 1920x1080x24", sys.executable,
                             str(ROOT / "tools" / "screenshots.py"), str(tmp_path)],
                            capture_output=True, text=True, timeout=240, env=env, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Fatal Python error" not in result.stderr
    from PySide6.QtGui import QImage

    for name in ("start", "setup", "step1", "step2", "step3", "step4", "step5", "actions", "summary",
                 "step2-polls", "step2-polls-1280x720", "export-progress", "export-done"):
        png = tmp_path / f"{name}.png"
        assert png.exists(), name
        assert colours(png) > 8, f"{name} looks blank"
    for name in ("setup", "step3-polls", "summary"):  # the main window at the laptop size it claims
        assert QImage(str(tmp_path / f"{name}.png")).size().toTuple() == (1366, 768), name
    assert QImage(str(tmp_path / "step2-polls-1280x720.png")).size().toTuple() == (1280, 720)

    from vbp_workshop.core.model.poll import KINDS

    for kind in KINDS:  # the projector: every kind, at the size its name claims
        for w, h in ((1024, 768), (1920, 1080)):
            png = tmp_path / f"projector-{kind}-{w}x{h}.png"
            assert png.exists(), png.name
            assert colours(png) > 8, f"{png.name} looks blank"
            img = QImage(str(png))
            assert (img.width(), img.height()) == (w, h), png.name


@pytest.mark.slow
@pytest.mark.parametrize(("screen", "scale"), [((1366, 768), "1"), ((1280, 720), "1"), ((1366, 768), "1.25"),
                                               ((1366, 768), "1.5"), ((1024, 768), "1")])
def test_the_main_window_fits_real_screens_and_scalings(screen: tuple[int, int], scale: str) -> None:
    """On an X server of that size, at that scaling: the window opens within the screen, and its
    minimum size on every page, tab and poll fits (less a title bar and a taskbar)."""
    xvfb = need_tool("xvfb-run")
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    w, h = screen
    result = subprocess.run([xvfb, "-a", "-s", f"-screen 0 {w}x{h}x24", sys.executable,
                             str(ROOT / "tools" / "window_sizes.py"), "--scale", scale],
                            capture_output=True, text=True, timeout=300, env=env, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    figures = {line[14:].strip(): (int(line[:5]), int(line[8:12])) for line in result.stdout.splitlines()}
    f = float(scale)
    screen_line = next(k for k in figures if k.startswith("screen"))
    assert figures[screen_line][0] * f == pytest.approx(w, abs=2), screen_line  # the X screen, not offscreen
    room = figures[screen_line]  # logical pixels: 1366×768 at 125 % is 1093×614
    opens = figures["opens at"]
    assert opens[0] <= room[0] and opens[1] <= room[1], opens
    need = figures["largest"]
    assert need[0] <= room[0] and need[1] <= room[1] - 88 / f, f"needs {need} logical at {scale}× on {w}×{h}"


@pytest.mark.slow
def test_the_app_starts_on_the_demo_and_quits_cleanly(tmp_path: Path) -> None:
    """`vbp-workshop --demo` under Xvfb: the window comes up on the demo, and closes without error."""
    xvfb = need_tool("xvfb-run")
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env.update(HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "cfg"),
               VBP_AUTOMATION_QUIT_MS="0")  # reports only once the demo (built on a worker) is open
    result = subprocess.run([xvfb, "-a", sys.executable, "-m", "vbp_workshop", "--demo", "--no-crash-dialog"],
                            capture_output=True, text=True, timeout=120, env=env, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "opened: Northbridge Heart Health Partnership" in result.stdout
    assert list((tmp_path / "data").rglob("demo-*.vbpw"))


QUIT_MID_EXPORT = r"""
import sys, threading, time
from pathlib import Path
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication
from vbp_workshop import ui
from vbp_workshop.core.workbook import export as core_export
from vbp_workshop.core.steps.demo import build_demo
from vbp_workshop.ui.shared.dialogs import ScriptedDialogs
from vbp_workshop.ui.main_window import MainWindow
from vbp_workshop.ui.settings import Settings

tmp = Path(sys.argv[1])
app = QApplication(sys.argv[:1])
started = threading.Event()
real = core_export.export_workbook

def slow(store, path, **kw):  # the real export, slowed so the quit lands in the middle of it
    def progress(f):
        started.set()
        for _ in range(300):
            kw["progress"](f)
            time.sleep(0.01)
    return real(store, path, include_names=False, progress=progress, cancel=kw["cancel"])

core_export.export_workbook = slow
dialogs = ScriptedDialogs()
win = MainWindow(Settings(QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat)), dialogs)
win.show()
build_demo(tmp / "demo.vbpw").close()
win.open_path(tmp / "demo.vbpw")
dialogs.answers = [str(tmp / "outcome.xlsx")]
quit_ = next(a for a in win.findChildren(type(win.menuBar().actions()[0])) if a.text() == "&Quit")
export = next(a for a in win.findChildren(type(quit_)) if a.text().replace("&", "") == "Export to Excel…")
export.trigger()

def quit_when_started():
    if not started.is_set():
        QTimer.singleShot(20, quit_when_started)
        return
    print("quitting mid-export", flush=True)
    quit_.trigger()

QTimer.singleShot(20, quit_when_started)
code = app.exec()
print("exit", code, "threads", [t.name for t in threading.enumerate() if t.name.startswith("vbp-task")], flush=True)
"""


@pytest.mark.slow
def test_quitting_the_app_mid_export_exits_cleanly(tmp_path: Path) -> None:
    """A real process on an X server: quit while the worker is writing; the process ends at once,
    with no Qt warning, no worker left and no half-written file."""
    xvfb = need_tool("xvfb-run")
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    result = subprocess.run([xvfb, "-a", "-s", "-screen 0 1366x768x24", sys.executable, "-c", QUIT_MID_EXPORT,
                             str(tmp_path)], capture_output=True, text=True, timeout=120, env=env, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "quitting mid-export" in result.stdout and "exit 0 threads []" in result.stdout
    noise = [line for line in result.stderr.splitlines() if "QThread" in line or "Destroyed" in line
             or "Traceback" in line or "Warning" in line]
    assert not noise, noise
    assert not (tmp_path / "outcome.xlsx").exists() and not list(tmp_path.glob("*.tmp.xlsx"))

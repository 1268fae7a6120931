"""Print the main window's minimum size on every page, tab and poll kind (offscreen is enough).

    QT_QPA_PLATFORM=offscreen python tools/window_sizes.py [--scale 1.25]
    xvfb-run -a -s "-screen 0 1366x768x24" python tools/window_sizes.py --scale 1.25

The figure is the window's minimumSizeHint() in logical pixels: what it needs at the least.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path


def sizes() -> Iterator[tuple[str, int, int]]:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from vbp_workshop import ui  # noqa: F401
    from vbp_workshop.core.steps.demo import build_demo
    from vbp_workshop.ui.main_window import MainWindow
    from vbp_workshop.ui.settings import Settings
    from vbp_workshop.ui.shared.dialogs import ScriptedDialogs
    from vbp_workshop.ui.workshop_view import PAGE_KEYS

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from vbp_workshop.ui import style

    style.apply(app)
    tmp = Path(tempfile.mkdtemp())
    win = MainWindow(Settings(QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat)), ScriptedDialogs())
    win.show()
    app.processEvents()
    room = win.screen().availableGeometry()
    yield f"screen (available, logical) {room.width()}×{room.height()}", room.width(), room.height()
    yield "opens at", win.width(), win.height()
    hint = win.minimumSizeHint()
    yield "start", hint.width(), hint.height()
    build_demo(tmp / "demo.vbpw").close()
    win.open_path(tmp / "demo.vbpw")
    assert win.view is not None
    for key in PAGE_KEYS:
        page = win.view.show_page(key)
        tabs = getattr(page, "tabs", None)
        for i in range(tabs.count() if tabs else 1):
            if tabs:
                tabs.setCurrentIndex(i)
            app.processEvents()
            name = key + (f" / {tabs.tabText(i)}" if tabs else "")
            hint = win.minimumSizeHint()
            yield name, hint.width(), hint.height()
            polls = getattr(page, "polls", None)
            if tabs and polls is not None and page.tab(tabs.tabText(i)) is polls:
                for row in range(polls.list.count()):
                    polls.list.setCurrentRow(row)
                    app.processEvents()
                    hint = win.minimumSizeHint()
                    assert polls.poll is not None
                    yield f"{name} / {polls.poll.kind} #{polls.poll.id}", hint.width(), hint.height()
    win.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", default="")
    args = ap.parse_args()
    if args.scale:
        os.environ["QT_SCALE_FACTOR"] = args.scale
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    widest = tallest = 0
    for name, w, h in sizes():
        if not name.startswith(("screen", "opens")):
            widest, tallest = max(widest, w), max(tallest, h)
        print(f"{w:5d} × {h:4d}  {name}")
    print(f"{widest:5d} × {tallest:4d}  largest")


if __name__ == "__main__":
    main()

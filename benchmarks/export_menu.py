"""File › Export to Excel as a facilitator meets it: wall time from the menu action until the
workbook is written and the "done" message is up, for the demo and for the large benchmark
workshop (500 participants, 100 polls, 50 000 votes). The baseline, measured in the same run on
the same file, is the core export called directly (what the CLI does): the ratio is what the
menu adds (the read-only snapshot, the worker thread, the GUI thread watching it).

    QT_QPA_PLATFORM=offscreen python benchmarks/export_menu.py [--runs 3]

The machine may be shared and busy: compare the ratio, not the seconds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from vbp_workshop import ui  # noqa: F401  (binds pyqtgraph to PySide6 first)
from vbp_workshop.core.file.store import Store
from vbp_workshop.core.steps.demo import build_demo
from vbp_workshop.core.workbook.export import export_workbook
from vbp_workshop.ui.main_window import MainWindow
from vbp_workshop.ui.settings import Settings
from vbp_workshop.ui.shared.dialogs import ScriptedDialogs

sys.path.insert(0, str(Path(__file__).resolve().parent))
from export import large_workshop


def from_menu(app: QApplication, win: MainWindow, dialogs: ScriptedDialogs, out: Path) -> float:
    action = next(a for a in win.findChildren(type(win.menuBar().actions()[0]))
                  if a.text().replace("&", "") == "Export to Excel…")
    out.unlink(missing_ok=True)
    dialogs.answers = [str(out)]
    start = time.perf_counter()
    action.trigger()
    while not dialogs.shown or dialogs.shown[-1][1] != "Workbook written":
        app.processEvents()
        time.sleep(0.001)
        if dialogs.shown and dialogs.shown[-1][0] == "error":
            raise SystemExit(dialogs.shown[-1][2])
    return time.perf_counter() - start


def direct(path: Path, out: Path) -> float:
    out.unlink(missing_ok=True)
    store = Store.open(path)
    try:
        start = time.perf_counter()
        export_workbook(store, out)
        return time.perf_counter() - start
    finally:
        store.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    tmp = Path(tempfile.mkdtemp())
    build_demo(tmp / "demo.vbpw").close()
    large_workshop(tmp / "large.vbpw").close()
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for name in ("demo", "large"):
        path = tmp / f"{name}.vbpw"
        dialogs = ScriptedDialogs()
        win = MainWindow(Settings(QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat)), dialogs)
        win.show()
        base, menu = [], []
        for _ in range(args.runs):  # interleaved, so a burst of load hits both alike
            win.close_workshop()
            base.append(direct(path, tmp / f"{name}-direct.xlsx"))
            win.open_path(path)
            menu.append(from_menu(app, win, dialogs, tmp / f"{name}-menu.xlsx"))
        win.close()
        b, m = statistics.median(base), statistics.median(menu)
        print(f"{name:5s}  menu {m:6.2f} s   core directly {b:6.2f} s   ratio {m / b:4.2f}   "
              f"(median of {args.runs}; menu runs {', '.join(f'{x:.2f}' for x in menu)})")


if __name__ == "__main__":
    main()

"""Take screenshots of the real window with the demo workshop (run under xvfb-run, or offscreen).

    xvfb-run -a -s "-screen 0 1920x1080x24" python tools/screenshots.py docs/screenshots

The main window is taken at 1366×768, the most common laptop screen, every page and tab; step 2's
polls also at 1280×720; and the export's progress and done dialogs.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from vbp_workshop import ui  # noqa: F401
from vbp_workshop.core.steps.demo import build_demo
from vbp_workshop.ui.main_window import MainWindow
from vbp_workshop.ui.settings import Settings
from vbp_workshop.ui.shared.dialogs import ScriptedDialogs


def settle(app: QApplication, n: int = 5) -> None:
    for _ in range(n):
        app.processEvents()


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from vbp_workshop.ui import style

    style.apply(app)
    tmp = Path(tempfile.mkdtemp())
    settings = Settings(QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat))
    win = MainWindow(settings, ScriptedDialogs())
    win.show()
    win.resize(1366, 768)
    settle(app)
    win.grab().save(str(out / "start.png"))
    build_demo(tmp / "demo.vbpw").close()
    win.open_path(tmp / "demo.vbpw")
    view = win.view
    assert view is not None
    for key in ["setup", "step1", "step2", "step3", "step4", "step5", "actions", "summary"]:
        page = view.show_page(key)
        settle(app)
        win.grab().save(str(out / f"{key}.png"))
        tabs = getattr(page, "tabs", None)
        if tabs is not None:
            for i in range(1, tabs.count()):
                tabs.setCurrentIndex(i)
                settle(app)
                name = tabs.tabText(i).lower().replace(" ", "-").replace("(", "").replace(")", "")
                win.grab().save(str(out / f"{key}-{name}.png"))
            tabs.setCurrentIndex(0)
    small_screen_and_export_shots(win, app, out, tmp)
    # The projector, every poll kind at the sizes of real rooms: tools/screenshots_projector.py.
    from screenshots_projector import projector_shots  # beside this script

    projector_shots(win, app, out)
    win.close()


def small_screen_and_export_shots(win: MainWindow, app: QApplication, out: Path, tmp: Path) -> None:
    from vbp_workshop.ui.shared.dialogs import message_box
    from vbp_workshop.ui.workbook import export_done_text, start_export

    view = win.view
    assert view is not None and win.session is not None
    page = view.show_page("step2")
    page.show_polls()  # type: ignore[attr-defined]
    win.resize(1280, 720)
    settle(app)
    win.grab().save(str(out / "step2-polls-1280x720.png"))
    win.resize(1366, 768)
    settle(app)
    # The export's progress dialog, held at 40 % by a job that waits to be cancelled.
    task = win.tasks.run("Writing the workbook…", lambda progress: [progress(0.4), wait_for_cancel(progress)],
                         lambda _r: None)
    assert task.dialog is not None
    task.dialog.setMinimumDuration(0)
    task.dialog.setValue(40)
    task.dialog.show()
    settle(app, 20)
    task.dialog.grab().save(str(out / "export-progress.png"))
    task.cancel()
    win.tasks.shutdown()
    # The export itself, then the box that says where the workbook is.
    done = start_export(win.tasks, win.session, tmp / "Northbridge outcome.xlsx", False, ScriptedDialogs())
    while win.tasks.tasks:
        settle(app)
    box = message_box("info", "Workbook written", export_done_text(tmp / "Northbridge outcome.xlsx", done.seconds), win)
    box.show()
    settle(app, 20)
    box.grab().save(str(out / "export-done.png"))
    box.close()


def wait_for_cancel(progress: object) -> None:
    import time

    while True:
        progress(0.4)  # type: ignore[operator]  # raises Cancelled once cancelled
        time.sleep(0.02)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))

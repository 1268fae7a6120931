"""Take screenshots of the real window with the demo workshop (run under xvfb-run, or offscreen).

    xvfb-run -a -s "-screen 0 1600x1000x24" python tools/screenshots.py docs/screenshots
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from vbp_workshop import ui  # noqa: F401
from vbp_workshop.core.demo import build_demo
from vbp_workshop.core.template import resource_path
from vbp_workshop.ui.dialogs import ScriptedDialogs
from vbp_workshop.ui.main_window import MainWindow
from vbp_workshop.ui.settings import Settings


def settle(app: QApplication, n: int = 5) -> None:
    for _ in range(n):
        app.processEvents()


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setStyleSheet(resource_path("style.qss").read_text("utf-8"))
    tmp = Path(tempfile.mkdtemp())
    settings = Settings(QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat))
    win = MainWindow(settings, ScriptedDialogs())
    win.resize(1500, 920)
    win.show()
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
    # The projector, every poll kind at the sizes of real rooms: tools/screenshots_projector.py.
    from screenshots_projector import projector_shots  # beside this script

    projector_shots(win, app, out)
    win.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))

"""Screenshots of the sector split on the projector and of Live › Where groups disagree, from the demo.

    xvfb-run -a -s "-screen 0 1920x1080x24" python tools/screenshots_sectors.py docs/screenshots

Voting is on (the join panel shows), as in the room.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from vbp_workshop.core.operations.live import reveal
from vbp_workshop.core.polls import queries
from vbp_workshop.core.steps.demo import build_demo
from vbp_workshop.server.network import choose_port
from vbp_workshop.ui.main_window import MainWindow
from vbp_workshop.ui.settings import Settings
from vbp_workshop.ui.shared.dialogs import ScriptedDialogs


def settle(app: QApplication, n: int = 10) -> None:
    for _ in range(n):
        app.processEvents()


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    from vbp_workshop.ui import style

    style.apply(app)
    tmp = Path(tempfile.mkdtemp())
    win = MainWindow(Settings(QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat)), ScriptedDialogs())
    win.resize(1366, 768)
    win.show()
    build_demo(tmp / "demo.vbpw").close()
    win.open_path(tmp / "demo.vbpw")
    view, session = win.view, win.session
    assert view is not None and session is not None
    room = view.room
    proj = room.open_projector()
    room.start_voting("192.168.1.23", host="127.0.0.1", port=choose_port("127.0.0.1", 8765), other_port=True)
    saved = []

    def shot(widget: object, name: str) -> None:
        settle(app)
        path = out / f"{name}.png"
        widget.grab().save(str(path))  # type: ignore[attr-defined]
        saved.append(path)

    store = session.store
    trust = next(p for p in queries.polls(store, 2) if p.target == "trust")
    timeline = next(p for p in queries.polls(store, 2) if p.target == "timeline")
    for poll, name in ((trust, "trust"), (timeline, "timeline")):
        reveal(store, session.live, poll.id, True)
        room.show_poll(poll.id)
        room.set_sector_split(poll.id, True)
        for w, h in ((1024, 768), (1920, 1080)):
            proj.resize(w, h)
            shot(proj, f"projector-sectors-{name}-{w}x{h}")
        room.set_sector_split(poll.id, False)
    room.show_poll(timeline.id)
    proj.resize(1024, 768)
    shot(proj, "projector-timeline-reference-1024x768")  # the survey's expectations after the reveal

    from vbp_workshop.ui.polls.divergence import DivergenceDialog

    dialog = DivergenceDialog(session, win)
    dialog.resize(1366, 700)
    dialog.show()
    shot(dialog, "divergence-by-statement")
    dialog.tabs.setCurrentIndex(1)
    shot(dialog, "divergence-importance-by-sector")
    dialog.close()

    page = view.show_page("step2")
    page.show_polls()
    page.polls.select(trust.id)
    page.polls.result.by_sector.setChecked(True)
    shot(win, "step2-polls-by-sector")
    page.polls.result.by_sector.setChecked(False)
    page5 = view.show_page("step5")
    page5.tabs.setCurrentWidget(page5.tabs.widget(next(i for i in range(page5.tabs.count())
                                                        if page5.tabs.tabText(i) == "Decisions and sharing")))
    shot(win, "step5-decisions-and-sharing")
    room.stop_voting()
    for path in saved:
        print(path)
    win.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))

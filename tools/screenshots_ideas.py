"""Screenshots of the ideas activity: the facilitator's merge view and the projector's cards.

    xvfb-run -a -s "-screen 0 1920x1080x24" python tools/screenshots_ideas.py docs/screenshots

The demo workshop, with step 1's ideas activity open and the room's ideas in it (written as
the phones' writer writes them), one near-duplicate pair waiting to be merged and one idea
hidden; then the demo's finished activity (voted and adopted).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from vbp_workshop import ui  # noqa: F401
from vbp_workshop.core.intake.ideas import set_state
from vbp_workshop.core.model.changes import PHONE, Insert
from vbp_workshop.core.steps import ideas
from vbp_workshop.core.steps.demo import build_demo
from vbp_workshop.ui.ideas_view import open_window
from vbp_workshop.ui.main_window import MainWindow
from vbp_workshop.ui.settings import Settings
from vbp_workshop.ui.shared.dialogs import ScriptedDialogs

ROOM = [
    ("Fewer second heart attacks in the first year", "clinician"),
    ("fewer second heart attacks in the first year!", "patient"),
    ("Patients know their cholesterol numbers", "patient"),
    ("Every GP practice finds its high-risk patients", "provider"),
    ("Share outcome data across all partners every quarter", "pharma"),
    ("Cut the wait for a lipid clinic to four weeks", "payer"),
    ("Nonsense from the back row", "other"),
]


def settle(app: QApplication, n: int = 8) -> None:
    for _ in range(n):
        app.processEvents()


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from vbp_workshop.ui import style

    style.apply(app)
    tmp = Path(tempfile.mkdtemp())
    win = MainWindow(Settings(QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat)), ScriptedDialogs())
    win.show()
    build_demo(tmp / "demo.vbpw").close()
    win.open_path(tmp / "demo.vbpw")
    session = win.session
    assert session is not None
    store = session.store
    aid = next(int(a["id"]) for a in ideas.activities(store) if a["step"] == 1)
    set_state(store, aid, "open")
    devices = store.rows("devices", order="id")
    store.apply([Insert("ideas", {"activity_id": aid, "text": t, "submitted": t, "grp": g,
                                  "device": devices[n]["pseudonym"], "uid": f"shot{n:06d}", "status": "new"})
                 for n, (t, g) in enumerate(ROOM)], PHONE)
    first = ideas.ideas_of(store, aid)[0]["id"]
    store.apply([Insert("idea_supports", {"idea_id": first + i, "device": d["pseudonym"]})
                 for i, k in ((0, 5), (2, 3), (3, 7), (4, 2)) for d in devices[:k]], PHONE)
    session.edit(ideas.status_edits(store, [first + len(ROOM) - 1], ideas.HIDDEN), "Hide idea")
    view = open_window(session, win)
    view.resize(1180, 600)
    view.fill_activities(aid)
    view.suggestions.setCurrentRow(0)
    settle(app)
    view.grab().save(str(out / "ideas-merge-view.png"))
    projector = win.view.room.open_projector()  # type: ignore[union-attr]
    projector.resize(1024, 768)
    settle(app, 20)
    projector.grab().save(str(out / "projector-ideas-1024x768.png"))
    done = next(int(a["id"]) for a in ideas.activities(store) if a["poll_id"] is not None)
    view.fill_activities(done)
    settle(app)
    view.grab().save(str(out / "ideas-adopted-view.png"))
    win.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))

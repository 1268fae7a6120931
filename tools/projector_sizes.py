"""Print the projector's minimum size for every poll kind, shown and hidden, split or not.

    QT_QPA_PLATFORM=offscreen python tools/projector_sizes.py

Voting is on (the join panel shows), the window is 1024×768; the figures are minimumSizeHint.
Then the type and QR sizes at 1024×768, 1920×1080 and 3840×2160.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from vbp_workshop import ui  # noqa: F401
from vbp_workshop.core.operations.live import reveal
from vbp_workshop.core.polls import queries
from vbp_workshop.core.steps.demo import build_demo
from vbp_workshop.server.network import choose_port
from vbp_workshop.ui.main_window import MainWindow
from vbp_workshop.ui.settings import Settings
from vbp_workshop.ui.shared.dialogs import ScriptedDialogs


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    from vbp_workshop.ui import style

    style.apply(app)
    tmp = Path(tempfile.mkdtemp())
    win = MainWindow(Settings(QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat)), ScriptedDialogs())
    build_demo(tmp / "demo.vbpw").close()
    win.open_path(tmp / "demo.vbpw")
    assert win.view is not None and win.session is not None
    session, room = win.session, win.view.room
    proj = room.open_projector()
    room.start_voting("192.168.1.23", host="127.0.0.1", port=choose_port("127.0.0.1", 8765), other_port=True)
    seen: set[str] = set()
    widest = (0, 0)
    for poll in queries.polls(session.store):
        if poll.kind in seen:
            continue
        seen.add(poll.kind)
        room.show_poll(poll.id)
        for shown in (False, True):
            reveal(session.store, session.live, poll.id, shown)
            for split in (False, True):
                room.set_split(poll.id, split)
                proj.resize(1024, 768)
                for _ in range(5):
                    app.processEvents()
                hint = proj.minimumSizeHint()
                widest = (max(widest[0], hint.width()), max(widest[1], hint.height()))
                print(f"{poll.kind:10} {'shown' if shown else 'hidden':6} {'split' if split else '-':5} "
                      f"minimum {hint.width()}×{hint.height()}  window {proj.width()}×{proj.height()}")
        room.set_split(poll.id, False)
    print(f"largest minimum: {widest[0]}×{widest[1]} (fits 1024×768: {widest[0] <= 1024 and widest[1] <= 768})")
    for w, h in ((1024, 768), (1920, 1080), (3840, 2160)):  # what grows with the window
        proj.resize(w, h)
        for _ in range(5):
            app.processEvents()
        qr = proj.qr.pixmap().height()
        print(f"at {w}×{h}: question {proj.question.font().pixelSize()} px, join code "
              f"{proj.code.font().pixelSize()} px, chart text {proj.group_chart.text_px} px, "
              f"QR {qr} px ({100 * qr / h:.0f} % of the height)")
    room.stop_voting()
    win.close()


if __name__ == "__main__":
    main()

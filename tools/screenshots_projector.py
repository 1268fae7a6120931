"""Screenshots of the projector at the sizes real rooms have, every poll kind, from the demo.

    xvfb-run -a -s "-screen 0 1920x1080x24" python tools/screenshots_projector.py docs/screenshots
    python tools/screenshots_projector.py /tmp/shots --all   # also hidden and split, to look at

Voting is on (the join panel and the QR code show) and the timer runs, as in the room. Kinds
the demo has no answers for (scale, open text) get a few answers here first.
"""

from __future__ import annotations

import json
import secrets
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from vbp_workshop import ui  # noqa: F401
from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.changes import Insert, now_iso
from vbp_workshop.core.model.poll import KINDS, Poll
from vbp_workshop.core.operations.live import reveal
from vbp_workshop.core.polls import queries
from vbp_workshop.core.steps.demo import build_demo
from vbp_workshop.server.network import choose_port
from vbp_workshop.ui.main_window import MainWindow
from vbp_workshop.ui.settings import Settings
from vbp_workshop.ui.shared.dialogs import ScriptedDialogs

SIZES = ((1024, 768), (1920, 1080))
TEXT_ANSWERS = [
    "Fewer people back in hospital with a second heart attack",
    "Patients who know their cholesterol number and what it means",
    "GPs and the hospital sharing one plan for each patient",
    "Honest data on who we are missing",
    "Cardiac rehab that people actually finish",
    "A partnership that still meets in two years",
    "Less duplication between the hospital and primary care",
    "Clear ownership of each action",
]


def settle(app: QApplication, n: int = 10) -> None:
    for _ in range(n):
        app.processEvents()


def _answers_for(store: Store, poll: Poll) -> None:
    """A few answers for a kind the demo leaves empty, so its chart can be looked at."""
    if queries.ballots(store, poll.id, poll.round):
        return
    if poll.kind == "text":
        answers: list[object] = list(TEXT_ANSWERS)
    elif poll.kind == "scale":
        lo, hi = poll.scale_range
        answers = [min(hi, max(lo, v)) for v in (6, 7, 7, 8, 5, 9, 7, 6, 8, 4, 7, 8)]
    else:
        return
    stamp = now_iso()
    store.apply([Insert("ballots", {
        "poll_id": poll.id, "round": poll.round, "voter": "shot-" + secrets.token_hex(6), "grp": "",
        "source": "phone", "weight": 1, "answer": json.dumps(a), "ballot_uid": secrets.token_hex(8),
        "created_at": stamp, "updated_at": stamp}) for a in answers])


def projector_shots(win: MainWindow, app: QApplication, out: Path, every_state: bool = False) -> list[Path]:
    """Each poll kind revealed at each size; with every_state also hidden and split by group."""
    view, session = win.view, win.session
    assert view is not None and session is not None
    room = view.room
    proj = room.open_projector()
    # A free port near the usual one (so the address reads like the room's): never a fixed one.
    room.start_voting("192.168.1.23", host="127.0.0.1", port=choose_port("127.0.0.1", 8765), other_port=True)
    room.countdown.start(5 * 60)
    saved: list[Path] = []

    def shot(name: str, w: int, h: int) -> None:
        proj.resize(w, h)
        settle(app)
        path = out / f"projector-{name}-{w}x{h}.png"
        proj.grab().save(str(path))
        saved.append(path)

    chosen: dict[str, Poll] = {}
    for poll in queries.polls(session.store):
        _answers_for(session.store, poll)
        if poll.kind not in chosen and queries.ballots(session.store, poll.id, poll.round):
            chosen[poll.kind] = queries.get_poll(session.store, poll.id)
    for kind in KINDS:
        poll = chosen.get(kind)
        if poll is None:
            continue
        reveal(session.store, session.live, poll.id, True)
        room.show_poll(poll.id)
        for w, h in SIZES:
            shot(kind, w, h)
        if every_state:
            room.set_split(poll.id, True)
            shot(f"{kind}-split", 1024, 768)
            room.set_split(poll.id, False)
            reveal(session.store, session.live, poll.id, False)
            shot(f"{kind}-hidden", 1024, 768)
            reveal(session.store, session.live, poll.id, True)
    agreement = chosen.get("agreement")
    if agreement is not None:  # the stakeholder groups side by side
        room.show_poll(agreement.id)
        room.set_split(agreement.id, True)
        shot("groups", 1024, 768)
        room.set_split(agreement.id, False)
    rounds = next((p for p in queries.polls(session.store) if p.round > 1), None)
    if rounds is not None:  # a re-vote: every round side by side
        reveal(session.store, session.live, rounds.id, True)
        room.show_poll(rounds.id)
        room.set_compare(rounds.id, True)
        for w, h in SIZES:
            shot("rounds", w, h)
        room.set_compare(rounds.id, False)
    from vbp_workshop.ui.steps.summary import summary_html

    room.show_summary(summary_html(view.ctx))
    shot("summary", 1024, 768)
    proj.next_page()
    shot("summary-page2", 1024, 768)
    room.countdown.reset()
    room.stop_voting()
    return saved


def main(out: Path, every_state: bool = False) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    from vbp_workshop.ui import style

    style.apply(app)
    tmp = Path(tempfile.mkdtemp())
    settings = Settings(QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat))
    win = MainWindow(settings, ScriptedDialogs())
    win.show()
    build_demo(tmp / "demo.vbpw").close()
    win.open_path(tmp / "demo.vbpw")
    for path in projector_shots(win, app, out, every_state):
        print(path)
    win.close()


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(Path(args[0] if args else "docs/screenshots"), "--all" in sys.argv)

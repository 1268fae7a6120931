"""Start-up checks for automation: the tests and CI's smoke run of the frozen bundle.

    VBP_AUTOMATION_QUIT_MS=N   N ms after the window shows (and once the demo has opened, with
                               --demo): print "opened: TITLE" and quit.
    VBP_AUTOMATION_VOTING=1    with it, instead of quitting: press "Start phone voting" (on
                               127.0.0.1, a port the system chooses), open the first single-choice
                               poll, print "voting: URL?c=CODE poll ID (MS ms) file PATH", then "joined: MS" when the
                               first phone has joined and "voted: MS" when its ballot is stored (MS
                               counted from "Start phone voting"), and quit.

Every line is printed and flushed on stdout, so a test can follow the app as it runs, and also
appended to the file VBP_AUTOMATION_OUT names, if set (a windowed build on Windows may have no
stdout: packaging/smoke.py reads the file).
"""

from __future__ import annotations

import os
import time

from PySide6.QtCore import QTimer

from vbp_workshop.core.model.changes import Changes
from vbp_workshop.core.operations.live import open_poll
from vbp_workshop.core.polls import queries
from vbp_workshop.ui.main_window import MainWindow


def say(line: str) -> None:
    print(line, flush=True)
    out = os.environ.get("VBP_AUTOMATION_OUT")
    if out:
        with open(out, "a", encoding="utf-8") as f:
            f.write(line + "\n")


def install(window: MainWindow, demo: bool) -> None:
    quit_ms = os.environ.get("VBP_AUTOMATION_QUIT_MS", "")
    if not quit_ms.isdigit():
        return
    voting = os.environ.get("VBP_AUTOMATION_VOTING") == "1"

    def report() -> None:  # the demo is built on a worker: report once it opened
        if demo and window.session is None and window.tasks.tasks:  # not yet delivered
            QTimer.singleShot(5, report)
            return
        say(f"opened: {window.session.title if window.session else 'start screen'}")
        if voting and window.view is not None:
            _vote_once(window)
        else:
            window.close()

    QTimer.singleShot(int(quit_ms), report)


def _vote_once(window: MainWindow) -> None:
    assert window.session is not None and window.view is not None
    session, room = window.session, window.view.room
    started = time.monotonic()

    def ms() -> int:
        return round(1000 * (time.monotonic() - started))

    url = room.start_voting("127.0.0.1", host="127.0.0.1", port=0)
    poll_id = next(p.id for p in queries.polls(session.store) if p.kind == "single")
    open_poll(session.store, session.live, poll_id)
    say(f"voting: {url}?c={session.live.join_code} poll {poll_id} ({ms()} ms) file {session.store.path}")
    seen: set[str] = set()

    def on_changed(changes: Changes) -> None:
        if changes.event not in ("join", "votes") or changes.event in seen:
            return
        if "join" not in seen:  # a drain that brings both reports the votes first
            seen.add("join")
            say(f"joined: {ms()}")
        if changes.event == "votes":
            seen.add("votes")
            say(f"voted: {ms()}")
            QTimer.singleShot(0, window.close)  # stops voting: every ballot is on disk first

    session.changed.connect(on_changed)

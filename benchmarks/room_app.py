"""The real application for benchmarks/room.py: main window and projector up (offscreen), phone
voting on, and a facilitator who takes commands on stdin and answers one JSON line each.

    open POLL_ID   select the poll on its step's page and click "Open voting"
    reveal         click "Reveal results" on the selected poll
    close          click "Close"
    mark           start a new stall window; the answer holds the longest stall of the last one
    quit           stop voting and exit

Commands are read by a plain thread and handed to the GUI thread through a queue drained by a
QTimer (the same rule as the vote feed: no Qt call from a foreign thread). A 5 ms heartbeat
QTimer measures the longest GUI-thread stall. Times are time.monotonic(), which on Linux is one
clock for every process, so the benchmark compares them with the phones' arrival times.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from vbp_workshop import ui  # noqa: F401
from vbp_workshop.core.polls import queries
from vbp_workshop.ui.main_window import MainWindow
from vbp_workshop.ui.settings import Settings
from vbp_workshop.ui.shared.dialogs import ScriptedDialogs


def say(**fields: Any) -> None:
    print(json.dumps(fields), flush=True)


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("file")
    p.add_argument("--switch-ms", type=float, default=0.0, help="an experiment: sys.setswitchinterval")
    args = p.parse_args()
    if args.switch_ms:
        sys.setswitchinterval(args.switch_ms / 1000)
    app = QApplication(sys.argv[:1])
    tmp = Path(tempfile.mkdtemp())
    win = MainWindow(Settings(QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat)), ScriptedDialogs())
    win.show()
    if not win.open_path(args.file):
        say(error="cannot open")
        return 1
    view, session = win.view, win.session
    assert view is not None and session is not None
    projector = view.room.open_projector()
    # A facilitator opens the projector well before the first question: let it finish building
    # the charts it prepares ahead (one per pause), as it would have in the room.
    deadline = time.monotonic() + 10
    while projector._to_build and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    with socket.socket() as s:  # a free port: the project's choose_port starts from a fixed one
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    view.room.start_voting("127.0.0.1", host="127.0.0.1", port=port, other_port=True)
    state: dict[str, Any] = {"panel": None, "last": time.monotonic(), "stall": 0.0, "live_at": 0.0}
    # When the room's live state changes (on the GUI thread, inside the click): from here on the
    # broadcast is the server's work.
    session.live.subscribe(lambda: state.__setitem__("live_at", time.monotonic()))

    def tick() -> None:
        now = time.monotonic()
        state["stall"] = max(state["stall"], now - state["last"])
        state["last"] = now

    heartbeat = QTimer()
    heartbeat.setInterval(5)
    heartbeat.timeout.connect(tick)
    heartbeat.start()

    def handle(line: str) -> None:
        cmd, *rest = line.split()
        panel = state["panel"]
        if cmd == "open":
            poll = queries.get_poll(session.store, int(rest[0]))
            page = view.show_page(f"step{poll.step}")
            page.show_polls()  # type: ignore[attr-defined]
            panel = state["panel"] = page.polls  # type: ignore[attr-defined]
            panel.select(poll.id)
            t0 = time.monotonic()
            panel.buttons["open"].click()
            state["last"] = now = time.monotonic()  # the click is timed apart from the stalls
            say(cmd="open", poll=poll.public(), at=t0, took=now - t0, live_at=state["live_at"])
        elif cmd in ("reveal", "close"):
            t0 = time.monotonic()
            panel.buttons[cmd].click()
            state["last"] = now = time.monotonic()
            say(cmd=cmd, at=t0, took=now - t0, live_at=state["live_at"])
        elif cmd == "mark":
            stall, state["stall"] = state["stall"], 0.0
            server = view.room.server
            stats = server.server_stats() if server is not None else {}
            say(cmd="mark", max_stall=stall, streams=stats.get("open_streams", 0),
                server_pid=getattr(server, "pid", 0))
        elif cmd == "quit":
            view.room.stop_voting()
            say(cmd="quit")
            app.exit(0)  # not quit(): in Qt 6 that closes every window first

    commands: queue.SimpleQueue[str] = queue.SimpleQueue()

    def read_stdin() -> None:
        for line in sys.stdin:
            commands.put(line.strip())
        commands.put("quit")

    def pump() -> None:
        while True:
            try:
                line = commands.get_nowait()
            except queue.Empty:
                return
            if line:
                try:
                    handle(line)
                except Exception as exc:  # say what failed; the benchmark reports it
                    say(cmd=line.split()[0], error=f"{type(exc).__name__}: {exc}")

    inbox = QTimer()
    inbox.setInterval(5)
    inbox.timeout.connect(pump)
    inbox.start()
    threading.Thread(target=read_stdin, daemon=True).start()
    say(port=view.room.server.port, code=session.live.join_code, pid=os.getpid())
    app.exec()
    win.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Vote to chart: the time from a vote's arrival at the intake to the chart showing it.

The real main window and projector are up (offscreen), a poll is open and revealed; a feeder
thread (standing in for the server thread: it never touches Qt) submits votes at the rate of
500 phones. Prints the p50, p95 and maximum arrival-to-chart time (target p95 < 100 ms) and
the longest GUI event-loop stall.

    python benchmarks/vote_latency.py [--votes 50000] [--rate 2000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from vbp_workshop import ui  # noqa: F401
from vbp_workshop.core import pollops
from vbp_workshop.core.demo import build_demo
from vbp_workshop.core.votes import Vote
from vbp_workshop.ui.dialogs import ScriptedDialogs
from vbp_workshop.ui.main_window import MainWindow
from vbp_workshop.ui.settings import Settings


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--votes", type=int, default=50_000)
    ap.add_argument("--phones", type=int, default=500)
    ap.add_argument("--rate", type=float, default=2000.0, help="votes per second, all phones together")
    ap.add_argument("--kind", default="agreement")
    args = ap.parse_args()
    app = QApplication(sys.argv[:1])
    tmp = Path(tempfile.mkdtemp())
    build_demo(tmp / "d.vbpw").close()
    win = MainWindow(Settings(QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat)), ScriptedDialogs())
    win.show()
    win.open_path(tmp / "d.vbpw")
    session, view = win.session, win.view
    assert session and view
    poll = next(p for p in pollops.polls(session.store) if p.kind == args.kind)
    page = view.show_page(f"step{poll.step}")
    page.show_polls()  # type: ignore[attr-defined]
    panel = page.polls  # type: ignore[attr-defined]
    panel.select(poll.id)
    projector = view.room.open_projector()
    panel.buttons["open"].click()
    panel.buttons["reveal"].click()
    poll = pollops.get_poll(session.store, poll.id)
    writer = session.start_writer()
    submitted: dict[str, float] = {}
    latencies: list[float] = []
    stall = {"last": time.perf_counter(), "max": 0.0}

    def on_votes(votes: list[dict[str, object]]) -> None:
        # Connected after the panel and projector: by now their charts hold these votes.
        now = time.perf_counter()
        for v in votes:
            t = submitted.pop(str(v["uid"]), None)
            if t is not None:
                latencies.append(now - t)

    session.votes_arrived.connect(on_votes)

    def tick() -> None:
        now = time.perf_counter()
        stall["max"] = max(stall["max"], now - stall["last"])
        stall["last"] = now

    ticker = QTimer()
    ticker.setInterval(5)
    ticker.timeout.connect(tick)
    ticker.start()
    done = threading.Event()
    n_options = len(poll.options)

    def feeder() -> None:
        t0 = time.perf_counter()
        for i in range(args.votes):
            target = t0 + i / args.rate
            delay = target - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            uid = f"u{i:09d}"
            answer = {str(k): 1 + (i + k) % 5 for k in range(n_options)}
            submitted[uid] = time.perf_counter()
            writer.submit(Vote(poll.id, poll.round, f"d-{i % args.phones}", "provider", answer, uid))
        done.set()

    feed = threading.Thread(target=feeder, daemon=True)
    started = time.perf_counter()
    feed.start()
    while not (done.is_set() and not submitted) and time.perf_counter() - started < args.votes / args.rate + 60:
        app.processEvents()
        time.sleep(0.001)
    wall = time.perf_counter() - started
    chart = panel.charts[poll.kind]
    print(f"{len(latencies)} of {args.votes} votes reached the chart in {wall:.1f} s "
          f"({args.phones} phones, {args.rate:.0f} votes/s offered, poll kind {poll.kind})")
    print(f"arrival to chart: p50 {1000 * pct(latencies, 0.5):.1f} ms, p95 {1000 * pct(latencies, 0.95):.1f} ms, "
          f"max {1000 * max(latencies):.1f} ms  (target p95 < 100 ms)")
    print(f"chart redraws: {chart.updates} (bursts coalesced), projector chart redraws: "
          f"{projector.charts[poll.kind].updates}")
    print(f"longest GUI event-loop stall: {1000 * stall['max']:.1f} ms")
    print(f"writer: {writer.committed} votes in {writer.batches} commits")
    win.close()


if __name__ == "__main__":
    main()

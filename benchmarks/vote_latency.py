"""Vote to chart: the time from a vote's arrival at the intake to the chart showing it.

The real main window and projector are up (offscreen), a poll is open and revealed; a feeder
thread (standing in for the server thread: it never touches Qt) submits votes at the rate of
500 phones. Prints the p50, p95 and maximum arrival-to-chart time (target p95 < 100 ms) and
the longest GUI event-loop stall, and where the time goes, part by part, for each vote:
waiting for the writer, the commit (with its fsync), waiting for the GUI's drain timer, and
the drain itself (tallies and chart updates for the panel, projector and trust pulse).

    python benchmarks/vote_latency.py [--votes 50000] [--rate 2000]
"""

from __future__ import annotations

import argparse
import os
import queue
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
from vbp_workshop.core import pollops
from vbp_workshop.core.demo import build_demo
from vbp_workshop.core.votes import Vote
from vbp_workshop.ui.main_window import MainWindow
from vbp_workshop.ui.session import DRAIN_MS
from vbp_workshop.ui.settings import Settings
from vbp_workshop.ui.shared.dialogs import ScriptedDialogs


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q))]


class Parts:
    """Times each vote at every hand-over: submitted, its batch's commit start and end (the notice
    is put on the queue right after), taken from the queue by the drain, and the drain's end."""

    def __init__(self) -> None:
        self.commit_start: dict[str, float] = {}
        self.put: dict[str, float] = {}
        self.got: dict[str, float] = {}
        self.split: dict[str, list[float]] = {"waiting for the writer": [], "commit (fsync included)": [],
                                              "waiting for the drain timer": [], "drain: tallies and charts": []}
        self.drains: list[float] = []

    def wrap_notices(self, q: queue.SimpleQueue[dict[str, Any]]) -> Any:
        parts = self

        class Timed:
            def put(self, notice: dict[str, Any]) -> None:
                if notice.get("type") == "vote":
                    parts.put[str(notice["uid"])] = time.perf_counter()
                q.put(notice)

            def get_nowait(self) -> dict[str, Any]:
                notice = q.get_nowait()
                if notice.get("type") == "vote":
                    parts.got[str(notice["uid"])] = time.perf_counter()
                return notice

        return Timed()

    def wrap_commit(self, commit: Any) -> Any:
        def timed(conn: Any, batch: list[Any]) -> None:
            start = time.perf_counter()
            for item, _fut in batch:
                self.commit_start[getattr(item, "ballot_uid", "")] = start
            commit(conn, batch)

        return timed

    def record(self, uid: str, submitted: float, charted: float) -> None:
        marks = [submitted, self.commit_start.pop(uid), self.put.pop(uid), self.got.pop(uid), charted]
        for name, a, b in zip(self.split, marks, marks[1:], strict=False):
            self.split[name].append(b - a)

    def report(self) -> None:
        print("where the time goes, per vote (p50 / p95 / max):")
        for name, values in self.split.items():
            print(f"  {name:<30} {1000 * pct(values, 0.5):6.1f} / {1000 * pct(values, 0.95):6.1f} / "
                  f"{1000 * max(values):6.1f} ms")
        print(f"  one drain (all screens)        {1000 * pct(self.drains, 0.5):6.1f} / "
              f"{1000 * pct(self.drains, 0.95):6.1f} / {1000 * max(self.drains):6.1f} ms over "
              f"{len(self.drains)} drains (drain timer every {DRAIN_MS} ms)")


class Inside:
    """Time spent in the parts a drain calls (patched on the classes before any window exists,
    so the signal connections use the timed versions). Nested parts count in each."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}
        self.calls: dict[str, int] = {}

    def patch(self, owner: Any, name: str, label: str) -> None:
        original = getattr(owner, name)
        spent, calls = self.spent, self.calls

        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.perf_counter() - t0
                calls[label] = calls.get(label, 0) + 1

        setattr(owner, name, timed)

    def report(self, drains: int) -> None:
        print(f"inside the drains, per drain ({drains} drains; the patched parts only):")
        for label, total in sorted(self.spent.items(), key=lambda kv: -kv[1]):
            print(f"  {label:<44} {1000 * total / max(1, drains):6.2f} ms  ({self.calls[label]} calls)")


def patch_parts() -> Inside:
    import pyqtgraph

    from vbp_workshop.ui import session
    from vbp_workshop.ui.polls import panel as poll_panel
    from vbp_workshop.ui.projector import room as live
    from vbp_workshop.ui.projector import window as projector
    from vbp_workshop.ui.shared import table_models as models
    from vbp_workshop.ui.shared.bound_text import BoundText
    from vbp_workshop.ui.steps import summary, trust

    inside = Inside()
    inside.patch(pollops, "round_tally", "tally: pollops.round_tally (SQL + count)")
    if hasattr(session, "tally"):
        inside.patch(session, "tally", "tally: counting the kept ballots")
    inside.patch(pyqtgraph.GraphicsView, "paintEvent", "paint: the chart views (after the drain)")
    inside.patch(poll_panel.PollPanel, "_on_changed", "poll panel: _on_changed")
    inside.patch(poll_panel.PollPanel, "refresh", "poll panel: refresh")
    inside.patch(projector.ProjectorWindow, "refresh", "projector: refresh")
    inside.patch(live.LiveRoom, "_on_changed", "live room: _on_changed (projector)")
    inside.patch(trust.TrustPulse, "refresh", "trust pulse: refresh")
    inside.patch(summary.SummaryPage, "refresh", "summary page: refresh")
    inside.patch(models.RecordTableModel, "_on_changed", "record table models: _on_changed")
    inside.patch(models.GridModel, "_on_changed", "grid models: _on_changed")
    inside.patch(BoundText, "_on_changed", "bound text fields: _on_changed")
    return inside


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--votes", type=int, default=50_000)
    ap.add_argument("--phones", type=int, default=500)
    ap.add_argument("--rate", type=float, default=2000.0, help="votes per second, all phones together")
    ap.add_argument("--kind", default="agreement")
    args = ap.parse_args()
    app = QApplication(sys.argv[:1])
    inside = patch_parts()
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
    parts = Parts()
    writer.notices = parts.wrap_notices(writer.notices)  # type: ignore[assignment]
    writer._commit = parts.wrap_commit(writer._commit)  # type: ignore[method-assign]
    stall = {"last": time.perf_counter(), "max": 0.0}

    def on_votes(votes: list[dict[str, object]]) -> None:
        # Connected after the panel and projector: by now their charts hold these votes.
        now = time.perf_counter()
        parts.drains.append(now - parts.got[str(votes[0]["uid"])])
        for v in votes:
            t = submitted.pop(str(v["uid"]), None)
            if t is not None:
                latencies.append(now - t)
                parts.record(str(v["uid"]), t, now)

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
    parts.report()
    inside.report(len(parts.drains))
    win.close()


if __name__ == "__main__":
    main()

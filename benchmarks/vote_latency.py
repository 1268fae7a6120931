"""Vote to chart: the time from a phone sending a vote to the facilitator's chart showing it.

The real main window and projector are up (offscreen), a poll is open and revealed. Two feeders:

- `--feeder phones` (the default): the app's real vote server, in its own process, and N
  simulated phones in another (benchmarks/phones.py over HTTP) voting at the offered rate. Each
  vote is timed from the phone sending it (time.monotonic(), one clock for every process here):
  through the server and its commit and back to the app ("stored and back"), waiting for the
  GUI's drain timer, and the drain itself (tallies and charts for the panel, projector, pulse).
- `--feeder thread`: a thread in the app submits to a writer in the app (no HTTP, no server
  process): the GUI's own cost part by part, as before the server had a process of its own.

Prints the p50, p95 and maximum send-to-chart time (goal p95 < 50 ms at 2,000 votes/s), the
longest GUI event-loop stall, and where the time goes.

    python benchmarks/vote_latency.py [--votes 20000] [--rate 2000] [--phones 2000] [--feeder phones|thread]
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import subprocess
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
from vbp_workshop.core.intake.votes import Vote
from vbp_workshop.core.polls import queries
from vbp_workshop.core.steps.demo import build_demo
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
        self.pending: list[str] = []  # votes taken by the drain under way

    def through_server(self) -> None:
        self.split = {"phone -> stored and back (HTTP, server, commit, pipe)": [],
                      "waiting for the drain timer": [], "drain: tallies and charts": []}

    def wrap_notices(self, q: queue.SimpleQueue[dict[str, Any]]) -> Any:
        parts = self

        class Timed:
            def put(self, notice: dict[str, Any]) -> None:
                if notice.get("type") == "vote":
                    parts.put[str(notice["uid"])] = time.monotonic()
                q.put(notice)

            def get_nowait(self) -> dict[str, Any]:
                notice = q.get_nowait()
                if notice.get("type") == "vote":
                    parts.got[str(notice["uid"])] = time.monotonic()
                    parts.pending.append(str(notice["uid"]))
                return notice

        return Timed()

    def wrap_commit(self, commit: Any) -> Any:
        def timed(conn: Any, batch: list[Any]) -> None:
            start = time.monotonic()
            for item, _fut in batch:
                self.commit_start[getattr(item, "ballot_uid", "")] = start
            commit(conn, batch)

        return timed

    def record(self, uid: str, submitted: float, charted: float) -> None:
        if "commit (fsync included)" in self.split:
            marks = [submitted, self.commit_start.pop(uid), self.put.pop(uid), self.got.pop(uid), charted]
        else:  # through the server's process: its commit is not visible from here
            marks = [submitted, self.put.pop(uid), self.got.pop(uid), charted]
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
            t0 = time.monotonic()
            try:
                return original(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.monotonic() - t0
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
    inside.patch(queries, "round_tally", "tally: queries.round_tally (SQL + count)")
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
    ap.add_argument("--votes", type=int, default=20_000)
    ap.add_argument("--phones", type=int, default=500)
    ap.add_argument("--rate", type=float, default=2000.0, help="votes per second, all phones together")
    ap.add_argument("--kind", default="agreement")
    ap.add_argument("--feeder", choices=("phones", "thread"), default="phones")
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
    poll = next(p for p in queries.polls(session.store) if p.kind == args.kind)
    page = view.show_page(f"step{poll.step}")
    page.show_polls()  # type: ignore[attr-defined]
    panel = page.polls  # type: ignore[attr-defined]
    panel.select(poll.id)
    projector = view.room.open_projector()
    panel.buttons["open"].click()
    panel.buttons["reveal"].click()
    poll = queries.get_poll(session.store, poll.id)
    submitted: dict[str, float] = {}
    latencies: list[float] = []
    charted: dict[str, float] = {}
    parts = Parts()
    stall = {"last": time.monotonic(), "max": 0.0}

    def on_changed(changes: Any) -> None:
        # Connected after the panel and projector: by now their charts hold these votes.
        if changes.event != "votes" or not parts.pending:
            return
        now = time.monotonic()
        uids, parts.pending = parts.pending, []
        parts.drains.append(now - parts.got[uids[0]])
        for uid in uids:
            charted[uid] = now

    session.changed.connect(on_changed)

    def tick() -> None:
        now = time.monotonic()
        stall["max"] = max(stall["max"], now - stall["last"])
        stall["last"] = now

    ticker = QTimer()
    ticker.setInterval(5)
    ticker.timeout.connect(tick)
    ticker.start()
    started = time.monotonic()
    if args.feeder == "thread":
        writer, done = feed_from_thread(session, poll, args, parts, submitted)
        while not (done.is_set() and len(charted) >= args.votes) and \
                time.monotonic() - started < args.votes / args.rate + 60:
            app.processEvents()
            time.sleep(0.001)
        committed = f"{writer.committed} votes in {writer.batches} commits"
    else:
        committed = feed_from_phones(app, session, view, args, parts, submitted, charted, tmp, stall)
    wall = time.monotonic() - started
    for uid, at in charted.items():
        t = submitted.get(uid)
        if t is not None:
            latencies.append(at - t)
            parts.record(uid, t, at)
    chart = panel.charts[poll.kind] if hasattr(panel, "charts") else panel.result_view.charts[poll.kind]
    print(f"{len(latencies)} of {args.votes} votes reached the chart in {wall:.1f} s "
          f"({args.phones} phones, {args.rate:.0f} votes/s offered, poll kind {poll.kind}, feeder {args.feeder})")
    print(f"send to chart: p50 {1000 * pct(latencies, 0.5):.1f} ms, p95 {1000 * pct(latencies, 0.95):.1f} ms, "
          f"max {1000 * max(latencies):.1f} ms  (goal p95 < 50 ms)")
    print(f"chart redraws: {chart.updates} (bursts coalesced), projector chart redraws: "
          f"{projector.charts[poll.kind].updates}")
    print(f"longest GUI event-loop stall: {1000 * stall['max']:.1f} ms")
    print(f"writer: {committed}")
    parts.report()
    inside.report(len(parts.drains))
    if view.room.voting:
        view.room.stop_voting()
    win.close()


def feed_from_thread(session: Any, poll: Any, args: argparse.Namespace, parts: Parts,
                     submitted: dict[str, float]) -> tuple[Any, threading.Event]:
    writer = session.start_writer()
    writer.notices = parts.wrap_notices(writer.notices)
    session.listen(writer.notices)
    writer._commit = parts.wrap_commit(writer._commit)
    done = threading.Event()
    n_options = len(poll.options)

    def feeder() -> None:
        t0 = time.monotonic()
        for i in range(args.votes):
            target = t0 + i / args.rate
            delay = target - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            uid = f"u{i:09d}"
            answer = {str(k): 1 + (i + k) % 5 for k in range(n_options)}
            submitted[uid] = time.monotonic()
            writer.submit(Vote(poll.id, poll.round, f"d-{i % args.phones}", "provider", answer, uid))
        done.set()

    threading.Thread(target=feeder, daemon=True).start()
    return writer, done


def feed_from_phones(app: QApplication, session: Any, view: Any, args: argparse.Namespace, parts: Parts,
                     submitted: dict[str, float], charted: dict[str, float], tmp: Path,
                     stall: dict[str, float]) -> str:
    """The real server process and phones over HTTP; the phones log when they sent each vote."""
    parts.through_server()
    t0 = time.monotonic()
    view.room.start_voting("127.0.0.1", host="127.0.0.1", port=0)
    print(f"starting phone voting (the server's process up and ready) took {1000 * (time.monotonic() - t0):.0f} ms "
          f"of the GUI thread, before the stalls below are counted")
    stall["last"] = time.monotonic()
    server = view.room.server
    server.notices = parts.wrap_notices(server.notices)  # the pipe's reader puts here
    session.listen(server.notices)
    log = tmp / "phones.jsonl"
    per_phone = max(1, args.votes // args.phones)
    phones = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve().parent / "phones.py"), "--base",
         f"http://127.0.0.1:{server.port}", "--code", session.live.join_code, "--phones", str(args.phones),
         "--votes", str(per_phone), "--pause", str(args.phones / args.rate), "--log", str(log)],
        stdout=subprocess.PIPE, text=True)
    while phones.poll() is None:
        app.processEvents()
        time.sleep(0.001)
    stats = json.loads((phones.stdout.read() if phones.stdout else "{}").strip().splitlines()[-1])
    end = time.monotonic() + 5
    while len(charted) < stats["acked"] and time.monotonic() < end:  # the last votes reach the chart
        app.processEvents()
        time.sleep(0.001)
    for line in log.read_text(encoding="utf-8").splitlines():  # when each vote left its phone
        event = json.loads(line)
        if event["event"] == "sent":
            submitted[event["uid"]] = float(event["t"])
    return (f"{stats['acked']} acknowledged by the server's process at {stats['votes_per_s']:.0f} votes/s "
            f"(ack p95 {stats['p95_ms']} ms, {stats['errors']} errors)")


if __name__ == "__main__":
    main()

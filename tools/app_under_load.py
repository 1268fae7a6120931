"""The real application, offscreen, with phone voting on and a poll open — for load tests.

Prints one JSON line when ready ({"port", "code", "poll_id", "pid"}), then runs until killed or
until the stop file appears; on a clean stop prints the GUI's longest event-loop stall.

    QT_QPA_PLATFORM=offscreen python tools/app_under_load.py WORKSHOP.vbpw [--kind single]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from vbp_workshop import ui  # noqa: F401
from vbp_workshop.ui.main_window import MainWindow
from vbp_workshop.ui.settings import Settings
from vbp_workshop.ui.shared.dialogs import ScriptedDialogs


def vm_hwm_mb(pid: int) -> float:
    """A process's peak resident memory (Linux), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("file")
    p.add_argument("--kind", default="single")
    p.add_argument("--step", type=int, default=3)
    p.add_argument("--stop-file", default="")
    args = p.parse_args()
    app = QApplication(sys.argv[:1])
    tmp = Path(tempfile.mkdtemp())
    win = MainWindow(Settings(QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat)), ScriptedDialogs())
    win.show()
    if not win.open_path(args.file):
        print(json.dumps({"error": "cannot open"}), flush=True)
        return 1
    view = win.view
    assert view is not None and win.session is not None
    page = view.show_page(f"step{args.step}")
    page.show_polls()  # type: ignore[attr-defined]
    panel = page.polls  # type: ignore[attr-defined]
    poll = next(p for p in panel.polls() if p.kind == args.kind)
    panel.select(poll.id)
    view.room.start_voting("127.0.0.1", host="127.0.0.1", port=18900, other_port=True)  # or the next free port
    panel.buttons["open"].click()
    stall = {"last": time.perf_counter(), "max": 0.0}

    def tick() -> None:
        now = time.perf_counter()
        stall["max"] = max(stall["max"], now - stall["last"])
        stall["last"] = now
        if args.stop_file and Path(args.stop_file).exists():
            app.exit(0)  # not quit(): in Qt 6 that closes every window first

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    timer.start()
    print(json.dumps({"port": view.room.server.port, "code": win.session.live.join_code,
                      "poll_id": poll.id, "pid": os.getpid(), "server_pid": view.room.server.pid}), flush=True)
    app.exec()
    responses = panel.result.current_tally().respondents
    chart = panel.result.charts.get(poll.kind)
    server_hwm = vm_hwm_mb(view.room.server.pid)  # read before voting stops and the process ends
    print(json.dumps({"max_stall_ms": round(stall["max"] * 1000, 1), "chart_updates": chart.updates if chart else 0,
                      "responses": responses, "server_hwm_mb": server_hwm}), flush=True)
    win.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

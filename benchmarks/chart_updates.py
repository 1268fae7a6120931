"""What a vote costs a chart: one update (new tally, then paint) per chart kind, projector size.

Baseline, in the same run: a bare pyqtgraph plot of the same bars whose widths and value labels
are set and painted, with none of the layout that keeps legends, names and labels readable
(the least any bar chart must do). Prints milliseconds per update for both and the ratio.

    QT_QPA_PLATFORM=offscreen python benchmarks/chart_updates.py [--updates 200]
"""

from __future__ import annotations

import argparse
import os
import time
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pyqtgraph as pg
from PySide6.QtWidgets import QApplication

from vbp_workshop.core.model.poll import Poll
from vbp_workshop.core.model.tally import Tally
from vbp_workshop.core.polls.tally import tally
from vbp_workshop.ui.polls.charts import chart_for

OPTIONS = ("Majority of partners", "Consent (no reasoned objection)", "Chair decides after consultation",
           "Escalate to sponsors")


def example(kind: str, votes: int) -> tuple[Poll, Tally]:
    p = Poll(id=1, kind=kind, question="Q", options=OPTIONS, state="open", revealed=True)
    answers: list[Any] = {
        "single": [i % 4 for i in range(votes)],
        "agreement": [{str(k): 1 + (i + k) % 5 for k in range(4)} for i in range(votes)],
        "fist": [i % 6 for i in range(votes)],
        "importance": [{str(k): [1 + (i + k) % 5, 1 + (i * k) % 5] for k in range(4)} for i in range(votes)],
    }[kind]
    return p, tally(p, [{"answer": a, "weight": 1} for a in answers])


def bare(app: QApplication, n: int) -> float:
    plot = pg.PlotWidget()
    plot.resize(740, 480)
    plot.show()
    bars = pg.BarGraphItem(x0=[0] * 4, y=[0, 1, 2, 3], height=0.6, width=[0] * 4)
    plot.addItem(bars)
    labels = [pg.TextItem("") for _ in range(4)]
    for label in labels:
        plot.addItem(label)
    app.processEvents()
    start = time.perf_counter()
    for i in range(n):
        widths = [(i + k) % 7 + 1 for k in range(4)]
        bars.setOpts(width=widths)
        for k, label in enumerate(labels):
            label.setText(f" {widths[k]} ({25 * k}%)")
            label.setPos(widths[k], k)
        plot.setXRange(0, max(widths) * 1.25, padding=0)
        plot.repaint()
        app.processEvents()
    plot.close()
    return (time.perf_counter() - start) / n * 1000


def chart(app: QApplication, kind: str, n: int) -> float:
    c = chart_for(kind, large=True)
    c.resize(740, 480)
    c.show()
    tallies = [example(kind, 20 + i % 7) for i in range(n)]  # counts change with every update
    c.set_tally(*tallies[0])
    app.processEvents()
    start = time.perf_counter()
    for p, t in tallies:
        c.set_tally(p, t)
        c.repaint()
        app.processEvents()
    c.close()
    return (time.perf_counter() - start) / n * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--updates", type=int, default=200)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    base = bare(app, args.updates)
    print(f"baseline (bare pyqtgraph bars + labels): {base:.2f} ms per update")
    for kind in ("single", "agreement", "fist", "importance"):
        ms = chart(app, kind, args.updates)
        print(f"{kind:10} chart: {ms:6.2f} ms per update  ({ms / base:.2f}× the baseline)")


if __name__ == "__main__":
    main()

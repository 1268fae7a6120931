"""Points on two scales (matrix, importance and satisfaction)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from vbp_workshop.core.model.poll import Poll
from vbp_workshop.core.model.tally import Tally
from vbp_workshop.ui.polls.charts.base import (
    MUTED,
    PALETTE,
    PollChart,
    _short,
)


class ScatterChart(PollChart):
    """2×2 and importance vs satisfaction: items at their mean, with spread and quadrants."""

    def build(self, poll: Poll) -> None:
        lo, hi = poll.scale_range
        mid = (lo + hi) / 2
        n = len(poll.options)
        importance = poll.kind == "importance"
        x_label = "Importance" if importance else poll.settings.get("x_label", "Effort")
        y_label = "Satisfaction" if importance else poll.settings.get("y_label", "Impact")
        # Importance vs satisfaction: the lines cross at the room's averages once there are
        # answers (core.disagreement.QUADRANT_RULE); a 2×2 crosses at the middle of its scales.
        self.cross = [pg.InfiniteLine(pos=mid, angle=angle, pen=pg.mkPen(MUTED, width=1.5)) for angle in (90, 0)]
        for line in self.cross:
            self.plot_item.addItem(line)
        quadrants = (["Concentrate here", "Keep up the good work", "Low priority", "Possible overkill"]
                     if importance else ["Quick wins", "Major projects", "Fill-ins", "Thankless tasks"])
        # importance: x = importance, y = satisfaction; high importance + low satisfaction = work.
        corners = ([(hi, lo, (1, 1)), (hi, hi, (1, 0)), (lo, lo, (0, 1)), (lo, hi, (0, 0))] if importance
                   else [(lo, hi, (0, 0)), (hi, hi, (1, 0)), (lo, lo, (0, 1)), (hi, lo, (1, 1))])
        for text, (x, y, anchor) in zip(quadrants, corners, strict=True):
            t = self.text_item(text, anchor=anchor, colour="#767676", value=False)
            t.setZValue(-5)
            t.setPos(x, y)
        self.errors = pg.ErrorBarItem(x=np.full(n, mid), y=np.full(n, mid), width=np.zeros(n),
                                      height=np.zeros(n), pen=pg.mkPen("#9bbbd4", width=2))
        self.plot_item.addItem(self.errors)
        # Items cluster (everyone rates trust as important), so names would collide: each dot
        # carries its number, and the legend band above names it.
        self.make_legend()
        self.dots = []
        for i in range(n):
            dot = pg.ScatterPlotItem(size=round(self.text_px * 1.6), pen=pg.mkPen("w", width=1.5),
                                     brush=pg.mkBrush(PALETTE[i % len(PALETTE)]))
            self.plot_item.addItem(dot)
            self.dots.append(dot)
        self.numbers = [self.text_item(str(i + 1), anchor=(0.5, 0.5), colour="#ffffff", value=False)
                        for i in range(n)]
        self.set_axis_label("bottom", x_label)
        self.set_axis_label("left", y_label)
        self.plot_item.setXRange(lo - 0.3, hi + 0.3, padding=0)
        self.plot_item.setYRange(lo - 0.3, hi + 0.3, padding=0)

    def update_data(self, poll: Poll, tally: Tally) -> None:
        xs, ys, spread = [], [], []
        keys = []
        points = tally.points or [None] * len(poll.options)
        for i, p in enumerate(points):
            dot, number = self.dots[i], self.numbers[i]
            gap_value = tally.means[i] if poll.kind == "importance" and tally.means else None
            gap = f"  (gap {gap_value:+.1f})" if gap_value is not None else ""
            if p is None:
                dot.setData([])
                number.setText("")
                continue
            dot.setData([p[0]], [p[1]])
            number.setText(str(i + 1))
            number.setPos(p[0], p[1])
            keys.append((dot, f"{i + 1}  {_short(poll.options[i], 60)}{gap}"))
            xs.append(p[0])
            ys.append(p[1])
            spread.append(2 * (tally.spreads[i] or 0) if tally.spreads else 0)
        if [name for _, name in keys] != [getattr(label, "full", label.text) for _, label in self.legend.items]:
            self.legend.clear()  # the legend changes only when a name or a gap does
            for dot, name in keys:
                self.legend.addItem(dot, name)
        if poll.kind == "importance" and xs:
            self.cross[0].setPos(sum(xs) / len(xs))
            self.cross[1].setPos(sum(ys) / len(ys))
        if poll.kind == "matrix" and xs:
            w = np.asarray(spread, dtype=float)
            self.errors.setData(x=np.asarray(xs), y=np.asarray(ys), width=w, height=w)
            self.errors.setVisible(True)
        else:
            self.errors.setVisible(False)

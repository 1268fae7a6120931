"""Bars: one per option (single, multiple, points, ranking)."""

from __future__ import annotations

import pyqtgraph as pg

from vbp_workshop.core.model.poll import Poll
from vbp_workshop.core.model.tally import Tally
from vbp_workshop.ui.polls.charts.base import (
    PALETTE,
    PollChart,
    _pad_for,
)


class BarsChart(PollChart):
    """Horizontal bars per option: counts with percentages, points, or Borda scores."""

    COUNT_AXIS = "bottom"

    def build(self, poll: Poll) -> None:
        n = len(poll.options)
        self.ys = list(range(n))[::-1]
        self.bars = pg.BarGraphItem(x0=[0] * n, y=self.ys, height=0.6, width=[0] * n,
                                    brushes=[PALETTE[i % len(PALETTE)] for i in range(n)], pen=None)
        self.plot_item.addItem(self.bars)
        self.labels = [self.text_item(anchor=(0, 0.5)) for _ in range(n)]
        self.wrapped = ("left", list(zip(self.ys, poll.options, strict=True)))
        self.set_axis_label("bottom", {"points": "points", "ranking": "Borda score"}.get(poll.kind, "answers"))
        self.plot_item.setYRange(-0.6, n - 0.4, padding=0)
        self.values = [0.0] * n

    def update_data(self, poll: Poll, tally: Tally) -> None:
        values = tally.counts or [0.0] * len(poll.options)
        self.bars.setOpts(width=values)
        for i, (label, y, v) in enumerate(zip(self.labels, self.ys, values, strict=True)):
            if poll.kind in ("single", "multiple"):
                pct = tally.percents[i] if tally.percents else 0
                label.setText(f" {v:g} ({pct:.0f}%)")
            else:
                label.setText(f" {v:g}")
            label.setPos(v, y)
        self.values = list(values)

    def fit_range(self) -> None:
        vb = self.plot_item.getViewBox()
        top = max(self.values, default=0) or 1
        end = _pad_for(self.values, [self.label_px(lb)[0] for lb in self.labels], vb.width(), top * 1.05)
        self.plot_item.setXRange(0, end, padding=0)

"""The words of open answers, largest first."""

from __future__ import annotations

import math

import pyqtgraph as pg

from vbp_workshop.core.model.poll import Poll
from vbp_workshop.core.model.tally import Tally
from vbp_workshop.ui.polls.charts.base import (
    PALETTE,
    PollChart,
)


class WordsChart(PollChart):
    """Open text, the secondary view: how often each word comes up (stop words left out)."""

    COUNT_AXIS = "bottom"
    TOP = 10

    def build(self, poll: Poll) -> None:
        self.ys = list(range(self.TOP))[::-1]
        self.bars = pg.BarGraphItem(x0=[0] * self.TOP, y=self.ys, height=0.6, width=[0] * self.TOP,
                                    brush=PALETTE[2], pen=None)
        self.plot_item.addItem(self.bars)
        self.set_axis_label("bottom", "mentions")
        self.plot_item.setYRange(-0.6, self.TOP - 0.4, padding=0)
        self.counts = [0] * self.TOP

    def update_data(self, poll: Poll, tally: Tally) -> None:
        words = (tally.words + [("", 0)] * self.TOP)[: self.TOP]
        self.counts = [c for _, c in words]
        self.bars.setOpts(width=self.counts)
        self.plot_item.getAxis("left").setTicks([[(y, w) for y, (w, _) in zip(self.ys, words, strict=True)]])

    def fit_range(self) -> None:
        top = max(self.counts, default=0) or 1
        self.plot_item.setXRange(0, max(2, math.ceil(top * 1.1)), padding=0)

"""A histogram of the levels of a scale (scale, fist to five)."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt

from vbp_workshop.core.model.poll import Poll
from vbp_workshop.core.model.tally import Tally
from vbp_workshop.core.steps.checks import RAG_COLOURS
from vbp_workshop.ui.polls.charts.base import (
    MUTED,
    PALETTE,
    PollChart,
    _pad_for,
    set_key,
)


class HistogramChart(PollChart):
    """Scale and fist-to-five: a bar per value, with mean and median marks (and the 3 line)."""

    COUNT_AXIS = "left"

    def build(self, poll: Poll) -> None:
        lo, hi = poll.scale_range
        self.xs = list(range(lo, hi + 1))
        brushes = [(RAG_COLOURS["red"] if poll.kind == "fist" and x < 3 else PALETTE[0]) for x in self.xs]
        self.bars = pg.BarGraphItem(x=self.xs, height=[0] * len(self.xs), width=0.7,
                                    brushes=brushes, pen=None)
        self.plot_item.addItem(self.bars)
        # On a white ground, so a mean or median line behind a count never makes it unreadable.
        self.count_labels = [self.text_item(anchor=(0.5, 1)) for _ in self.xs]
        for label in self.count_labels:
            label.fill = pg.mkBrush(255, 255, 255, 230)
        pen_mean = pg.mkPen("#D55E00", width=3)
        pen_median = pg.mkPen("#009E73", width=3, style=Qt.PenStyle.DashLine)
        self.mean_line = pg.InfiniteLine(angle=90, pen=pen_mean)
        self.median_line = pg.InfiniteLine(angle=90, pen=pen_median)
        # The lines are named in the legend band, not beside the lines, where names collided.
        legend = self.make_legend()
        self.mean_key = pg.PlotDataItem(pen=pen_mean)
        self.median_key = pg.PlotDataItem(pen=pen_median)
        legend.addItem(self.mean_key, "mean")
        legend.addItem(self.median_key, "median")
        for line in (self.mean_line, self.median_line):
            line.setVisible(False)
            self.plot_item.addItem(line)
        if poll.kind == "fist":
            pen_consent = pg.mkPen(MUTED, width=2, style=Qt.PenStyle.DotLine)
            self.plot_item.addItem(pg.InfiniteLine(pos=2.5, angle=90, pen=pen_consent))
            legend.addItem(pg.PlotDataItem(pen=pen_consent), "consent needs 3 or more")
        self.plot_item.getAxis("bottom").setTicks([[(x, str(x)) for x in self.xs]])
        self.set_axis_label("left", "answers")
        self.plot_item.setXRange(lo - 0.6, hi + 0.6, padding=0)
        self.counts = [0.0] * len(self.xs)

    def update_data(self, poll: Poll, tally: Tally) -> None:
        counts = tally.counts or [0.0] * len(self.xs)
        self.bars.setOpts(height=counts)
        for label, x, c in zip(self.count_labels, self.xs, counts, strict=True):
            label.setText(f"{c:g}" if c else "")
            label.setPos(x, c)
        for line, value in ((self.mean_line, tally.mean), (self.median_line, tally.median)):
            line.setVisible(value is not None)
            if value is not None:
                line.setValue(value)
        names = self.legend.items
        set_key(names[0][1], f"mean {tally.mean:.1f}" if tally.mean is not None else "mean")
        set_key(names[1][1], f"median {tally.median:g}" if tally.median is not None else "median")
        self.counts = list(counts)

    def fit_range(self) -> None:
        vb = self.plot_item.getViewBox()
        top = max(self.counts, default=0) or 1
        end = _pad_for(self.counts, [self.label_px(lb)[1] for lb in self.count_labels], vb.height(), top * 1.05)
        self.plot_item.setYRange(0, end, padding=0)

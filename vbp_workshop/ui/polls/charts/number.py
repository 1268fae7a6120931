"""A numeric estimate: a histogram of the answers over the poll's range, the median marked and
the middle half (the quartiles) shaded."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt

from vbp_workshop.core.model.poll import Poll
from vbp_workshop.core.model.tally import Tally
from vbp_workshop.core.polls.kinds.number import KIND, bins, number_text
from vbp_workshop.ui.polls.charts.base import PALETTE, PollChart, _pad_for, set_key

MEDIAN_PEN = pg.mkPen("#009E73", width=3, style=Qt.PenStyle.DashLine)
MIDDLE_BRUSH = pg.mkBrush(0, 158, 115, 45)  # the median's green, faint: the bars stay readable over it


class NumberChart(PollChart):
    """A bar per value range (`Tally.bins`) at its place on the range, with the median line and
    the middle half as a band behind the bars."""

    COUNT_AXIS = "left"

    def build(self, poll: Poll) -> None:
        lo, hi = poll.scale_range
        self.ranges = bins(lo, hi)  # the kind's ranges: the tally counts into the same ones
        self.xs = [(a + b) / 2 for a, b in self.ranges]
        widths = [0.85 * (b - a) for a, b in self.ranges]
        self.middle = pg.LinearRegionItem(values=(lo, lo), movable=False, brush=MIDDLE_BRUSH, pen=pg.mkPen(None))
        self.middle.setZValue(-10)
        self.middle.setVisible(False)
        self.plot_item.addItem(self.middle)
        self.bars = pg.BarGraphItem(x=self.xs, height=[0] * len(self.xs), width=widths, brush=PALETTE[0], pen=None)
        self.plot_item.addItem(self.bars)
        self.count_labels = [self.text_item(anchor=(0.5, 1)) for _ in self.xs]
        for label in self.count_labels:  # on white, so the median line never makes a count unreadable
            label.fill = pg.mkBrush(255, 255, 255, 230)
        self.median_line = pg.InfiniteLine(angle=90, pen=MEDIAN_PEN)
        self.median_line.setVisible(False)
        self.plot_item.addItem(self.median_line)
        legend = self.make_legend()
        legend.addItem(pg.PlotDataItem(pen=MEDIAN_PEN), "median")
        legend.addItem(pg.BarGraphItem(x=[0], height=[0], width=[0], brush=MIDDLE_BRUSH), "middle half")
        edges = [a for a, _ in self.ranges] + [float(hi)]
        self.plot_item.getAxis("bottom").setTicks([[(e, number_text(e)) for e in edges]])
        self.unit = KIND.unit(poll)
        if self.unit:
            self.set_axis_label("bottom", self.unit)
        self.set_axis_label("left", "answers")
        pad = 0.02 * (hi - lo)
        self.plot_item.setXRange(lo - pad, hi + pad, padding=0)
        self.counts = [0.0] * len(self.xs)

    def update_data(self, poll: Poll, tally: Tally) -> None:
        counts = tally.counts if len(tally.counts) == len(self.xs) else [0.0] * len(self.xs)
        self.bars.setOpts(height=counts)
        for label, x, c in zip(self.count_labels, self.xs, counts, strict=True):
            label.setText(f"{c:g}" if c else "")
            label.setPos(x, c)
        median, q1, q3 = tally.median, tally.stats.get("q1"), tally.stats.get("q3")
        unit = f" {tally.unit}" if tally.unit else ""
        self.median_line.setVisible(median is not None)
        if median is not None:
            self.median_line.setValue(median)
        self.middle.setVisible(q1 is not None and q3 is not None)
        if q1 is not None and q3 is not None:
            self.middle.setRegion((q1, q3))
        names = self.legend.items
        set_key(names[0][1], f"median {number_text(median)}{unit}" if median is not None else "median")
        set_key(names[1][1], f"middle half {number_text(q1)}–{number_text(q3)}"
                if q1 is not None and q3 is not None else "middle half")
        self.counts = list(counts)

    def fit_range(self) -> None:
        vb = self.plot_item.getViewBox()
        top = max(self.counts, default=0) or 1
        end = _pad_for(self.counts, [self.label_px(lb)[1] for lb in self.count_labels], vb.height(), top * 1.05)
        self.plot_item.setYRange(0, end, padding=0)

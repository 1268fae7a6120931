"""Diverging bars: each statement's agreement, disagree to the left, agree to the right."""

from __future__ import annotations

import pyqtgraph as pg

from vbp_workshop.core.model.poll import AGREEMENT_LABELS, Poll
from vbp_workshop.core.model.tally import Tally
from vbp_workshop.ui.polls.charts.base import (
    AGREE_COLOURS,
    MUTED,
    PollChart,
    _pad_for,
)


class DivergingChart(PollChart):
    """Agreement: a diverging stacked bar per statement, neutral centred on zero."""

    def build(self, poll: Poll) -> None:
        n = len(poll.options)
        self.ys = list(range(n))[::-1]
        self.segments = []
        legend = self.make_legend()
        for level in range(5):
            item = pg.BarGraphItem(x0=[0] * n, y=self.ys, height=0.6, width=[0] * n,
                                   brush=AGREE_COLOURS[level], pen=pg.mkPen("w", width=1),
                                   name=AGREEMENT_LABELS[level])
            self.plot_item.addItem(item)
            self.segments.append(item)
            legend.addItem(item, AGREEMENT_LABELS[level])
        self.share = [self.text_item(anchor=(0, 0.5)) for _ in range(n)]
        self.wrapped = ("left", list(zip(self.ys, poll.options, strict=True)))
        self.plot_item.addItem(pg.InfiniteLine(pos=0, angle=90, pen=pg.mkPen(MUTED)))
        self.set_axis_label("bottom", "% of answers (disagree ← → agree)")
        # Shares of answers on each side of zero: 0–100 both ways, never past 100 (the range is
        # padded beyond it only to leave room for the "% agree" labels).
        self.plot_item.getAxis("bottom").setTicks(
            [[(v, str(abs(v))) for v in (-100, -50, 0, 50, 100)], [(v, "") for v in (-75, -25, 25, 75)]])
        self.plot_item.setYRange(-0.6, n - 0.4, padding=0)
        self.ends = [0.0] * n

    def update_data(self, poll: Poll, tally: Tally) -> None:
        n = len(poll.options)
        rows = tally.distribution or [[0.0] * 5 for _ in range(n)]
        pct = [[100 * c / sum(r) if sum(r) else 0 for c in r] for r in rows]
        # Left edge: disagree + strongly disagree + half of neutral lie left of zero.
        starts = [-(p[0] + p[1] + p[2] / 2) for p in pct]
        for level, item in enumerate(self.segments):
            x0 = [s + sum(p[:level]) for s, p in zip(starts, pct, strict=True)]
            item.setOpts(x0=x0, width=[p[level] for p in pct])
        self.ends = []
        for i, label in enumerate(self.share):
            share, mean = tally.share_agreeing[i] if tally.share_agreeing else None, \
                tally.means[i] if tally.means else None
            if share is None:
                label.setText("")
            else:  # the projector has room for the share only; the window shows the mean too
                label.setText(f" {share:.0f}% agree" if self.large else f" {share:.0f}% agree · mean {mean:.1f}")
            end = starts[i] + sum(pct[i])
            label.setPos(end, self.ys[i])
            self.ends.append(end)

    def fit_range(self) -> None:
        vb = self.plot_item.getViewBox()
        # The label's room is measured from the view's left edge at -105: shift values by 105.
        shifted = [e + 105 for e in self.ends]
        end = _pad_for(shifted, [self.label_px(lb)[0] for lb in self.share], vb.width(), 210)
        self.plot_item.setXRange(-105, end - 105, padding=0)

"""Live charts, one per poll kind. Each is fed a Tally and updates its items in place.

A chart never reaches into the window or the file: `set_tally` is its only input (Orange's
BarPlotGraph pattern). Items are made once per shape (number of options) and then only
their data change, so a burst of votes costs a few setOpts calls, not a new scene.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from vbp_workshop.core.polls import AGREEMENT_LABELS, Poll
from vbp_workshop.core.tally import Tally

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
AGREE_COLOURS = ["#b2182b", "#ef8a62", "#bdbdbd", "#67a9cf", "#2166ac"]
INK = "#1a1a1a"
MUTED = "#666666"

pg.setConfigOptions(antialias=True, background="w", foreground=INK)


def _short(text: str, n: int = 38) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


class PollChart(pg.PlotWidget):
    """Base: a plot with large-type option for the projector."""

    def __init__(self, large: bool = False, parent: Any = None) -> None:
        super().__init__(parent=parent)
        self.large = large
        self.setObjectName("poll_chart")
        self.setMenuEnabled(False)
        self.setMouseEnabled(False, False)
        self.hideButtons()
        self.plot_item = self.getPlotItem()
        size = 16 if large else 9
        self.font = QFont()
        self.font.setPointSize(size)
        for side in ("left", "bottom"):
            axis = self.plot_item.getAxis(side)
            axis.setStyle(tickFont=self.font)
            axis.setTextPen(INK)
            axis.setPen(MUTED)
        self._shape: tuple[Any, ...] = ()
        self.updates = 0  # how many times data reached the chart (for tests and benchmarks)
        self.last_respondents = 0

    def text_item(self, text: str = "", anchor: tuple[float, float] = (0, 0.5),
                  colour: str = INK) -> pg.TextItem:
        item = pg.TextItem(text, color=colour, anchor=anchor)
        item.setFont(self.font)
        self.plot_item.addItem(item)
        return item

    def set_tally(self, poll: Poll, tally: Tally) -> None:
        shape = (poll.kind, tuple(poll.options), poll.scale_range)
        if shape != self._shape:
            self.plot_item.clear()
            self._shape = shape
            self.build(poll)
        self.update_data(poll, tally)
        self.updates += 1
        self.last_respondents = tally.respondents

    def build(self, poll: Poll) -> None:
        raise NotImplementedError

    def update_data(self, poll: Poll, tally: Tally) -> None:
        raise NotImplementedError


class BarsChart(PollChart):
    """Horizontal bars per option: counts with percentages, points, or Borda scores."""

    def build(self, poll: Poll) -> None:
        n = len(poll.options)
        self.ys = list(range(n))[::-1]
        self.bars = pg.BarGraphItem(x0=[0] * n, y=self.ys, height=0.6, width=[0] * n,
                                    brushes=[PALETTE[i % len(PALETTE)] for i in range(n)], pen=None)
        self.plot_item.addItem(self.bars)
        self.labels = [self.text_item(anchor=(0, 0.5)) for _ in range(n)]
        left = self.plot_item.getAxis("left")
        left.setTicks([[(y, _short(o)) for y, o in zip(self.ys, poll.options, strict=True)]])
        self.plot_item.getAxis("bottom").setLabel(
            {"points": "points", "ranking": "Borda score"}.get(poll.kind, "answers"))
        self.plot_item.setYRange(-0.6, n - 0.4, padding=0)

    def update_data(self, poll: Poll, tally: Tally) -> None:
        values = tally.counts or [0.0] * len(poll.options)
        self.bars.setOpts(width=values)
        top = max(values) if values and max(values) > 0 else 1
        for i, (label, y, v) in enumerate(zip(self.labels, self.ys, values, strict=True)):
            if poll.kind in ("single", "multiple"):
                pct = tally.percents[i] if tally.percents else 0
                label.setText(f" {v:g} ({pct:.0f}%)")
            else:
                label.setText(f" {v:g}")
            label.setPos(v, y)
        self.plot_item.setXRange(0, top * 1.25, padding=0)


class HistogramChart(PollChart):
    """Scale and fist-to-five: a bar per value, with mean and median marks (and the 3 line)."""

    def build(self, poll: Poll) -> None:
        lo, hi = poll.scale_range
        self.xs = list(range(lo, hi + 1))
        brushes = [("#c0262d" if poll.kind == "fist" and x < 3 else PALETTE[0]) for x in self.xs]
        self.bars = pg.BarGraphItem(x=self.xs, height=[0] * len(self.xs), width=0.7,
                                    brushes=brushes, pen=None)
        self.plot_item.addItem(self.bars)
        self.count_labels = [self.text_item(anchor=(0.5, 1)) for _ in self.xs]
        pen_mean = pg.mkPen("#D55E00", width=3)
        pen_median = pg.mkPen("#009E73", width=3, style=Qt.PenStyle.DashLine)
        self.mean_line = pg.InfiniteLine(angle=90, pen=pen_mean, label="mean",
                                         labelOpts={"position": 0.95, "color": "#D55E00"})
        self.median_line = pg.InfiniteLine(angle=90, pen=pen_median, label="median",
                                           labelOpts={"position": 0.85, "color": "#009E73"})
        for line in (self.mean_line, self.median_line):
            line.setVisible(False)
            self.plot_item.addItem(line)
        if poll.kind == "fist":
            self.plot_item.addItem(pg.InfiniteLine(pos=2.5, angle=90, pen=pg.mkPen(MUTED, width=2,
                                   style=Qt.PenStyle.DotLine), label="consent ≥ 3",
                                   labelOpts={"position": 0.7, "color": MUTED}))
        self.verdict = self.text_item(anchor=(0, 0))
        self.plot_item.getAxis("bottom").setTicks([[(x, str(x)) for x in self.xs]])
        self.plot_item.setXRange(lo - 0.6, hi + 0.6, padding=0)

    def update_data(self, poll: Poll, tally: Tally) -> None:
        counts = tally.counts or [0.0] * len(self.xs)
        self.bars.setOpts(height=counts)
        top = max(counts) if max(counts, default=0) > 0 else 1
        for label, x, c in zip(self.count_labels, self.xs, counts, strict=True):
            label.setText(f"{c:g}" if c else "")
            label.setPos(x, c + top * 0.12)
        for line, value in ((self.mean_line, tally.mean), (self.median_line, tally.median)):
            line.setVisible(value is not None)
            if value is not None:
                line.setValue(value)
        self.plot_item.setYRange(0, top * 1.35, padding=0)
        text = ""
        if poll.kind == "fist" and tally.respondents:
            text = "Consensus" if tally.consensus else f"No consensus — {tally.below_three} below 3"
        self.verdict.setText(text)
        self.verdict.setColor("#1b7f3b" if tally.consensus else "#c0262d")
        self.verdict.setPos(poll.scale_range[0] - 0.5, top * 1.33)


class DivergingChart(PollChart):
    """Agreement: a diverging stacked bar per statement, neutral centred on zero."""

    def build(self, poll: Poll) -> None:
        n = len(poll.options)
        self.ys = list(range(n))[::-1]
        self.segments = []
        for level in range(5):
            item = pg.BarGraphItem(x0=[0] * n, y=self.ys, height=0.6, width=[0] * n,
                                   brush=AGREE_COLOURS[level], pen=pg.mkPen("w", width=1),
                                   name=AGREEMENT_LABELS[level])
            self.plot_item.addItem(item)
            self.segments.append(item)
        self.share = [self.text_item(anchor=(0, 0.5)) for _ in range(n)]
        self.plot_item.getAxis("left").setTicks([[(y, _short(o)) for y, o in zip(self.ys, poll.options, strict=True)]])
        self.plot_item.addItem(pg.InfiniteLine(pos=0, angle=90, pen=pg.mkPen(MUTED)))
        self.plot_item.getAxis("bottom").setLabel("% of answers (disagree ← → agree)")
        legend = self.plot_item.addLegend(offset=(-10, 5), labelTextColor=INK, colCount=5)
        for item in self.segments:
            legend.addItem(item, item.opts["name"])
        self.plot_item.setYRange(-0.6, n + 0.6, padding=0)
        self.plot_item.setXRange(-105, 125 if self.large else 160, padding=0)

    def update_data(self, poll: Poll, tally: Tally) -> None:
        n = len(poll.options)
        rows = tally.distribution or [[0.0] * 5 for _ in range(n)]
        pct = [[100 * c / sum(r) if sum(r) else 0 for c in r] for r in rows]
        # Left edge: disagree + strongly disagree + half of neutral lie left of zero.
        starts = [-(p[0] + p[1] + p[2] / 2) for p in pct]
        for level, item in enumerate(self.segments):
            x0 = [s + sum(p[:level]) for s, p in zip(starts, pct, strict=True)]
            item.setOpts(x0=x0, width=[p[level] for p in pct])
        for i, label in enumerate(self.share):
            share, mean = tally.share_agreeing[i] if tally.share_agreeing else None, \
                tally.means[i] if tally.means else None
            if share is None:
                label.setText("")
            else:  # the projector has room for the share only; the window shows the mean too
                label.setText(f" {share:.0f}%" if self.large else f" {share:.0f}% agree · mean {mean:.1f}")
            label.setPos(starts[i] + sum(pct[i]), self.ys[i])


class ScatterChart(PollChart):
    """2×2 and importance vs satisfaction: items at their mean, with spread and quadrants."""

    def build(self, poll: Poll) -> None:
        lo, hi = poll.scale_range
        mid = (lo + hi) / 2
        n = len(poll.options)
        importance = poll.kind == "importance"
        x_label = "Importance" if importance else poll.settings.get("x_label", "Effort")
        y_label = "Satisfaction" if importance else poll.settings.get("y_label", "Impact")
        for pos, angle in ((mid, 90), (mid, 0)):
            self.plot_item.addItem(pg.InfiniteLine(pos=pos, angle=angle, pen=pg.mkPen(MUTED, width=1.5)))
        quadrants = (["Concentrate here", "Keep up the good work", "Low priority", "Possible overkill"]
                     if importance else ["Quick wins", "Major projects", "Fill-ins", "Thankless tasks"])
        # importance: x = importance, y = satisfaction; high importance + low satisfaction = work.
        corners = ([(hi, lo, (1, 1)), (hi, hi, (1, 0)), (lo, lo, (0, 1)), (lo, hi, (0, 0))] if importance
                   else [(lo, hi, (0, 0)), (hi, hi, (1, 0)), (lo, lo, (0, 1)), (hi, lo, (1, 1))])
        for text, (x, y, anchor) in zip(quadrants, corners, strict=True):
            t = self.text_item(text, anchor=anchor, colour="#8a8a8a")
            t.setPos(x, y)
        self.errors = pg.ErrorBarItem(x=np.full(n, mid), y=np.full(n, mid), width=np.zeros(n),
                                      height=np.zeros(n), pen=pg.mkPen("#9bbbd4", width=2))
        self.plot_item.addItem(self.errors)
        # Items cluster (everyone rates trust as important), so names would collide: each dot
        # carries its number, and a legend in the usually empty quadrant names it.
        self.legend = pg.LegendItem(offset=(10, 10) if importance else (-10, -10),
                                    labelTextColor=INK, labelTextSize=f"{self.font.pointSize()}pt")
        self.legend.setParentItem(self.plot_item.getViewBox())
        self.legend.setBrush(pg.mkBrush(255, 255, 255, 220))
        self.dots = []
        for i in range(n):
            dot = pg.ScatterPlotItem(size=26 if self.large else 18, pen=pg.mkPen("w", width=1.5),
                                     brush=pg.mkBrush(PALETTE[i % len(PALETTE)]))
            self.plot_item.addItem(dot)
            self.dots.append(dot)
        self.numbers = [self.text_item(str(i + 1), anchor=(0.5, 0.5), colour="#ffffff") for i in range(n)]
        self.plot_item.getAxis("bottom").setLabel(x_label)
        self.plot_item.getAxis("left").setLabel(y_label)
        self.plot_item.setXRange(lo - 0.3, hi + 0.3, padding=0)
        self.plot_item.setYRange(lo - 0.3, hi + 0.3, padding=0)

    def update_data(self, poll: Poll, tally: Tally) -> None:
        xs, ys, spread = [], [], []
        self.legend.clear()
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
            self.legend.addItem(dot, f"{i + 1}  {_short(poll.options[i], 34)}{gap}")
            xs.append(p[0])
            ys.append(p[1])
            spread.append(2 * (tally.spreads[i] or 0) if tally.spreads else 0)
        if poll.kind == "matrix" and xs:
            w = np.asarray(spread, dtype=float)
            self.errors.setData(x=np.asarray(xs), y=np.asarray(ys), width=w, height=w)
            self.errors.setVisible(True)
        else:
            self.errors.setVisible(False)


class WordsChart(PollChart):
    """Open text: how often each word comes up (the answers themselves are listed beside)."""

    TOP = 10

    def build(self, poll: Poll) -> None:
        self.ys = list(range(self.TOP))[::-1]
        self.bars = pg.BarGraphItem(x0=[0] * self.TOP, y=self.ys, height=0.6, width=[0] * self.TOP,
                                    brush=PALETTE[2], pen=None)
        self.plot_item.addItem(self.bars)
        self.plot_item.getAxis("bottom").setLabel("mentions")
        self.plot_item.setYRange(-0.6, self.TOP - 0.4, padding=0)

    def update_data(self, poll: Poll, tally: Tally) -> None:
        words = (tally.words + [("", 0)] * self.TOP)[: self.TOP]
        self.bars.setOpts(width=[c for _, c in words])
        self.plot_item.getAxis("left").setTicks([[(y, w) for y, (w, _) in zip(self.ys, words, strict=True)]])
        top = max((c for _, c in words), default=0) or 1
        self.plot_item.setXRange(0, top * 1.15, padding=0)


class GroupChart(PollChart):
    """Groups (or rounds) side by side: a bar per group per item, on the kind's headline measure.

    Rebuilt only when the items or the groups change; otherwise the bars' widths and the legend's
    counts are updated in place, like the other charts.
    """

    def __init__(self, large: bool = False, parent: Any = None) -> None:
        super().__init__(large, parent)
        self.legend: Any = None
        self._bars: dict[str, Any] = {}
        self._names: dict[str, Any] = {}

    def set_groups(self, poll: Poll, tallies: dict[str, Tally], labels: dict[str, str]) -> None:
        groups = sorted(tallies)
        items = list(poll.options) if poll.options else [poll.question]
        shape = ("groups", poll.kind, tuple(items), tuple(groups))
        if shape != self._shape:
            self._build(poll, items, groups)
            self._shape = shape
        for group in groups:
            t = tallies[group]
            self._bars[group].setOpts(width=group_measure(poll, t))
            self._names[group].setText(f"{labels.get(group, group)} (n={t.respondents})")
        self.updates += 1

    def _build(self, poll: Poll, items: list[str], groups: list[str]) -> None:
        self.plot_item.clear()
        if self.legend is not None and self.legend.scene():
            self.legend.scene().removeItem(self.legend)
        self.legend = self.plot_item.addLegend(offset=(-10, 5), labelTextColor=INK)
        self._bars, self._names = {}, {}
        n, k = len(items), max(1, len(groups))
        height = 0.8 / k
        for g_i, group in enumerate(groups):
            ys = [n - 1 - i + 0.4 - height * (g_i + 0.5) for i in range(n)]
            bar = pg.BarGraphItem(x0=[0] * n, y=ys, height=height * 0.9, width=[0] * n,
                                  brush=PALETTE[g_i % len(PALETTE)], pen=None)
            self.plot_item.addItem(bar)
            self.legend.addItem(bar, group)
            self._bars[group] = bar
            self._names[group] = self.legend.items[-1][1]
        measure = "mean" if poll.kind in ("agreement", "scale", "fist") else "%"
        if poll.kind == "importance":
            measure = "gap (importance − satisfaction)"
        self.plot_item.getAxis("left").setTicks([[(n - 1 - i, _short(o)) for i, o in enumerate(items)]])
        self.plot_item.getAxis("bottom").setLabel(measure)


def group_measure(poll: Poll, t: Tally) -> list[float]:
    if poll.kind in ("single", "multiple", "points"):
        return list(t.percents)
    if poll.kind == "agreement":
        return [m or 0.0 for m in t.means]
    if poll.kind in ("scale", "fist"):
        return [t.mean or 0.0]
    if poll.kind == "ranking":
        top = max(t.counts) if t.counts and max(t.counts) else 1
        return [100 * c / top for c in t.counts]
    if poll.kind == "importance":
        return [m or 0.0 for m in t.means]
    if poll.kind == "matrix":
        return [p[1] if p else 0.0 for p in t.points]
    return []


CHARTS: dict[str, type[PollChart]] = {
    "single": BarsChart, "multiple": BarsChart, "points": BarsChart, "ranking": BarsChart,
    "scale": HistogramChart, "fist": HistogramChart, "agreement": DivergingChart,
    "matrix": ScatterChart, "importance": ScatterChart, "text": WordsChart,
}


def chart_for(kind: str, large: bool = False) -> PollChart:
    return CHARTS[kind](large=large)

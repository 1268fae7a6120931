"""Live charts, one per poll kind. Each is fed a Tally and updates its items in place.

A chart never reaches into the window or the file: `set_tally` is its only input (Orange's
BarPlotGraph pattern). Items are made once per shape (number of options) and then only
their data change, so a burst of votes costs a few setOpts calls, not a new scene.

What the back row needs is kept by construction, not by luck: a legend sits in a band reserved
above the plot (never over the data), value labels get room by padding the view range by their
measured width, count axes tick in whole numbers, and long item names wrap.
"""

from __future__ import annotations

import math
import textwrap
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QFontMetrics

from vbp_workshop.core.polls import AGREEMENT_LABELS, Poll
from vbp_workshop.core.tally import Tally

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
AGREE_COLOURS = ["#b2182b", "#ef8a62", "#bdbdbd", "#67a9cf", "#2166ac"]
INK = "#1a1a1a"
MUTED = "#555555"

pg.setConfigOptions(antialias=True, background="w", foreground=INK)


def _short(text: str, n: int = 38) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def wrap(text: str, width: int, lines: int) -> str:
    """`text` in at most `lines` lines of about `width` characters; the last one ends in "…" if cut."""
    out = textwrap.wrap(text, max(8, width)) or [""]
    if len(out) > lines:
        out = out[:lines]
        out[-1] = _short(out[-1] + " …", max(8, width))
    return "\n".join(out)


def shorten(text: str, fm: QFontMetrics, px: int) -> str:
    """`text` in `px`, cut at the end of the name: a trailing "(n=4)" or "(gap +2.1)" stays whole."""
    head, sep, tail = text.rpartition(" (")
    if not sep or fm.horizontalAdvance(sep + tail) > px // 2:
        return fm.elidedText(text, Qt.TextElideMode.ElideRight, px)
    return fm.elidedText(head, Qt.TextElideMode.ElideRight, px - fm.horizontalAdvance(sep + tail)) + sep + tail


class KeySample(pg.ItemSample):
    """A legend's colour sample that grows with the chart's type (pyqtgraph's is 20 px always)."""

    size = 20.0

    def __init__(self, item: Any) -> None:
        super().__init__(item)
        self.setFixedWidth(self.size)
        self.setFixedHeight(self.size)

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, self.size, self.size)

    def paint(self, p: Any, *args: Any) -> None:
        p.scale(self.size / 20, self.size / 20)
        super().paint(p, *args)


def set_key(label: Any, text: str) -> None:
    """A legend entry's new name (kept whole, so a narrow chart can shorten it for display)."""
    if getattr(label, "full", None) == text:
        return  # unchanged: keep what is shown, shortened or not
    label.full = text
    label.setText(text)


class CountAxis(pg.AxisItem):
    """An axis of counts: ticks at whole numbers only (there is no half a vote)."""

    def tickSpacing(self, lo: float, hi: float, size: float) -> list[tuple[float, float]]:
        levels = super().tickSpacing(lo, hi, size)
        whole = [(float(s), float(o)) for s, o in levels if s >= 1]
        return whole or [(1.0, 0.0)]


class PollChart(pg.PlotWidget):
    """Base: a plot with large-type option for the projector, a legend band and label room."""

    COUNT_AXIS: str | None = None  # the side whose axis counts answers

    def __init__(self, large: bool = False, parent: Any = None) -> None:
        axes = {self.COUNT_AXIS: CountAxis(self.COUNT_AXIS)} if self.COUNT_AXIS else None
        super().__init__(parent=parent, axisItems=axes)
        self.large = large
        self.setObjectName("poll_chart")
        self.setMenuEnabled(False)
        self.setMouseEnabled(False, False)
        self.hideButtons()
        self.plot_item = self.getPlotItem()
        self.font = QFont()
        self.text_px = 17 if large else 12
        self.font.setPixelSize(self.text_px)
        self._style_axes()
        self.legend: Any = None
        self.value_labels: list[pg.TextItem] = []  # labels that must stay inside the view
        self.wrapped: tuple[str, list[tuple[float, str]]] | None = None  # axis, (position, name)
        self._shape: tuple[Any, ...] = ()
        self._last: tuple[Any, ...] | None = None
        self._fitting = False
        self._ticks: list[Any] = []
        self._legend_key: tuple[Any, ...] = ()
        self.updates = 0  # how many times data reached the chart (for tests and benchmarks)
        self.last_respondents = 0
        self.plot_item.getViewBox().sigResized.connect(self.fit)

    # -- text size ---------------------------------------------------------------------------------

    def _style_axes(self) -> None:
        for side in ("left", "bottom"):
            axis = self.plot_item.getAxis(side)
            axis.setStyle(tickFont=self.font)
            axis.setTextPen(INK)
            axis.setPen(MUTED)
            if axis.labelText:
                axis.setLabel(axis.labelText, **self._label_style())

    def _label_style(self) -> dict[str, str]:
        return {"color": INK, "font-size": f"{round(self.text_px * 0.85)}px"}

    def set_text_px(self, px: int) -> None:
        """Grow or shrink every text of the chart (the projector follows its window's size)."""
        px = max(8, px)
        if px == self.text_px:
            return
        self.text_px = px
        self.font.setPixelSize(px)
        self._style_axes()
        self._shape = ()  # items carry their font: rebuilt on the next data
        if self._last is not None:
            self.redraw()

    def redraw(self) -> None:
        assert self._last is not None
        self.set_tally(*self._last)

    def set_axis_label(self, side: str, text: str) -> None:
        self.plot_item.getAxis(side).setLabel(text, **self._label_style())

    # -- items ---------------------------------------------------------------------------------

    def text_item(self, text: str = "", anchor: tuple[float, float] = (0, 0.5),
                  colour: str = INK, value: bool = True) -> pg.TextItem:
        item = pg.TextItem(text, color=colour, anchor=anchor)
        item.textItem.document().setDocumentMargin(1)  # its box is its text: labels pack closer
        item.setFont(self.font)
        item.setZValue(20)
        self.plot_item.addItem(item)
        if value:
            self.value_labels.append(item)
        return item

    def make_legend(self) -> Any:
        """A legend in a band above the plot: it can never cover the data."""
        self.drop_legend()
        self._legend_key = ()
        sample = type("KeySample", (KeySample,), {"size": float(round(self.text_px * 1.15))})
        legend = pg.LegendItem(labelTextColor=INK, labelTextSize=f"{self.text_px}px",
                               horSpacing=round(self.text_px * 1.2), verSpacing=0, sampleType=sample)
        legend.setParentItem(self.plot_item)
        self.legend = legend
        return legend

    def drop_legend(self) -> None:
        if self.legend is not None:
            scene = self.legend.scene()
            if scene is not None:
                scene.removeItem(self.legend)
            self.legend = None
        self.plot_item.layout.setContentsMargins(1, 1, 1, 1)

    def set_tally(self, poll: Poll, tally: Tally) -> None:
        shape = (poll.kind, tuple(poll.options), poll.scale_range)
        if shape != self._shape:
            self.plot_item.clear()
            self.value_labels = []
            self.wrapped = None
            self._ticks, self._legend_key = [], ()
            self.drop_legend()
            self._shape = shape
            self.build(poll)
        self._last = (poll, tally)
        self.update_data(poll, tally)
        self.updates += 1
        self.last_respondents = tally.respondents
        self.fit()

    def build(self, poll: Poll) -> None:
        raise NotImplementedError

    def update_data(self, poll: Poll, tally: Tally) -> None:
        raise NotImplementedError

    # -- fitting -------------------------------------------------------------------------------

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self.fit()

    def fit(self, *_args: Any) -> None:
        """Lay out what depends on pixels: wrapped names, the legend band, room for labels."""
        # Not while pyqtgraph is still constructing (no _fitting yet) nor once closed (no plotItem).
        if getattr(self, "_fitting", True) or getattr(self, "plotItem", None) is None:
            return
        self._fitting = True
        try:
            if self._shape:  # built: there is something to lay out
                self._fit_names()
                self._fit_legend()
                self.fit_range()
        finally:
            self._fitting = False

    def _fit_names(self) -> None:
        if self.wrapped is None:
            return
        side, names = self.wrapped
        fm = QFontMetrics(self.font)
        vb = self.plot_item.getViewBox()
        rows = max(1, len(names))
        row_px = max(1.0, vb.height()) / (rows + 0.4)
        lines = max(1, min(4, int(row_px // fm.lineSpacing())))
        # Names take up to ~45 % of the chart's width; more lines when the rows are tall enough.
        chars = max(12, int(0.45 * self.width() / max(1, fm.averageCharWidth())))
        ticks = [[(pos, wrap(name, chars, lines)) for pos, name in names]]
        if ticks != self._ticks:  # new ticks re-lay the axis out: only when they change
            self._ticks = ticks
            self.plot_item.getAxis(side).setTicks(ticks)

    def _fit_legend(self) -> None:
        legend = self.legend
        if legend is None:
            return
        left = self.plot_item.getAxis("left")
        x0 = left.width() if left.isVisible() else 0
        # The band spans the chart's whole width (above the axis too): the legend may use it all.
        room = max(50.0, self.plot_item.width() - 4)
        items = legend.items
        # Laid out again only when a name or the space changed: most votes change neither.
        key = (tuple(getattr(label, "full", label.text) for _s, label in items), room, self.height())
        if items and key != self._legend_key:
            self._legend_key = key
            for _sample, label in items:  # back to the whole names before measuring
                full = label.__dict__.setdefault("full", label.text)
                if label.text != full:
                    label.setText(full)
            # As many columns as fit: start with all in one row, drop one until the legend fits.
            columns = len(items)
            if legend.columnCount != columns:
                legend.setColumnCount(columns)
            legend.updateSize()
            while columns > 1 and legend.width() > room:
                columns -= 1
                legend.setColumnCount(columns)
                legend.updateSize()
            if legend.width() > room:  # one column and still too wide: the names give way
                self._shorten_keys(columns, room)
            # A legend taller than ~45 % of the chart leaves too little for the data: more
            # columns, with names shortened at their end (a trailing count or gap stays).
            while legend.height() > 0.45 * self.height() and columns < len(legend.items):
                columns += 1
                self._shorten_keys(columns, room)
        # In line with the plot when it fits there, else moved left as far as it needs.
        legend.setPos(max(0.0, min(x0, self.plot_item.width() - legend.width() - 2)), 2)
        band = legend.height() + 6 if items else 1
        if abs(self.plot_item.layout.getContentsMargins()[1] - band) > 0.5:
            self.plot_item.layout.setContentsMargins(1, band, 1, 1)

    def _shorten_keys(self, columns: int, room: float) -> None:
        """Lay the legend out in `columns`, each name shortened to its share of `room`."""
        legend = self.legend
        fm = QFontMetrics(self.font)
        fulls = [(sample.item, label.full, sample.width()) for sample, label in legend.items]
        gap = legend.layout.horizontalSpacing() + 12
        for slack in (1.0, 0.9, 0.8, 0.7, 0.6):  # the rendered label runs a little wider than measured
            # Added afresh: a label keeps its old width in the legend's layout when it shrinks.
            legend.clear()
            legend.setColumnCount(columns)
            for item, full, sample_px in fulls:
                space = int(slack * (room / columns - sample_px - gap))
                legend.addItem(item, shorten(full, fm, max(20, space)))
                legend.items[-1][1].full = full
            legend.updateSize()
            if legend.width() <= room:
                break
        self.legend_rebuilt()

    def legend_rebuilt(self) -> None:
        """The legend's labels are new objects: charts that keep them look them up again."""

    def fit_range(self) -> None:
        """Subclasses pad their view range here so their value labels stay inside it."""

    def label_px(self, label: pg.TextItem) -> tuple[float, float]:
        rect = label.textItem.boundingRect()
        return rect.width(), rect.height()


def _pad_for(values: list[float], sizes: list[float], view_px: float, floor: float) -> float:
    """The range end that leaves each label (px beyond its value) inside a view of view_px."""
    end = floor
    for v, px in zip(values, sizes, strict=True):
        room = 1 - (px + 8) / max(view_px, 1.0)
        end = max(end, v / room if room > 0.15 else v / 0.15)
    return end


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


class HistogramChart(PollChart):
    """Scale and fist-to-five: a bar per value, with mean and median marks (and the 3 line)."""

    COUNT_AXIS = "left"

    def build(self, poll: Poll) -> None:
        lo, hi = poll.scale_range
        self.xs = list(range(lo, hi + 1))
        brushes = [("#c0262d" if poll.kind == "fist" and x < 3 else PALETTE[0]) for x in self.xs]
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
        if poll.kind == "matrix" and xs:
            w = np.asarray(spread, dtype=float)
            self.errors.setData(x=np.asarray(xs), y=np.asarray(ys), width=w, height=w)
            self.errors.setVisible(True)
        else:
            self.errors.setVisible(False)


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


class GroupChart(PollChart):
    """Groups (or rounds) side by side: a bar per group per item, on the kind's headline measure.

    Rebuilt only when the items or the groups change; otherwise the bars' widths and the legend's
    counts are updated in place, like the other charts. Groups are drawn in the order given.
    """

    def __init__(self, large: bool = False, parent: Any = None) -> None:
        super().__init__(large, parent)
        self._bars: dict[str, Any] = {}
        self._names: dict[str, Any] = {}
        self._values: dict[str, list[pg.TextItem]] = {}  # value labels per group
        self._ys: dict[str, list[float]] = {}
        self.values: list[float] = []
        self.measure = "%"

    def set_groups(self, poll: Poll, tallies: dict[str, Tally], labels: dict[str, str]) -> None:
        groups = list(tallies)
        items = list(poll.options) if poll.options else [poll.question]
        shape = ("groups", poll.kind, tuple(items), tuple(groups))
        if shape != self._shape:
            self._build(poll, items, groups)
            self._shape = shape
        self._last = (poll, tallies, labels)
        values = []
        fmt = "{:.0f}%" if self.measure == "%" else "{:+.1f}" if self.measure.startswith("gap") else "{:.1f}"
        for group in groups:
            t = tallies[group]
            measure = group_measure(poll, t)
            values += measure
            self._bars[group].setOpts(width=measure)
            set_key(self._names[group], f"{labels.get(group, group)} (n={t.respondents})")
            for label, y, v in zip(self._values[group], self._ys[group], measure, strict=False):
                label.setText(" " + fmt.format(v) if t.respondents else "")
                label.setPos(max(v, 0.0), y)
        self.values = values
        self.updates += 1
        self.fit()

    def redraw(self) -> None:
        assert self._last is not None
        self.set_groups(*self._last)

    def _size_value_labels(self, view_px: float) -> None:
        """Value labels no taller than their bar: smaller type when bars are thin, none if too thin."""
        rows = len(next(iter(self._ys.values()), [])) or 1
        pitch = view_px / rows * 0.8 / max(1, len(self._values))  # the view spans `rows` units
        px = min(self.text_px, int(pitch / 1.3))
        readable = px >= max(9, round(0.6 * self.text_px))  # smaller would be noise from the back
        for labels in self._values.values():
            for label in labels:
                label.setVisible(readable)
                if readable and label.textItem.font().pixelSize() != px:
                    font = QFont(self.font)
                    font.setPixelSize(px)
                    label.setFont(font)

    def legend_rebuilt(self) -> None:
        self._names = {group: label for group, (_sample, label) in zip(self._names, self.legend.items, strict=True)}

    def _build(self, poll: Poll, items: list[str], groups: list[str]) -> None:
        self.plot_item.clear()
        self.value_labels = []
        self._ticks = []
        legend = self.make_legend()
        self._bars, self._names, self._values, self._ys = {}, {}, {}, {}
        n, k = len(items), max(1, len(groups))
        height = 0.8 / k
        for g_i, group in enumerate(groups):
            ys = [n - 1 - i + 0.4 - height * (g_i + 0.5) for i in range(n)]
            bar = pg.BarGraphItem(x0=[0] * n, y=ys, height=height * 0.9, width=[0] * n,
                                  brush=PALETTE[g_i % len(PALETTE)], pen=None)
            self.plot_item.addItem(bar)
            legend.addItem(bar, group)
            self._bars[group] = bar
            self._names[group] = legend.items[-1][1]
            self._values[group] = [self.text_item(anchor=(0, 0.5)) for _ in range(n)]
            self._ys[group] = ys
        # What the bars measure, and the axis title: shares run 0-100 %, means over the scale.
        measure = "mean" if poll.kind in ("agreement", "scale", "fist", "matrix") else "%"
        title = "mean" if measure == "mean" else {"points": "% of points", "ranking": "% of the top score"}.get(
            poll.kind, "% of answers")
        if poll.kind == "matrix":
            title = f"mean {str(poll.settings.get('y_label', 'impact')).lower()}"
        if poll.kind == "importance":
            measure = title = "gap (importance − satisfaction)"
        # A scale has one item, the question itself, which is on screen already.
        self.plot_item.showAxis("left", bool(poll.options))
        self.wrapped = ("left", [(n - 1 - i, o) for i, o in enumerate(items)]) if poll.options else None
        self.set_axis_label("bottom", title)
        self.plot_item.setYRange(-0.6, n - 0.4, padding=0)
        self.measure = measure
        self.scale_top = float(poll.scale_range[1])

    def fit_range(self) -> None:
        if not self.values:
            return
        lo = min(0.0, *self.values)
        hi = {"%": 100.0, "mean": self.scale_top}.get(self.measure, max(0.0, *self.values))
        vb = self.plot_item.getViewBox()
        self._size_value_labels(vb.height())
        # Every label must fit right of its bar: the range end grows by the widest label's share.
        values, sizes = [], []
        for group, labels in self._values.items():
            for label, v in zip(labels, self._bars[group].opts["width"], strict=False):
                values.append(float(v) - lo)
                sizes.append(self.label_px(label)[0] if label.isVisible() else 0.0)
        end = _pad_for(values, sizes, vb.width(), (hi - lo) * 1.02 or 1.0)
        self.plot_item.setXRange(lo, lo + end, padding=0)


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

"""The groups side by side on one measure (each kind's profile)."""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg
from PySide6.QtGui import QColor, QFont

from vbp_workshop.core.model.poll import Poll
from vbp_workshop.core.model.tally import Tally
from vbp_workshop.core.polls.spreads import SMALL_N
from vbp_workshop.ui.polls.charts.base import (
    PALETTE,
    PollChart,
    _pad_for,
    set_key,
)


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
        self.few: dict[str, bool] = {}  # groups shaded for having fewer than SMALL_N people
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
        for g_i, group in enumerate(groups):
            t = tallies[group]
            measure = group_measure(poll, t)
            values += measure
            # A group shown (it reached the minimum size) but below SMALL_N is shaded: read with care.
            few = 0 < t.respondents < SMALL_N
            colour = QColor(PALETTE[g_i % len(PALETTE)])
            colour.setAlphaF(0.35 if few else 1.0)
            self._bars[group].setOpts(width=measure, brush=colour)
            self.few[group] = few
            set_key(self._names[group], f"{labels.get(group, group)} (n={t.respondents}"
                    + (", few: read with care)" if few else ")"))
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
        # What the bars measure, and the axis title (the kind's): shares run 0-100 %, means over
        # the scale, a gap as far as it goes.
        kind = poll.plugin
        title = kind.group_axis_title(poll)
        measure = "%" if kind.group_shares else title if kind.group_signed else "mean"
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
    """One group's bars: the kind's group values, shares as percentages."""
    kind = poll.plugin
    if not kind.splits_by_group:
        return []
    scale = 100.0 if kind.group_shares else 1.0
    return [scale * (v or 0.0) for v in kind.group_values(t, poll)]

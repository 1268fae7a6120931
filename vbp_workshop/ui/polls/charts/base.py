"""What every poll chart shares: the palette, the key, the count axis, and PollChart."""

from __future__ import annotations

import html
import textwrap
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QFontMetrics

from vbp_workshop.core.model.poll import AGREEMENT_COLOURS, Poll
from vbp_workshop.core.model.tally import Tally

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
AGREE_COLOURS = [c.lower() for c in AGREEMENT_COLOURS]
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


def fit_key(text: str, fm: QFontMetrics, px: int, lines: int = 3) -> str:
    """A legend name in `px`: whole when it fits, else wrapped at words over up to `lines`
    lines (HTML, for pyqtgraph's label), cut at the end only when even those are not enough."""
    if fm.horizontalAdvance(text) <= px:
        return text
    out: list[str] = []
    line = ""
    for word in text.split():
        trial = f"{line} {word}" if line else word
        if fm.horizontalAdvance(trial) <= px or not line:
            line = trial
        else:
            out.append(line)
            line = word
    out.append(line)
    if len(out) > lines:
        out = [*out[: lines - 1], fm.elidedText(" ".join(out[lines - 1:]), Qt.TextElideMode.ElideRight, px)]
    return "<br>".join(html.escape(o, quote=False) for o in out)


def key_text(label: Any) -> str:
    """What a legend entry shows, as plain text (wrapped lines joined by spaces)."""
    return html.unescape(str(label.text).replace("<br>", " "))


def natural(legend: Any) -> Any:
    """The size a legend's entries need as they are laid out now (Qt's size hint of its layout),
    not the size its row in the chart's frame gives it."""
    legend.layout.invalidate()
    return legend.layout.effectiveSizeHint(Qt.SizeHint.PreferredSize)


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
        # The chart's frame: a row for the legend above the plot's row (pyqtgraph's own layout),
        # so a legend takes its height from the plot and can never cover the data.
        self.frame = pg.GraphicsLayout()
        self.frame.setContentsMargins(0, 0, 0, 0)
        self.frame.setSpacing(0)
        self.setCentralItem(self.frame)
        self.frame.addItem(self.plot_item, row=1, col=0)
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
        self.frame.addItem(legend, row=0, col=0)
        self.legend = legend
        return legend

    def drop_legend(self) -> None:
        if self.legend is not None:
            self.frame.removeItem(self.legend)
            scene = self.legend.scene()
            if scene is not None:
                scene.removeItem(self.legend)
            self.legend = None

    def set_tally(self, poll: Poll, tally: Tally) -> None:
        shape = (poll.kind, tuple(poll.options), poll.scale_range)
        if shape != self._shape:
            self.plot_item.clear()
            self.value_labels = []
            self.wrapped = None
            self._ticks, self._legend_key = [], ()
            self.drop_legend()
            self._shape = shape
            fitting, self._fitting = self._fitting, True  # laid out once built and filled (below)
            try:
                self.build(poll)
            finally:
                self._fitting = fitting
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
        vb = self.plot_item.getViewBox()
        rows = max(1, len(names))
        row_px = max(1.0, vb.height()) / (rows + 0.4)
        # The chart's own type first; when a name would be cut at one line, a type up to a fifth
        # smaller that gives it a second line (at 1366 x 768 the split view's names were cut).
        def laid_out(px: int) -> tuple[QFont, list[list[tuple[float, str]]]]:
            font = QFont(self.font)
            font.setPixelSize(px)
            fm = QFontMetrics(font)
            lines = max(1, min(4, int(row_px // fm.lineSpacing())))
            # Names take up to ~45 % of the chart's width; more lines when the rows are tall enough.
            chars = max(12, int(0.45 * self.width() / max(1, fm.averageCharWidth())))
            return font, [[(pos, wrap(name, chars, lines)) for pos, name in names]]

        font, ticks = laid_out(self.text_px)
        for px in range(self.text_px - 1, max(9, round(0.8 * self.text_px)) - 1, -1):
            if not any("…" in t for _p, t in ticks[0]):
                break
            smaller, whole = laid_out(px)
            if not any("…" in t for _p, t in whole[0]):  # smaller only when that makes them whole
                font, ticks = smaller, whole
        axis = self.plot_item.getAxis(side)
        if ticks != self._ticks or axis.style.get("tickFont") != font:  # re-laid out only on a change
            self._ticks = ticks
            axis.setStyle(tickFont=font)
            axis.setTicks(ticks)

    def _fit_legend(self) -> None:
        legend = self.legend
        if legend is None:
            return
        # The band spans the chart's whole width (above the axis too): the legend may use it all.
        room = max(50.0, self.width() - 4.0)
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
            while columns > 1 and natural(legend).width() > room:
                columns -= 1
                legend.setColumnCount(columns)
            if natural(legend).width() > room:  # one column and still too wide: the names give way
                self._shorten_keys(columns, room)
            # A legend taller than ~45 % of the chart leaves too little for the data: more
            # columns, with names shortened at their end (a trailing count or gap stays).
            while natural(legend).height() > 0.45 * self.height() and columns < len(legend.items):
                columns += 1
                self._shorten_keys(columns, room)
        # Its row of the frame is as tall as the legend needs; the plot's row takes the rest.
        legend.setMaximumWidth(room)

    def _shorten_keys(self, columns: int, room: float) -> None:
        """Lay the legend out in `columns`, each name wrapped to its share of `room` (cut at its
        end only past three lines: at 1366 x 768 the trust pulse's names were cut to one line)."""
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
                legend.addItem(item, fit_key(full, fm, max(20, space)))
                legend.items[-1][1].full = full
            if natural(legend).width() <= room:
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

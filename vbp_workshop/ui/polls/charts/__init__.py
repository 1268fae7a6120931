"""Live charts, one class per poll kind in its own module; `chart_for` picks a kind's chart.
Each is fed a Tally and updates its items in place.

A chart never reaches into the window or the file: `set_tally` is its only input (Orange's
BarPlotGraph pattern). Items are made once per shape (number of options) and then only
their data change, so a burst of votes costs a few setOpts calls, not a new scene.

What the back row needs is kept by construction, not by luck: a legend sits in a band reserved
above the plot (never over the data), value labels get room by padding the view range by their
measured width, count axes tick in whole numbers, and long item names wrap.
"""

from __future__ import annotations

from vbp_workshop.ui.polls.charts.bars import BarsChart
from vbp_workshop.ui.polls.charts.base import PollChart
from vbp_workshop.ui.polls.charts.diverging import DivergingChart
from vbp_workshop.ui.polls.charts.histogram import HistogramChart
from vbp_workshop.ui.polls.charts.number import NumberChart
from vbp_workshop.ui.polls.charts.scatter import ScatterChart
from vbp_workshop.ui.polls.charts.words import WordsChart

CHARTS: dict[str, type[PollChart]] = {
    "single": BarsChart, "multiple": BarsChart, "points": BarsChart, "ranking": BarsChart,
    "scale": HistogramChart, "fist": HistogramChart, "agreement": DivergingChart,
    "matrix": ScatterChart, "importance": ScatterChart, "text": WordsChart, "number": NumberChart,
}


def chart_for(kind: str, large: bool = False) -> PollChart:
    return CHARTS[kind](large=large)

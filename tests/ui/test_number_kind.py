"""The number kind on the laptop: its chart (a real pyqtgraph widget, offscreen, read back from the
scene and from its pixels), the hand-count form and the editor's unit field."""

from __future__ import annotations

import statistics
from typing import Any

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from tests.core.test_number_kind import expected_counts
from vbp_workshop.core.model.poll import Poll, encode
from vbp_workshop.core.operations.polls import hand_count_edits, new_poll_edit
from vbp_workshop.core.polls import queries
from vbp_workshop.core.polls.kinds.number import bins, number_text
from vbp_workshop.core.polls.tally import tally
from vbp_workshop.ui.polls.charts import chart_for
from vbp_workshop.ui.polls.charts.base import CountAxis
from vbp_workshop.ui.polls.charts.number import NumberChart

VALUES = [4, 8, 9.5, 10, 11, 12, 12, 13.5, 15, 18, 22, 31]
MEDIAN_GREEN = QColor("#009E73")


def settle(n: int = 5) -> None:
    for _ in range(n):
        QApplication.processEvents()


def poll(lo: int = 0, hi: int = 40, unit: str = "%") -> Poll:
    return Poll(id=1, kind="number", question="What cut in readmissions should the pilot aim for?", options=(),
                settings={"min": lo, "max": hi, "unit": unit}, state="closed", revealed=True)


def shown(kind_poll: Poll, values: list[float], w: int = 900, h: int = 500, large: bool = True) -> Any:
    chart = chart_for("number", large=large)
    chart.set_tally(kind_poll, tally(kind_poll, [{"answer": encode(v), "weight": 1, "source": "phone"}
                                                 for v in values]))
    chart.resize(w, h)
    chart.show()
    settle()
    return chart


def widget_x(chart: Any, value: float) -> int:
    vb = chart.plot_item.getViewBox()
    y_mid = sum(vb.viewRange()[1]) / 2
    return chart.mapFromScene(vb.mapViewToScene(QPointF(value, y_mid))).x()


def greenish(c: QColor) -> bool:
    return abs(c.red() - MEDIAN_GREEN.red()) < 40 and abs(c.green() - MEDIAN_GREEN.green()) < 40 \
        and abs(c.blue() - MEDIAN_GREEN.blue()) < 40


def test_the_chart_draws_a_bar_per_range_with_the_answers_counted_in_it(qapp) -> None:
    p = poll()
    chart = shown(p, VALUES)
    assert isinstance(chart, NumberChart)
    ranges = bins(0, 40)
    heights = list(chart.bars.opts["height"])
    assert heights == expected_counts(VALUES, ranges)
    assert list(chart.bars.opts["x"]) == [(a + z) / 2 for a, z in ranges]  # each bar over its own range
    labels = [lb.textItem.toPlainText() for lb in chart.count_labels]
    assert labels == [f"{c:g}" if c else "" for c in heights]
    ticks = dict(chart.plot_item.getAxis("bottom")._tickLevels[0])
    assert ticks[0.0] == "0" and ticks[40.0] == "40"
    assert chart.plot_item.getAxis("bottom").labelText == "%"
    assert isinstance(chart.plot_item.getAxis("left"), CountAxis)
    chart.close()


def test_the_median_line_and_the_middle_half_are_where_the_answers_put_them(qapp) -> None:
    chart = shown(poll(), VALUES)
    q1, median, q3 = statistics.quantiles(VALUES, n=4, method="inclusive")
    assert chart.median_line.isVisible() and chart.median_line.value() == pytest.approx(statistics.median(VALUES))
    assert chart.middle.isVisible() and chart.middle.getRegion() == pytest.approx((q1, q3))
    names = [label.text for _, label in chart.legend.items]
    assert names == [f"median {number_text(median)} %", f"middle half {number_text(q1)}–{number_text(q3)}"]
    # Drawn, not only set: the median's green is on screen at the median, and not at the far end.
    image = chart.grab().toImage()
    vb = chart.plot_item.getViewBox()
    top = chart.mapFromScene(vb.mapViewToScene(QPointF(0, vb.viewRange()[1][1]))).y()
    bottom = chart.mapFromScene(vb.mapViewToScene(QPointF(0, 0))).y()

    def green_at(value: float) -> int:
        x = widget_x(chart, value)
        return sum(greenish(image.pixelColor(x + dx, y)) for dx in (-1, 0, 1) for y in range(top + 2, bottom - 2))

    assert green_at(median) > 20
    assert green_at(38) == 0
    chart.close()


def test_no_answers_draw_no_median_and_new_answers_update_in_place(qapp) -> None:
    p = poll()
    chart = shown(p, [])
    assert not chart.median_line.isVisible() and not chart.middle.isVisible()
    assert sum(chart.bars.opts["height"]) == 0
    items = chart.bars
    chart.set_tally(p, tally(p, [{"answer": encode(v), "weight": 1} for v in (20, 30)]))
    assert chart.bars is items  # the same items, new data
    assert chart.median_line.isVisible() and chart.median_line.value() == 25
    chart.close()


@pytest.mark.parametrize("large", [False, True])
@pytest.mark.parametrize(("w", "h"), [(520, 360), (700, 470), (1300, 700)])
def test_counts_and_legend_stay_inside_the_chart_at_every_size(qapp, large: bool, w: int, h: int) -> None:
    chart = shown(poll(0, 100, "months"), [60] * 9 + [2, 99, 100], w, h, large)
    vb = chart.plot_item.getViewBox()
    view = vb.mapRectToScene(vb.boundingRect()).adjusted(-1, -1, 1, 1)
    labels = [lb for lb in chart.count_labels if lb.textItem.toPlainText()]
    assert [lb.textItem.toPlainText() for lb in labels] == ["1", "9", "2"]  # 0–10, 60–70, 90–100
    for label in labels:
        assert view.contains(label.mapRectToScene(label.boundingRect())), label.textItem.toPlainText()
    legend = chart.legend.mapRectToScene(chart.legend.boundingRect())
    assert not legend.intersects(vb.mapRectToScene(vb.boundingRect()))
    chart.close()


def test_the_hand_count_form_asks_the_agreed_value_and_the_people(qapp, store) -> None:
    from vbp_workshop.ui.polls.hand_count import HandCountDialog

    store.apply([new_poll_edit(4, "number", "Months to savings?", [], {"min": 0, "max": 36, "unit": "months"})])
    p = queries.get_poll(store, store.rows("polls")[-1]["id"])
    dialog = HandCountDialog(p)
    assert (dialog.value.minimum(), dialog.value.maximum(), dialog.value.decimals()) == (0, 36, 1)
    assert dialog.entries() == []  # nobody yet: no entry
    dialog.value.setValue(14.5)
    dialog.people.setValue(6)
    dialog.group.setCurrentIndex(dialog.group.findData("payer"))
    assert dialog.entries() == [("payer", 14.5, 6)]
    store.apply(hand_count_edits(p, 1, dialog.entries()))
    t = queries.round_tally(store, p)
    assert (t.respondents, t.by_source, t.median) == (6, {"hand": 6}, 14.5)
    dialog.close()


def test_the_editor_shows_min_max_and_unit_for_a_number_poll(qapp) -> None:
    from vbp_workshop.ui.polls.editor import PollEditor

    editor = PollEditor(poll(0, 40, "%"))
    values = editor.values()
    assert values["kind"] == "number" and values["options"] == []
    assert {k: values["settings"][k] for k in ("min", "max", "unit")} == {"min": 0, "max": 40, "unit": "%"}
    assert not editor.options.isVisibleTo(editor) and editor.unit.isVisibleTo(editor)
    editor.unit.setText("months")
    editor.lo.setValue(20)
    editor.hi.setValue(10)
    editor.accept()
    assert "highest answer must be above" in editor.problem.text()
    editor.close()

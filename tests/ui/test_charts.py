"""Charts read from the back row: legends beside the data, labels inside the view, whole counts.

Real pyqtgraph charts in a real (offscreen) window, fed real tallies; geometry is read from
the scene, where it is drawn.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QApplication

from vbp_workshop.core.model.poll import Poll
from vbp_workshop.core.model.tally import Tally
from vbp_workshop.core.polls.kinds import ORDER
from vbp_workshop.core.polls.tally import tally
from vbp_workshop.ui.polls.charts import chart_for
from vbp_workshop.ui.polls.charts.base import CountAxis, PollChart
from vbp_workshop.ui.polls.charts.groups import GroupChart

LONG = ("Partnerships between the NHS and industry should have a national performance indicator "
        "that every integrated care board reports")
SIZES = [(520, 360), (700, 470), (1300, 700)]


def settle(n: int = 4) -> None:
    for _ in range(n):
        QApplication.processEvents()


def poll(kind: str, options: tuple[str, ...] = (), **settings: Any) -> Poll:
    return Poll(id=1, kind=kind, question="How far do you agree?", options=options, state="closed",
                settings=settings, revealed=True)


def b(answer: Any, weight: int = 1) -> dict[str, Any]:
    return {"answer": answer, "weight": weight, "source": "phone"}


def example(kind: str) -> tuple[Poll, Tally]:
    if kind in ("single", "multiple", "points", "ranking"):
        p = poll(kind, ("Majority of partners", "Consent (no reasoned objection)", LONG, "Escalate"),
                 max_choices=2, budget=10)
        answers = {"single": [1] * 30 + [0] * 3 + [2],
                   "multiple": [[0, 1]] * 12 + [[1]] * 9 + [[2, 3]],
                   "points": [{"0": 6, "1": 4}] * 7 + [{"2": 10}],
                   "ranking": [[1, 0, 2, 3]] * 9 + [[2, 1, 0, 3]] * 2}[kind]
    elif kind in ("scale", "fist"):
        p = poll(kind, min=0, max=10)
        answers = [4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 3] if kind == "fist" else [7, 7, 8, 9, 10, 10, 10, 6]
    elif kind == "agreement":
        p = poll(kind, ("Short one", LONG, "A model governance framework would help us"))
        answers = [{"0": 5, "1": 4, "2": 2}] * 18 + [{"0": 1, "1": 5, "2": 5}] * 3
    elif kind in ("matrix", "importance"):
        p = poll(kind, ("Mutual trust", "Shared vision", LONG))
        answers = [{"0": [5, 2], "1": [4, 4], "2": [3, 5]}] * 6
    elif kind == "number":
        p = poll(kind, unit="%")
        answers = [12.5, 14, 15, 15, 18, 20, 22.5, 30, 31, 45]
    else:
        p = poll("text")
        answers = [json.dumps(a) for a in ("Heart health for all", "Fewer heart attacks in Northbridge",
                                          "the data and the people")]
    return p, tally(p, [b(a) for a in answers])


def shown(chart: PollChart, w: int, h: int) -> PollChart:
    chart.resize(w, h)
    chart.show()
    settle()
    return chart


def scene_rect(item: Any) -> QRectF:
    return item.mapRectToScene(item.boundingRect())


def view_rect(chart: PollChart) -> QRectF:
    vb = chart.plot_item.getViewBox()
    return vb.mapRectToScene(vb.boundingRect())


def bar_rects(item: Any) -> list[QRectF]:
    """Each bar of a BarGraphItem, in scene coordinates."""
    item.drawPicture() if item.picture is None else None
    return [item.mapRectToScene(r) for r in item._rectarray.instances()]


KINDS = list(ORDER)  # every kind the app knows: a new one is tested here without a change


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("large", [False, True])
def test_value_labels_are_inside_the_view_at_every_size(qapp, kind: str, large: bool) -> None:
    p, t = example(kind)
    chart = chart_for(kind, large=large)
    chart.set_tally(p, t)
    for w, h in SIZES:
        shown(chart, w, h)
        view = view_rect(chart).adjusted(-1, -1, 1, 1)
        labels = [lb for lb in chart.value_labels if lb.textItem.toPlainText().strip()]
        # A placing chart numbers its points instead of labelling values: those numbers too.
        labels += [n for n in getattr(chart, "numbers", []) if n.isVisible() and n.textItem.toPlainText().strip()]
        if kind == "text":  # words are read off the count axis, not labelled: their bars fit the view
            bars = [r for r in bar_rects(chart.bars) if r.width() > 0.5]
            assert bars and all(view.contains(r) for r in bars), (kind, w, h)
        else:
            assert labels, (kind, "the chart shows its values")
        for label in labels:
            assert view.contains(scene_rect(label)), (kind, w, h, label.textItem.toPlainText())
    chart.close()


@pytest.mark.parametrize("kind", ["agreement", "scale", "fist", "matrix", "importance"])
def test_legends_sit_beside_the_data_and_never_cover_it(qapp, kind: str) -> None:
    p, t = example(kind)
    chart = chart_for(kind, large=True)
    chart.set_tally(p, t)
    for w, h in SIZES:
        shown(chart, w, h)
        legend = scene_rect(chart.legend)
        assert legend.height() > 0
        assert not legend.intersects(view_rect(chart)), (kind, w, h)
        # Inside the chart: a legend cut off at the edge would be no legend (each entry's own box).
        assert legend.right() <= chart.width() + 1 and legend.top() >= 0
        for sample, label in chart.legend.items:
            for part in (sample, label):
                box = scene_rect(part)
                assert box.right() <= chart.width() + 1 and not box.intersects(view_rect(chart)), (kind, w, h)
    chart.close()


def test_a_long_legend_takes_more_columns_not_the_chart(qapp) -> None:
    p = poll("importance", tuple(f"Partnership attribute number {i} with a long name" for i in range(6)))
    t = tally(p, [b({str(i): [4, 2 + i % 3] for i in range(6)})] * 4)
    chart = shown(chart_for("importance"), 500, 320)
    chart.set_tally(p, t)
    settle()
    legend = scene_rect(chart.legend)
    assert legend.height() <= 0.45 * 320 + 1 and legend.right() <= 501
    assert chart.legend.columnCount > 1
    assert len(chart.legend.items) == 6  # every item is still named
    assert all(label.full.startswith(f"{i + 1}  Partnership") for i, (_, label) in enumerate(chart.legend.items))
    chart.close()


def test_every_agreement_level_and_every_group_is_in_the_legend(qapp) -> None:
    p, t = example("agreement")
    chart = chart_for("agreement", large=True)
    chart.set_tally(p, t)
    names = [label.text for _, label in chart.legend.items]
    assert names == ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"]
    groups = GroupChart(large=True)
    tallies = {"nhs": t, "pharma": t, "patients": t}
    groups.set_groups(p, tallies, {"nhs": "NHS", "pharma": "Pharma"})
    shown(groups, 700, 470)
    assert [label.text for _, label in groups.legend.items] == [
        f"NHS (n={t.respondents})", f"Pharma (n={t.respondents})", f"patients (n={t.respondents})"]
    legend = scene_rect(groups.legend)
    for bar in groups._bars.values():
        for rect in bar_rects(bar):
            assert not legend.intersects(rect)
    for labels in groups._values.values():
        for label in labels:
            assert label.textItem.toPlainText().strip()
            assert view_rect(groups).adjusted(-1, -1, 1, 1).contains(scene_rect(label))
    chart.close()
    groups.close()


def test_many_groups_on_many_items_keep_their_value_labels_apart(qapp) -> None:
    options = tuple(f"Barrier number {i}" for i in range(9))
    p = poll("multiple", options, max_choices=3)
    tallies = {g: tally(p, [b([i % 9, (i + g_i) % 9]) for i in range(20 + g_i)])
               for g_i, g in enumerate(["nhs", "pharma", "patients", "payer"])}
    chart = GroupChart(large=True)
    chart.set_groups(p, tallies, {})
    for w, h in [(700, 470), (1300, 700)]:
        shown(chart, w, h)
        labels = [lb for labels in chart._values.values() for lb in labels
                  if lb.isVisible() and lb.textItem.toPlainText().strip()]
        rects = [scene_rect(lb).adjusted(1, 1, -1, -1) for lb in labels]
        for a, c in itertools.combinations(rects, 2):
            assert not a.intersects(c), (w, h)
    assert labels, "at 1300×700 there is room for the values"
    chart.close()


@pytest.mark.parametrize(("kind", "top", "title"), [("single", 100, "% of answers"), ("points", 100, "% of points"),
                                                     ("agreement", 5, "mean"), ("matrix", 5, "mean impact")])
def test_group_bars_run_over_the_whole_scale_of_their_measure(qapp, kind: str, top: float, title: str) -> None:
    p, t = example(kind)
    chart = GroupChart(large=True)
    chart.set_groups(p, {"nhs": t, "pharma": t}, {})
    shown(chart, 900, 500)
    lo, hi = chart.plot_item.getViewBox().viewRange()[0]
    assert lo == 0 and top <= hi < top * 1.6  # from zero, to the scale's end (plus label room)
    assert chart.plot_item.getAxis("bottom").labelText == title
    chart.close()


def test_long_statements_wrap_instead_of_being_cut(qapp) -> None:
    p, t = example("agreement")
    chart = shown(chart_for("agreement", large=True), 1300, 700)
    chart.set_tally(p, t)
    settle()
    ticks = dict(chart.plot_item.getAxis("left")._tickLevels[0])
    long_tick = next(text for text in ticks.values() if text.startswith("Partnerships"))
    assert "\n" in long_tick
    shown_words = long_tick.replace("\n", " ").replace("…", "").split()
    assert len(shown_words) >= 12  # most of the statement, on more than one line
    assert all(w in LONG for w in shown_words)
    assert ticks[min(ticks)] == "A model governance framework would help us".replace(" help", "\nhelp") or \
        ticks[min(ticks)].replace("\n", " ") == "A model governance framework would help us"
    chart.close()


def tick_values(axis: Any, lo: float, hi: float, px: float) -> list[float]:
    return [v for _, values in axis.tickValues(lo, hi, px) for v in values]


def test_count_axes_tick_in_whole_numbers(qapp) -> None:
    axis = CountAxis("bottom")
    for hi in (1.2, 2.5, 3.0, 7.0, 40.0):
        values = tick_values(axis, 0, hi, 600)
        assert values and all(float(v).is_integer() for v in values), (hi, values)
    # The charts that count use it: a poll with one or two answers has no half-answer ticks.
    for kind, side in (("single", "bottom"), ("fist", "left"), ("text", "bottom")):
        p, _ = example(kind)
        t = tally(p, [b(3 if kind == "fist" else 0 if kind == "single" else json.dumps("heart health"))])
        chart = shown(chart_for(kind, large=True), 700, 470)
        chart.set_tally(p, t)
        settle()
        axis = chart.plot_item.getAxis(side)
        lo, hi = chart.plot_item.getViewBox().viewRange()[0 if side == "bottom" else 1]
        values = tick_values(axis, lo, hi, 400)
        assert isinstance(axis, CountAxis)
        assert values and all(float(v).is_integer() for v in values), (kind, values)
        chart.close()


def test_fist_to_five_labels_do_not_overlap(qapp) -> None:
    p, t = example("fist")
    for w, h in SIZES:
        chart = shown(chart_for("fist", large=True), w, h)
        chart.set_tally(p, t)
        settle()
        texts = [lb for lb in chart.value_labels if lb.textItem.toPlainText().strip()]
        texts += [label for _, label in chart.legend.items]
        rects = [scene_rect(x) for x in texts]
        for (i, a), (j, c) in itertools.combinations(enumerate(rects), 2):
            assert not a.intersects(c), (w, h, i, j)
        names = [label.text for _, label in chart.legend.items]
        assert names[0].startswith("mean ") and names[1].startswith("median ") and "consent" in names[2]
        chart.close()


def test_charts_grow_their_type_and_keep_their_data(qapp) -> None:
    p, t = example("single")
    chart = shown(chart_for("single", large=True), 700, 470)
    chart.set_tally(p, t)
    before = chart.labels[1].textItem.font().pixelSize()
    chart.set_text_px(30)
    settle()
    assert chart.labels[1].textItem.font().pixelSize() == 30 > before
    assert chart.labels[1].textItem.toPlainText().strip() == "30 (88%)"
    assert chart.plot_item.getAxis("left").style["tickFont"].pixelSize() == 30
    chart.close()


def test_importance_quadrants_cross_at_the_rooms_averages_not_the_scales_middle(qapp) -> None:
    # Importance 5, 4, 3 and satisfaction 2, 4, 5: the lines cross at (4, 11/3), where the
    # attributes are compared with one another (the scale's middle, 3, would separate nothing).
    p, t = example("importance")
    chart = chart_for("importance")
    chart.set_tally(p, t)
    shown(chart, 700, 470)
    assert chart.cross[0].value() == pytest.approx(4.0)  # type: ignore[attr-defined]
    assert chart.cross[1].value() == pytest.approx(11 / 3)  # type: ignore[attr-defined]
    m = poll("matrix", ("A", "B"))
    matrix = chart_for("matrix")
    matrix.set_tally(m, tally(m, [b({"0": [5, 5], "1": [4, 4]})]))
    shown(matrix, 700, 470)
    assert matrix.cross[0].value() == pytest.approx(3.0)  # type: ignore[attr-defined]  # a 2×2 keeps its middle
    chart.close()
    matrix.close()


def test_a_group_below_five_people_is_shaded_and_says_so(qapp) -> None:
    p = poll("scale", min=0, max=10)
    big, few = tally(p, [b(7)] * 8), tally(p, [b(3)] * 4)
    groups = GroupChart(large=True)
    groups.set_groups(p, {"provider": big, "pharma": few}, {"provider": "Provider", "pharma": "Pharma"})
    shown(groups, 700, 470)
    assert groups.few == {"provider": False, "pharma": True}
    alpha = {g: bar.opts["brush"].alphaF() for g, bar in groups._bars.items()}
    assert alpha["pharma"] < 0.5 < alpha["provider"]
    assert [label.text for _, label in groups.legend.items] == ["Provider (n=8)", "Pharma (n=4, few: read with care)"]
    groups.close()

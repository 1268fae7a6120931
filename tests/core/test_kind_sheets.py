"""What each kind writes to the workbook and hands the sector, divergence and ideas views: its
result block (rows and native chart), a raw answer as a person reads it, its group split, its
items and its scores. Small inputs whose results can be checked by hand, so a changed rule fails
here (these are the kinds' methods that moved out of export_polls, export_sectors, polarisation
and ideas; mutation testing runs them)."""

from __future__ import annotations

from typing import Any

import pytest

from vbp_workshop.core.model.poll import AGREEMENT_LABELS, Poll, encode
from vbp_workshop.core.polls import kinds
from vbp_workshop.core.polls.tally import tally
from vbp_workshop.core.workbook.kind_blocks import BLOCKS
from vbp_workshop.core.workbook.xlsx import Chart, Series, Sheet


def poll(kind: str, options: tuple[str, ...] = ("A", "B"), **settings: Any) -> Poll:
    return Poll(id=5, kind=kind, question="Q?", options=options, settings=settings)


def b(answer: Any, weight: int = 1) -> dict[str, Any]:
    return {"answer": encode(answer), "weight": weight, "source": "phone"}


def block(p: Poll, ballots: list[dict[str, Any]]) -> tuple[Sheet, Chart | None]:
    sh = Sheet("Poll results")
    sh.add(["above"])  # the block starts below what the sheet holds already
    return sh, BLOCKS[p.kind](sh, p, tally(p, ballots), "Poll5", "Title")


@pytest.mark.parametrize(("kind", "answers", "value", "rows"), [
    ("single", [0, 0, 1, 0], "Answers", [["A", 3, 0.75], ["B", 1, 0.25]]),
    ("multiple", [[0, 1], [1]], "Answers", [["A", 1, 0.5], ["B", 2, 1.0]]),
    ("points", [{"0": 6, "1": 2}], "Points", [["A", 6, 0.75], ["B", 2, 0.25]]),
])
def test_a_kind_that_counts_options_writes_counts_shares_and_a_bar_chart(
        kind: str, answers: list[Any], value: str, rows: list[list[Any]]) -> None:
    sh, chart = block(poll(kind), [b(a) for a in answers])
    assert sh.rows[1:] == [["Option", value, "Share"], *rows]
    assert sh.formats[(3, 3)] == "0%" and [(t.name, t.first_row, t.last_row) for t in sh.tables] == [("Poll5", 2, 4)]
    assert sh.styles[(3, 1)] == sh.styles[(4, 1)] == "wrap" and (3, 2) not in sh.styles  # long option names wrap
    assert chart == Chart("bar", "Title", [Series(value, (3, 4, 1), (3, 4, 2))], axis="count",
                          max_value=max(r[1] for r in rows), y_title=value.lower())


def test_a_ranking_writes_borda_scores_without_shares() -> None:
    sh, chart = block(poll("ranking", ("A", "B", "C")), [b([2, 0, 1]), b([2, 1])])
    assert sh.rows[1:] == [["Option", "Borda score"], ["A", 1], ["B", 1], ["C", 4]]  # 3 options: 2, 1, 0 points
    assert [t.name for t in sh.tables] == ["Poll5"] and sh.styles[(3, 1)] == "wrap" and (3, 2) not in sh.styles
    assert chart == Chart("bar", "Title", [Series("Borda score", (3, 5, 1), (3, 5, 2))], axis="count",
                          max_value=4, y_title="borda score")


def test_a_scale_writes_each_level_its_mean_and_median_and_fist_its_consensus() -> None:
    sh, chart = block(poll("scale", (), min=1, max=3), [b(1), b(3), b(3)])
    assert sh.rows[1:] == [["Answer", "Count", "Share"], [1, 1, pytest.approx(1 / 3)], [2, 0, 0.0],
                           [3, 2, pytest.approx(2 / 3)], ["Mean", 2.33], ["Median", 3]]
    assert chart == Chart("column", "Title", [Series("Count", (3, 5, 1), (3, 5, 2))], axis="count",
                          max_value=2, y_title="answers")
    sh, _ = block(poll("fist", ()), [b(4), b(2), b(5)])
    assert sh.rows[-3:] == [["Mean", 3.67], ["Median", 4], ["Consensus (all ≥ 3)", "No", "1 with concerns"]]
    sh, _ = block(poll("fist", ()), [b(4)])
    assert sh.rows[-1] == ["Consensus (all ≥ 3)", "Yes", "none below 3"]


def test_agreement_writes_each_level_the_mean_and_the_share_agreeing() -> None:
    sh, chart = block(poll("agreement"), [b({"0": 5, "1": 2}), b({"0": 4})])
    assert sh.rows[1:] == [["Statement", *AGREEMENT_LABELS, "Mean", "Agreeing"],
                           ["A", 0, 0, 0, 1, 1, 4.5, 1.0], ["B", 0, 1, 0, 0, 0, 2.0, 0.0]]
    assert (sh.formats[(3, 7)], sh.formats[(3, 8)]) == ("0.00", "0%")
    assert chart is not None and chart.kind == "percent_bar" and chart.axis == "share" and chart.legend
    assert [(s.name, s.values, s.colour) for s in chart.series] == [
        ((2, c), (3, 4, c), colour) for c, colour in
        zip(range(2, 7), ["#B2182B", "#EF8A62", "#BDBDBD", "#67A9CF", "#2166AC"], strict=True)]


def test_a_2x2_and_importance_write_their_means_spread_and_a_scatter() -> None:
    sh, chart = block(poll("matrix", x_label="Cost"), [b({"0": [1, 5]}), b({"0": [3, 5]})])
    assert sh.rows[1:] == [["Item", "Cost (mean)", "Impact (mean)", "Spread (SD)"], ["A", 2.0, 5.0, 1.0],
                           ["B", None, None, None]]
    points = [Series((r, 1), (r, r, 2), (r, r, 3)) for r in (3, 4)]  # a point per item, named by it
    assert chart == Chart("scatter", "Title", points, axis="scale", scale=(1, 5), x_title="Cost", y_title="Impact",
                          legend=True)
    sh, chart = block(poll("importance"), [b({"0": [5, 2]})])
    assert sh.rows[1:3] == [["Item", "Importance (mean)", "Satisfaction (mean)", "Spread (SD)", "Gap"],
                            ["A", 5.0, 2.0, 0.0, 3.0]]
    assert chart is not None and (chart.x_title, chart.y_title) == ("Importance", "Satisfaction")


def test_open_text_writes_the_answers_and_its_frequent_words() -> None:
    sh, chart = block(poll("text", ()), [b("heart care"), b("heart health")])
    assert sh.rows[1:4] == [["Answer"], ["heart care"], ["heart health"]]
    assert sh.rows[5] == ["Word", "Mentions"] and sh.rows[6] == ["heart", 2]
    assert sh.rows[6:9] == [["heart", 2], ["care", 1], ["health", 1]]
    assert [t.name for t in sh.tables] == ["Poll5", "Poll5Words"] and sh.styles[(3, 1)] == "wrap"
    assert chart is not None and chart.series[0].values == (7, 9, 2) and chart.max_value == 2
    many = " ".join(f"word{chr(97 + i)}" for i in range(20))  # twenty different words: fifteen listed
    sh, chart = block(poll("text", ()), [b(many)])
    assert len(sh.tables[1:]) == 1 and sh.tables[1].last_row - sh.tables[1].first_row == 15
    assert chart is not None and chart.y_title == "mentions" and chart.title == "Title"
    sh, chart = block(poll("text", ()), [])
    assert chart is None and sh.rows[1:] == [["Answer"]]


@pytest.mark.parametrize(("kind", "answer", "readable"), [
    ("single", 1, "B"),
    ("single", 7, "#7"),  # an index no option has (the options changed since)
    ("multiple", [0, 1], "A; B"),
    ("multiple", {"0": 8, "1": 6}, "A: 8 hands; B: 6 hands"),
    ("ranking", [1, 0], "1. B; 2. A"),
    ("points", {"0": 3, "1": 7}, "A: 3; B: 7"),
    ("agreement", {"0": 5, "1": 1}, "A: Strongly agree; B: Strongly disagree"),
    ("agreement", {"0": [0, 2, 0, 3, 0]}, "A: Disagree 2, Agree 3"),
    ("matrix", {"1": [2, 4]}, "B: x=2, y=4"),
    ("importance", {"0": [5, 2]}, "A: importance=5, satisfaction=2"),
    ("scale", 7, "7"),
    ("text", "Better outcomes", "Better outcomes"),
])
def test_a_raw_answer_reads_as_a_person_would_say_it(kind: str, answer: Any, readable: str) -> None:
    p = poll(kind)
    assert p.plugin.readable(p, answer) == readable


@pytest.mark.parametrize(("kind", "answers", "items", "values", "shares", "measure"), [
    ("single", [0, 0, 0, 1], ["A", "B"], [0.75, 0.25], True, "share choosing each option"),
    ("points", [{"0": 1, "1": 3}], ["A", "B"], [0.25, 0.75], True, "share of points"),
    ("ranking", [[1, 0]], ["A", "B"], [0.0, 1.0], True, "Borda score relative to the top option"),
    ("scale", [2, 5], ["Mean"], [3.5], False, "mean"),
    ("fist", [2, 5], ["Mean"], [3.5], False, "mean support (0–5)"),
    ("agreement", [{"0": 4, "1": 2}, {"0": 5}], ["A", "B"], [4.5, 2.0], False, "mean agreement (1–5)"),
    ("matrix", [{"0": [1, 4]}], ["A", "B"], [4.0, None], False, "mean impact (y)"),
    ("importance", [{"0": [5, 2]}], ["A", "B"], [3.0, None], False, "gap: importance − satisfaction"),
])
def test_each_kind_says_its_group_split(kind: str, answers: list[Any], items: list[str], values: list[Any],
                                        shares: bool, measure: str) -> None:
    p = poll(kind, () if kind in ("scale", "fist") else ("A", "B"))
    k = p.plugin
    assert k.group_items(p) == items and k.group_values(tally(p, [b(a) for a in answers]), p) == values
    assert (k.group_shares, k.group_measure, k.splits_by_group) == (shares, measure, True)


def test_the_group_split_scale_and_axis_title() -> None:
    assert poll("scale", (), min=0, max=10).plugin.group_scale(poll("scale", (), min=0, max=10)) == (0, 10)
    assert poll("agreement").plugin.group_scale(poll("agreement")) == (1, 5)
    assert poll("importance").plugin.group_scale(poll("importance")) == (-4, 4)  # a gap runs both ways
    titles = {k: kinds.get(k).group_axis_title(poll(k, y_label="Reach")) for k in kinds.ORDER}
    assert titles == {"single": "% of answers", "multiple": "% of answers", "points": "% of points",
                      "ranking": "% of the top score", "agreement": "mean", "scale": "mean", "fist": "mean",
                      "matrix": "mean reach", "importance": "gap (importance − satisfaction)", "text": "mean",
                      "number": "median"}
    assert [k for k in kinds.ORDER if kinds.get(k).group_signed] == ["importance"]
    assert [k for k in kinds.ORDER if not kinds.get(k).splits_by_group] == ["text"]
    assert kinds.get("number").group_axis_title(poll("number", (), unit="%")) == "median (%)"


@pytest.mark.parametrize(("kind", "answers", "labels", "values", "measure"), [
    ("single", [0, 1, 1, 1], ["A", "B"], [25.0, 75.0], "% of answers"),
    ("multiple", [[0, 1], [1]], ["A", "B"], [50.0, 100.0], "% choosing"),
    ("points", [{"0": 1, "1": 3}], ["A", "B"], [25.0, 75.0], "% of points"),
    ("ranking", [[1, 0]], ["A", "B"], [0.0, 1.0], "Borda score"),
    ("agreement", [{"0": 4}], ["A", "B"], [4.0, None], "mean 1–5"),
    ("scale", [3, 6], ["Q?"], [4.5], "mean 0–10"),
    ("fist", [3, 5], ["Q?"], [4.0], "mean 0–5"),
    ("matrix", [{"1": [2, 4]}], ["A (effort)", "A (impact)", "B (effort)", "B (impact)"], [None, None, 2.0, 4.0],
     "mean 1–5"),
    ("importance", [{"0": [5, 1]}], ["A (importance)", "A (satisfaction)", "B (importance)", "B (satisfaction)"],
     [5.0, 1.0, None, None], "mean 1–5"),
    ("text", ["words"], ["A", "B"], [], ""),
])
def test_each_kind_names_its_items_for_the_sector_sheet(kind: str, answers: list[Any], labels: list[str],
                                                         values: list[Any], measure: str) -> None:
    p = poll(kind, () if kind in ("scale", "fist") else ("A", "B"), min=0, max=10) if kind == "scale" else \
        poll(kind, () if kind == "fist" else ("A", "B"))
    k = p.plugin
    assert k.item_labels(p) == labels and k.item_values(p, tally(p, [b(a) for a in answers])) == values
    assert k.sector_measure(p) == measure


def test_what_each_rated_item_is_spread_over() -> None:
    ag = poll("agreement")
    # Equal values summed in the order first seen; a hand count's grid adds its hands per level.
    assert ag.plugin.rated(ag, [b({"0": 5}), b({"0": 2, "1": 3}), b({"0": 5}, weight=2)]) == [
        [(5.0, 3.0), (2.0, 1.0)], [(3.0, 1.0)]]
    assert ag.plugin.rated(ag, [b({"1": [0, 2, 0, 3, 0]}, weight=3)]) == [
        [], [(1.0, 0), (2.0, 2), (3.0, 0), (4.0, 3), (5.0, 0)]]
    m = poll("matrix")
    assert m.plugin.rated(m, [b({"0": [1, 4]}), b({"0": [1, 5]})]) == [[(1.0, 2.0)], [(4.0, 1.0), (5.0, 1.0)], [], []]
    sc = poll("scale", (), min=0, max=10)
    assert sc.plugin.rated(sc, [b(7), b(3), b(7)]) == [[(7.0, 2.0), (3.0, 1.0)]]
    assert poll("single").plugin.rated(poll("single"), [b(0)]) == []
    assert [k for k in kinds.ORDER if kinds.get(k).counts_blockers] == ["fist"]


@pytest.mark.parametrize(("kind", "answers", "scores"), [
    ("single", [0, 1, 1], [1.0, 2.0]),
    ("points", [{"0": 4, "1": 6}], [4.0, 6.0]),
    ("ranking", [[1, 0]], [0.0, 1.0]),
    ("matrix", [{"0": [1, 5]}], [4.0, float("-inf")]),  # impact minus effort; unplaced last
    ("agreement", [{"0": 4, "1": 2}], [4.0, 2.0]),
    ("agreement", [{"0": 4}], [4.0, float("-inf")]),
    ("importance", [{"0": [5, 1], "1": [3, 3]}], [4.0, 0.0]),
    ("fist", [5, 3], [4.0]),
    ("scale", [2, 4], [3.0]),
    ("number", [10, 30, 35], [30.0]),
])
def test_each_kind_scores_promoted_ideas_higher_is_better(kind: str, answers: list[Any], scores: list[float]) -> None:
    p = poll(kind, () if kind in ("fist", "scale", "number") else ("A", "B"))
    assert p.plugin.scores(p, tally(p, [b(a) for a in answers])) == scores
    empty = poll("scale", ())
    assert empty.plugin.scores(empty, tally(empty, [])) == [float("-inf")]

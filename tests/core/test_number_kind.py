"""The "number" kind (a numeric estimate): its tally against Python's own statistics, hostile
numbers refused with a message, hand counts weighted by people, and its workbook block read back
with openpyxl. Expected figures are computed from the inputs here, not copied from a run."""

from __future__ import annotations

import math
import statistics
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.changes import Insert
from vbp_workshop.core.model.poll import BallotError, Poll, encode, validate
from vbp_workshop.core.operations.polls import hand_count_edits, new_poll_edit
from vbp_workshop.core.polls.kinds.number import MAX_UNIT, RANGE_LIMIT, bins, number_text, quantile
from vbp_workshop.core.polls.queries import public_result
from vbp_workshop.core.polls.tally import divergence, headline, tally
from vbp_workshop.core.workbook.export import export_workbook

VALUES = [3, 7.5, 8, 12, 12, 15.5, 20, 21, 33, 48.5, 50]


def poll(lo: int = 0, hi: int = 50, unit: str = "%") -> Poll:
    return Poll(id=3, kind="number", question="What cut should the pilot aim for?", options=(),
                settings={"min": lo, "max": hi, "unit": unit}, state="open")


def b(answer: Any, weight: int = 1, source: str = "phone") -> dict[str, Any]:
    return {"answer": encode(answer), "weight": weight, "source": source}


def expected_counts(values: list[float], ranges: list[tuple[float, float]]) -> list[float]:
    """Each range holds its lower end (the last also its upper end), counted the slow way."""
    out = [0.0] * len(ranges)
    for v in values:
        for i, (a, z) in enumerate(ranges):
            if a <= v < z or (i == len(ranges) - 1 and v == z):
                out[i] += 1
                break
    return out


def test_the_tally_is_the_median_quartiles_mean_and_a_histogram_of_the_answers() -> None:
    p = poll()
    t = tally(p, [b(v) for v in VALUES])
    q1, median, q3 = statistics.quantiles(VALUES, n=4, method="inclusive")
    assert t.respondents == len(VALUES)
    assert t.median == pytest.approx(statistics.median(VALUES)) == pytest.approx(median)
    assert t.stats == pytest.approx({"q1": q1, "q3": q3, "low": min(VALUES), "high": max(VALUES)})
    assert t.mean == pytest.approx(statistics.fmean(VALUES))
    assert t.bins == bins(0, 50) and t.bins[0][0] == 0 and t.bins[-1][1] == 50
    assert t.counts == expected_counts(VALUES, t.bins)
    assert sum(t.counts) == len(VALUES) and t.percents == pytest.approx([100 * c / len(VALUES) for c in t.counts])
    assert headline(t) == (f"Median {number_text(statistics.median(VALUES))} % "
                            f"(middle half {number_text(q1)}–{number_text(q3)})")


ROUND = sorted(n * 10.0**e for e in range(-1, 10) for n in (1, 2, 5))


@pytest.mark.parametrize(("lo", "hi"), [(0, 100), (0, 10), (0, 12), (0, 36), (-20, 20), (0, 1), (5, 7), (0, 10**6),
                                        (0, 11), (-RANGE_LIMIT, RANGE_LIMIT)])
def test_the_ranges_cover_the_poll_in_a_few_round_steps(lo: int, hi: int) -> None:
    ranges = bins(lo, hi)
    assert 1 <= len(ranges) <= 10
    assert ranges[0][0] == lo and ranges[-1][1] == hi
    assert all(a < z for a, z in ranges) and all(ranges[i][1] == ranges[i + 1][0] for i in range(len(ranges) - 1))
    width = ranges[0][1] - ranges[0][0]
    # The narrowest of 1, 2 or 5 × 10^k (from 0.1) that covers the range in ten or fewer.
    assert width == pytest.approx(next(w for w in ROUND if math.ceil(round((hi - lo) / w, 9)) <= 10))
    assert all(z - a == pytest.approx(width) for a, z in ranges[:-1]) and ranges[-1][1] - ranges[-1][0] <= width


def test_quantiles_of_weighted_answers_and_their_ends() -> None:
    assert quantile([(7.0, 1.0)], 0.25) == quantile([(7.0, 1.0)], 0.75) == 7.0  # one person
    assert quantile([(9.0, 1.0), (5.0, 1.0)], 1.0) == 9.0 and quantile([(9.0, 1.0), (5.0, 1.0)], 0.0) == 5.0
    people = [2, 2, 4, 9, 9, 9, 13]
    pairs = [(2.0, 2.0), (13.0, 1.0), (4.0, 1.0), (9.0, 3.0)]
    assert [quantile(pairs, q) for q in (0.25, 0.5, 0.75)] == statistics.quantiles(people, n=4, method="inclusive")
    assert tally(poll(), [b(10, weight=0, source="hand")]).stats == {}  # nobody: no figures, no crash


def test_numbers_read_as_people_write_them() -> None:
    assert [number_text(v) for v in (12.0, 12.25, 12.35, 0.04, -0.04, -3.25, 1e9)] == [
        "12", "12.3", "12.4", "0", "0", "-3.3", "1000000000"]


def test_a_poll_with_settings_it_cannot_use_still_tallies_on_0_to_100() -> None:
    for settings in ({}, {"min": "x", "max": 10}, {"min": 0, "max": float("inf")}, {"min": 5, "max": 5},
                     {"min": 0, "max": 10**12}, {"min": True, "max": 9}):
        p = Poll(id=1, kind="number", question="Q", options=(), settings=settings)
        assert p.scale_range == (0, 100), settings
        assert tally(p, [b(40)]).bins == bins(0, 100)
    assert poll(10, 50).scale_range == (10, 50)


@pytest.mark.parametrize(("settings", "problem"), [
    ({"min": 0, "max": RANGE_LIMIT, "unit": "x" * MAX_UNIT}, ""),
    ({"min": -RANGE_LIMIT, "max": 0}, ""),
    ({"min": 0, "max": RANGE_LIMIT + 1}, "Keep the range within ±1,000,000,000."),
    ({"min": 0, "max": 10, "unit": "x" * (MAX_UNIT + 1)}, "Keep the unit to 12 characters (e.g. %, months)."),
    ({"min": 0, "max": 10, "unit": "per\n\n  patient"}, ""),  # folded to "per patient"
    ({"min": 4, "max": 3}, "The highest answer must be above the lowest."),
    ({"min": 0.5, "max": 3}, "The lowest and highest answers must be whole numbers."),
    ({"min": 0, "max": None}, "The lowest and highest answers must be whole numbers."),
])
def test_what_a_number_poll_needs_before_it_opens(settings: dict[str, Any], problem: str) -> None:
    p = Poll(id=1, kind="number", question="Q", options=(), settings=settings)
    assert p.plugin.settings_problem(p) == problem
    if "unit" in settings and not problem:
        assert p.public()["unit"] == " ".join(str(settings["unit"]).split())


def test_a_hand_count_weighs_as_that_many_people_with_the_value() -> None:
    p = poll()
    hand = tally(p, [b(10, weight=3, source="hand"), b(30), b(40)])
    copies = tally(p, [b(10), b(10), b(10), b(30), b(40)])
    assert hand.respondents == 5 and hand.by_source == {"hand": 3, "phone": 2}
    assert (hand.median, hand.stats, hand.counts) == (copies.median, copies.stats, copies.counts)
    assert quantile([(10.0, 3.0), (30.0, 1.0), (40.0, 1.0)], 0.75) == statistics.quantiles(
        [10, 10, 10, 30, 40], n=4, method="inclusive")[2]
    assert hand_count_edits(p, 1, [("nhs", 12.5, 4)])[0].values["weight"] == 4


@pytest.mark.parametrize(("answer", "message"), [
    (float("nan"), "Enter a number."), (float("inf"), "Enter a number."), (float("-inf"), "Enter a number."),
    (True, "Enter a number."), (False, "Enter a number."), ("12", "Enter a number."), ("", "Enter a number."),
    (None, "Enter a number."), ([12], "Enter a number."), ({"0": 12}, "Enter a number."),
    (51, "Enter a number from 0 to 50."), (-0.1, "Enter a number from 0 to 50."),
    (10**400, "Enter a number from 0 to 50."), (-(10**400), "Enter a number from 0 to 50."),
    (1e308, "Enter a number from 0 to 50."), (12.34, "Use at most one decimal place."),
    (1e-300, "Use at most one decimal place."),
])
def test_hostile_numbers_are_refused_with_a_clear_message(answer: Any, message: str) -> None:
    for hand in (False, True):  # a hand count is bounded the same way
        with pytest.raises(BallotError) as refused:
            validate(poll(), answer, hand=hand)
        assert str(refused.value) == message


def test_good_numbers_are_stored_in_one_canonical_form() -> None:
    p = poll()
    assert [encode(validate(p, v)) for v in (0, 50, 12, 12.0, 12.5, 0.1)] == ["0", "50", "12", "12", "12.5", "0.1"]


def test_the_group_measure_is_the_median_on_the_range_so_groups_diverge_as_other_kinds() -> None:
    p = poll(0, 40)
    cautious = tally(p, [b(8), b(10), b(12)])
    bold = tally(p, [b(28), b(30), b(35)])
    assert p.plugin.profile(cautious, p) == [10 / 40] and p.plugin.profile(bold, p) == [30 / 40]
    assert divergence(p, {"nhs": cautious, "pharma": bold}) == (0.5, ("nhs", "pharma"))
    assert p.plugin.profile(tally(p, []), p) == [0.0]
    shifted = poll(10, 50)  # measured from the range's own start
    assert shifted.plugin.profile(tally(shifted, [b(30)]), shifted) == [0.5]
    assert shifted.plugin.sector_measure(shifted) == "median 10–50 %"
    assert poll(0, 9, "").plugin.sector_measure(poll(0, 9, "")) == "median 0–9"


def test_the_phone_gets_its_range_and_unit_and_the_revealed_histogram_and_median() -> None:
    p = poll(0, 36, "months")
    assert {k: p.public()[k] for k in ("kind", "min", "max", "unit", "step")} == {
        "kind": "number", "min": 0, "max": 36, "unit": "months", "step": 0.1}
    answers = [6, 9, 12, 12, 18, 7.5]
    t = tally(p, [b(v) for v in answers])
    q1, median, q3 = statistics.quantiles(answers, n=4, method="inclusive")
    counts = expected_counts(answers, bins(0, 36))
    assert public_result(p, t) == {
        "poll_id": 3, "kind": "number", "respondents": 6, "headline": headline(t), "unit": "months",
        "median": median, "q1": round(q1, 2), "q3": round(q3, 2),
        "bars": [[f"{number_text(a)}–{number_text(z)}", round(100 * c / len(answers), 1)]
                 for (a, z), c in zip(bins(0, 36), counts, strict=True)]}
    assert headline(t) == f"Median {number_text(median)} months (middle half {number_text(q1)}–{number_text(q3)})"


def test_the_workbook_block_holds_the_figures_the_histogram_and_a_column_chart(store: Store, tmp_path: Path) -> None:
    store.apply([new_poll_edit(4, "number", "Cut in readmissions?", [], {"min": 0, "max": 50, "unit": "%"})])
    pid = store.rows("polls")[-1]["id"]
    groups = ["provider"] * 6 + ["pharma"] * 5
    store.apply([Insert("ballots", {"poll_id": pid, "round": 1, "voter": f"v{i}", "grp": g, "answer": encode(v)})
                 for i, (v, g) in enumerate(zip(VALUES, groups, strict=True))])
    book = openpyxl.load_workbook(export_workbook(store, tmp_path / "number.xlsx"))
    ws = book["Poll results"]

    def table(name: str) -> list[list[Any]]:
        return [[c.value for c in row] for row in ws[ws.tables[name].ref]]

    figures = dict(table(f"Poll{pid}")[1:])
    q1, _, q3 = statistics.quantiles(VALUES, n=4, method="inclusive")
    assert table(f"Poll{pid}")[0] == ["Figure", "Value (%)"]
    assert figures == pytest.approx({"Respondents": len(VALUES), "Median": statistics.median(VALUES),
                                     "Lower quartile (Q1)": q1, "Upper quartile (Q3)": q3,
                                     "Mean": round(statistics.fmean(VALUES), 2), "Lowest": min(VALUES),
                                     "Highest": max(VALUES)})
    hist = table(f"Poll{pid}Histogram")
    counts = expected_counts(VALUES, bins(0, 50))
    assert hist[0] == ["From", "To", "Range", "Count", "Share"]
    assert [r[3] for r in hist[1:]] == counts and [(r[0], r[1]) for r in hist[1:]] == bins(0, 50)
    assert [r[4] for r in hist[1:]] == pytest.approx([c / len(VALUES) for c in counts])
    first, last = ws.tables[f"Poll{pid}Histogram"].ref.split(":")
    top, bottom = int(first[1:]) + 1, int(last[1:])
    assert {ws[f"E{r}"].number_format for r in range(top, bottom + 1)} == {"0%"}
    medians = {g: statistics.median([v for v, gg in zip(VALUES, groups, strict=True) if gg == g]) for g in set(groups)}
    split = table(f"Poll{pid}Groups")
    assert split[1][0] == "Median" and sorted(split[1][1:]) == sorted(medians.values())
    charts = ws._charts
    assert len(charts) == 2  # the histogram and the group split
    hist_chart = charts[0]
    assert hist_chart.type == "col" and hist_chart.tagname == "barChart"
    series = hist_chart.series[0]
    assert series.tx.v == "Count"
    assert series.cat.strRef.f == f"'Poll results'!$C${top}:$C${bottom}"  # the ranges along the bottom
    assert series.val.numRef.f == f"'Poll results'!$D${top}:$D${bottom}"  # the counts up

    def title(t: Any) -> str:
        return "".join(r.t for p in t.tx.rich.p for r in (p.r or []))

    assert (title(hist_chart.title), title(hist_chart.x_axis.title), title(hist_chart.y_axis.title)) == (
        "Cut in readmissions?", "%", "answers")
    assert hist_chart.y_axis.scaling.min == 0 and hist_chart.y_axis.majorUnit >= 1  # whole answers from 0
    raw = [row for row in book["Raw votes"].iter_rows(min_row=2, values_only=True) if row[0] == pid]
    assert sorted(r[9] for r in raw) == sorted(f"{number_text(v)} %" for v in VALUES)  # read with its unit
    sectors = [row for row in book["Sectors"].iter_rows(values_only=True) if row[1] == "Cut in readmissions?"]
    assert sectors and sectors[0][3] == "median 0–50 %"

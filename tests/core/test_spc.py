"""Statistical process control on data whose answer is known: a step change after the pilot
starts, a trend that began before it, noise with no signal, and too few points."""

from __future__ import annotations

import random

import pytest

from vbp_workshop.core.steps.spc import IMPROVING, NO_SIGNAL, TOO_FEW, WORSE, evaluate


def months(values: list[float], first: int = 1) -> list[tuple[str, float]]:
    """Monthly points from 2026-{first}: 2026-01-28, 2026-02-28, …"""
    out = []
    for i, v in enumerate(values):
        m = first - 1 + i
        out.append((f"{2026 + m // 12}-{m % 12 + 1:02d}-28", v))
    return out


def test_a_step_change_after_the_pilot_starts_is_improving() -> None:
    rng = random.Random(4)
    baseline = [40 + rng.uniform(-2, 2) for _ in range(10)]
    pilot = [50 + rng.uniform(-2, 2) for _ in range(8)]
    e = evaluate(months(baseline + pilot), start="2026-11-01")  # the 11th point is the first of the pilot
    assert e.verdict == IMPROVING and not e.began_before
    assert e.since_start == 8 and e.before_start == 10
    assert e.centre == pytest.approx(sorted(baseline)[4:6][0] / 2 + sorted(baseline)[4:6][1] / 2)
    assert e.limits is not None and e.limits[1] < 50  # each pilot point is beyond the baseline's limits
    assert any(s.startswith("a shift: 8 points in a row above") for s in e.signals)


def test_lower_is_better_reads_the_same_step_as_worse() -> None:
    baseline = [40, 41, 39, 40, 42, 38, 40, 41, 39, 40]
    e = evaluate(months([*baseline, 48, 49, 50, 47, 49, 48]), start="2026-11-01", direction="lower")
    assert e.verdict == WORSE


def test_a_trend_that_began_before_the_pilot_is_not_claimed_for_it() -> None:
    # Patients at target rising by a point a month from January; the pilot starts in July.
    rising = [41 + i for i in range(12)]
    e = evaluate(months(rising), start="2026-07-01")
    assert e.verdict == IMPROVING and e.began_before
    assert "began before the pilot started" in e.reason
    assert any(s.startswith("a trend: 12 points in a row rising") for s in e.signals)


def test_noise_with_no_signal() -> None:
    # Alternating about a level: no run of six on one side, no trend of five, no point outside.
    noise = [40, 43, 39, 42, 38, 41, 40, 44, 39, 42, 40, 43, 38, 41, 39, 42]
    e = evaluate(months(noise), start="2026-11-01")
    assert e.verdict == NO_SIGNAL and e.signals == []
    assert "ordinary variation" in e.reason


def test_too_few_points_since_the_pilot_began_support_no_conclusion() -> None:
    # One month into a 12-month repeat-event rate: the old RAG read this Red.
    e = evaluate(months([48, 47, 49, 48, 30]), start="2026-05-01", direction="lower")
    assert e.verdict == TOO_FEW and e.since_start == 1
    assert "5 more are needed" in e.reason
    e = evaluate(months([41, 47, 55]), start="")  # no start recorded: every point is the pilot's
    assert e.verdict == TOO_FEW and e.since_start == 3


def test_a_point_on_the_median_neither_breaks_nor_extends_a_shift() -> None:
    base = [40, 40, 41, 39, 40, 40]  # median 40
    e = evaluate(months([*base, 42, 43, 40, 42, 41, 43, 42]), start="2026-07-01")
    assert any(s.startswith("a shift: 6 points in a row above") for s in e.signals)


def test_a_metric_is_read_from_its_pilots_start_not_its_baseline_date(store) -> None:
    from vbp_workshop.core.model.changes import Insert
    from vbp_workshop.core.steps.checks import metric_readings

    store.apply([Insert("pilots", {"id": 1, "name": "Lipid clinics", "start_date": "2026-07-01"}),
                 Insert("metrics", {"id": 1, "pilot_id": 1, "name": "At target", "direction": "higher",
                                    "baseline_value": 41, "baseline_date": "2025-12-31", "target_value": 70})])
    # A rise from January; the pilot starts in July: the rise is not the pilot's alone.
    rising = months([41 + i for i in range(12)])
    store.apply([Insert("actuals", {"metric_id": 1, "date": d, "value": v}) for d, v in rising])
    (_m, reading), = metric_readings(store)
    assert reading.start == "2026-07-01" and reading.evaluation.since_start == 6
    assert reading.verdict == IMPROVING and reading.evaluation.began_before
    assert reading.latest == 52 and reading.target_met is False
    store.apply([Insert("pilots", {"id": 2, "name": "Later", "start_date": "2026-12-01"})])
    store.conn.execute("UPDATE metrics SET pilot_id = 2 WHERE id = 1")
    (_, later), = metric_readings(store)
    assert later.verdict == TOO_FEW  # one point since December


def test_a_case_study_cannot_claim_a_change_without_its_dated_period_and_what_began_before() -> None:
    from vbp_workshop.core.steps.spc import MetricReading, claim_problems

    rising = evaluate(months([41 + i for i in range(12)]), start="2026-07-01")  # began before the pilot
    reading = MetricReading(rising, 52, False, "2026-07-01")
    demo_claim = "In six months, patients at their cholesterol target rose from 41% to 55%."
    problems = claim_problems(demo_claim, [reading])
    assert len(problems) == 2 and "dates" in problems[0] and "before its pilot" in problems[1]
    honest = ("From July 2026 to December 2026 patients at target rose from 47% to 52%; the rise began "
              "before the pilot, and the clinics' share of it is read against the neighbouring PCN.")
    assert claim_problems(honest, [reading]) == []
    assert claim_problems("Seven partners agreed one ambition.", [reading]) == []  # states no change
    too_few = MetricReading(evaluate(months([41, 47, 55]), start=""), 55, False, "")
    assert any("not supported" in p for p in claim_problems(honest, [too_few]))


def test_a_rise_that_starts_from_the_last_point_before_the_pilot_is_the_pilots_own() -> None:
    flat_then_up = [40, 41, 40, 42, 41, 41, 44, 47, 49, 52, 54, 55]
    e = evaluate(months(flat_then_up), start="2026-07-01")
    assert e.verdict == IMPROVING and not e.began_before

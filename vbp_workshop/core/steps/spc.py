"""Has a pilot's metric changed? Statistical process control, as NHS England's "Making Data Count"
asks, instead of red/amber/green against a straight line from the baseline.

A metric's points are read in date order and split at the pilot's start: the points before it
are the baseline period, the points from it on are the pilot's. The rules:

- **Too few points.** Fewer than `MIN_POINTS` since the pilot began supports no conclusion: say
  so, whatever the values.
- **Centre line.** The median of the baseline period when it has `MIN_POINTS` or more points
  (what the pilot is compared with), else the median of every point (a run chart).
- **Shift.** `SHIFT` or more consecutive points since the start on the same side of the centre
  line (a point on the line neither breaks nor extends a run).
- **Trend.** `TREND` or more consecutive points each higher (or each lower) than the one before.
- **Outside the limits.** With `XMR_MIN` or more baseline points, the natural process limits
  are mean ± 2.66 × the mean moving range of the baseline (an XmR chart); a point since the start
  beyond them is a signal.

A signal in the metric's better direction is *improving*, in the other *worse*; none is *no
signal*. A signal whose run has `EARLY` or more points before the pilot's start is reported as
*began before the pilot*: the pilot cannot claim it alone.
"""

from __future__ import annotations

import itertools
import re
import statistics
from dataclasses import dataclass, field

MIN_POINTS = 6
SHIFT = 6
TREND = 5
XMR_MIN = 10
XMR_FACTOR = 2.66
EARLY = 3  # points of a signal's run before the pilot's start that make it "began before"

IMPROVING, WORSE, NO_SIGNAL, TOO_FEW = "improving", "worse", "no signal", "too few points"
VERDICT_LABELS = {IMPROVING: "Improving", WORSE: "Getting worse", NO_SIGNAL: "No signal of change",
                  TOO_FEW: "Too few points to tell"}


@dataclass(frozen=True)
class Evaluation:
    verdict: str  # IMPROVING, WORSE, NO_SIGNAL or TOO_FEW
    reason: str  # the rule that decided, in a facilitator's words
    centre: float | None  # the centre line (median)
    limits: tuple[float, float] | None  # natural process limits, when the baseline allows
    since_start: int  # points from the pilot's start on
    before_start: int  # points of the baseline period
    began_before: bool = False  # the signal's run started before the pilot did
    signals: list[str] = field(default_factory=list)  # every rule that fired

    @property
    def label(self) -> str:
        return VERDICT_LABELS[self.verdict]


def _runs_on_one_side(values: list[float], centre: float) -> list[tuple[int, int, int]]:
    """(first index, last index, side) of each run of points on one side of the centre line;
    a point on the line is skipped (it neither breaks nor extends a run)."""
    runs: list[tuple[int, int, int]] = []
    start, side, last, count = -1, 0, -1, 0
    for i, v in enumerate(values):
        s = (v > centre) - (v < centre)
        if s == 0:
            continue
        if s == side:
            last, count = i, count + 1
        else:
            if side:
                runs.append((start, last, side * count))
            start, side, last, count = i, s, i, 1
    if side:
        runs.append((start, last, side * count))
    return runs


def _trends(values: list[float]) -> list[tuple[int, int, int]]:
    """(first index, last index, +1 rising / -1 falling) of each run of `TREND` or more points,
    each higher (or lower) than the one before (an equal neighbour breaks a trend)."""
    out = []
    i, n = 0, len(values)
    while i < n - 1:
        d = (values[i + 1] > values[i]) - (values[i + 1] < values[i])
        if d == 0:
            i += 1
            continue
        j = i + 1
        while j + 1 < n and (values[j + 1] > values[j]) - (values[j + 1] < values[j]) == d:
            j += 1
        if j - i + 1 >= TREND:
            out.append((i, j, d))
        i = j
    return out


def evaluate(points: list[tuple[str, float]], start: str, direction: str = "higher") -> Evaluation:
    """Evaluate (ISO date, value) points against the pilot's `start` date (ISO; '' when not
    recorded: every point is then the pilot's). `direction` is 'higher' or 'lower' (better)."""
    ordered = sorted((d, float(v)) for d, v in points if d)
    before = [v for d, v in ordered if start and d < start]
    after_at = len(before)
    values = [v for _, v in ordered]
    since = len(values) - after_at
    better = 1 if direction != "lower" else -1
    if since < MIN_POINTS:
        need = MIN_POINTS - since
        return Evaluation(TOO_FEW, f"{since} point{'s' if since != 1 else ''} since the pilot began; "
                          f"{need} more are needed before any change can be read", None, None, since, len(before))
    centre = statistics.median(before) if len(before) >= MIN_POINTS else statistics.median(values)
    limits = None
    if len(before) >= XMR_MIN:
        mean = statistics.fmean(before)
        moving = statistics.fmean(abs(b - a) for a, b in itertools.pairwise(before))
        limits = (mean - XMR_FACTOR * moving, mean + XMR_FACTOR * moving)
    found: list[tuple[int, int, str, int]] = []  # (first, last, what, side)
    for first, last, signed in _runs_on_one_side(values, centre):
        if abs(signed) >= SHIFT and last >= after_at:
            side = 1 if signed > 0 else -1
            found.append((first, last, f"a shift: {abs(signed)} points in a row {'above' if side > 0 else 'below'} "
                          f"the median ({centre:g})", side))
    for first, last, side in _trends(values):
        if last >= after_at:
            found.append((first, last, f"a trend: {last - first + 1} points in a row "
                          f"{'rising' if side > 0 else 'falling'}", side))
    if limits is not None:
        for i in range(after_at, len(values)):
            v = values[i]
            if v > limits[1] or v < limits[0]:
                side = 1 if v > limits[1] else -1
                found.append((i, i, f"a point outside the natural process limits ({limits[0]:.3g}–{limits[1]:.3g})",
                              side))
    if not found:
        return Evaluation(NO_SIGNAL, "no shift, trend or point outside the limits since the pilot began: "
                          "what moved is within the ordinary variation", centre, limits, since, len(before))
    sides = {side for *_, side in found}
    verdict = IMPROVING if sides == {better} else WORSE if sides == {-better} else NO_SIGNAL
    # A run that began before the start: at least `EARLY` of its points (off the centre line)
    # come before it. One point above the median just before the pilot is noise, not a change
    # already under way; three are.
    def early(first: int, what: str) -> int:
        return sum(1 for i in range(first, after_at) if what.startswith("a trend") or values[i] != centre)

    began_before = bool(start) and any(early(first, what) >= EARLY for first, _last, what, _side in found)
    reason = "; ".join(what for _, _, what, _ in found)
    if verdict == NO_SIGNAL:
        reason = "signals in both directions: " + reason
    if began_before:
        reason += ". The change began before the pilot started: it cannot be claimed for the pilot alone"
    return Evaluation(verdict, reason, centre, limits, since, len(before), began_before,
                      [what for _, _, what, _ in found])


# -- a metric of the workshop -------------------------------------------------------------------

READING_COLOURS = {IMPROVING: "#2E7D32", WORSE: "#C0262D", NO_SIGNAL: "#5B6770", TOO_FEW: "#8A8A8A"}


@dataclass(frozen=True)
class MetricReading:
    """What step 5, the Summary and the workbook show for one metric."""

    evaluation: Evaluation
    latest: float | None
    target_met: bool | None  # the latest value against the target (information, not the verdict)
    start: str

    @property
    def verdict(self) -> str:
        return self.evaluation.verdict


def read_metric(metric: dict[str, object], actuals: list[dict[str, object]], start: str) -> MetricReading:
    """The metric's SPC reading from its actuals and its pilot's start date."""
    points = [(str(a.get("date") or ""), float(a["value"]))  # type: ignore[arg-type]
              for a in actuals if a.get("value") is not None and a.get("date")]
    direction = str(metric.get("direction") or "higher")
    e = evaluate(points, start, direction)
    latest = max(points)[1] if points else None
    target = metric.get("target_value")
    met = None
    if latest is not None and isinstance(target, int | float):
        met = latest <= target if direction == "lower" else latest >= target
    return MetricReading(e, latest, met, start)


def pilot_starts(pilots: list[dict[str, object]]) -> dict[object, str]:
    """pilot id -> its start date ('' when not recorded)."""
    return {p["id"]: str(p.get("start_date") or "") for p in pilots}


# -- what the case study may claim ----------------------------------------------------------------

_CHANGE = re.compile(r"\b(rose|fell|grew|dropped|increased|decreased|improved|reduced|cut|doubled|halved)\b|"
                     r"\bfrom\s+[£$€]?\d[\d.,]*\s*%?\s+to\s+[£$€]?\d", re.I)
_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
           "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_DATED = re.compile(rf"\b(?:{_MONTHS})\b\.?\s*(?:19|20)\d\d\b|\b(?:19|20)\d\d-\d\d(?:-\d\d)?\b|"
                    rf"\b\d{{1,2}}[/.]\d{{1,2}}[/.](?:19|20)?\d\d\b|\bQ[1-4]\s*(?:19|20)\d\d\b", re.I)
_BEFORE = re.compile(r"before the pilot|already (?:rising|falling|improving)|began before|started before", re.I)


def claim_problems(text: str, readings: list[MetricReading]) -> list[str]:
    """What a share-the-success text must add before it states a change: the period the change
    covers (dated, not "in six months"), and, when a metric's change began before its pilot,
    that it did. [] when the text states no change, or says both."""
    if not _CHANGE.search(text or ""):
        return []
    problems = []
    if len(_DATED.findall(text)) < 2:
        problems.append("Say which period the change covers, with its dates (from October 2026 to April 2027), "
                        "not only how long it took.")
    if any(r.evaluation.began_before for r in readings) and not _BEFORE.search(text):
        problems.append("A metric was already changing before its pilot began: say so, and what the pilot "
                        "added beyond it (the comparator and what else changed).")
    if readings and all(r.verdict in (TOO_FEW, NO_SIGNAL) for r in readings):
        problems.append("No metric shows a change yet by the rules of statistical process control: a claim of "
                        "change is not supported.")
    return problems

"""Number: each person gives one numeric estimate within the poll's range (a target, a time).

"What reduction in 30-day readmissions should the pilot target (%)?": answers are numbers from
`min` to `max` (whole numbers, set in the editor) with at most one decimal place, in an optional
`unit`. The room's answer is its median and middle half (the quartiles), with a histogram; the
group measure is the group's median placed on the range, so groups and sectors compare as the
other kinds do. A hand count is the value a group agreed and how many people agreed it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from vbp_workshop.core.model.poll import BallotError, Poll, PollKind
from vbp_workshop.core.model.tally import Ballot, Tally
from vbp_workshop.core.model.text import clean_text
from vbp_workshop.core.polls.kinds.base import answer_of, share, value_pairs, weight, weighted_median, wmean

__all__ = ["KIND", "MAX_UNIT", "RANGE_LIMIT", "bins", "number_text", "quantile"]

MAX_UNIT = 12  # "%", "months", "£ per patient": a short label, not a sentence
RANGE_LIMIT = 10**9  # the widest range a poll may set: far beyond any estimate, well inside a float
MAX_BINS = 10  # bars in the histogram: readable from the back of the room
# Range widths a person reads at a glance: 1, 2 or 5 × 10^k, from 0.1 (answers have one decimal)
# up to ranges past RANGE_LIMIT in MAX_BINS steps.
WIDTHS = tuple(n * 10**e for e in range(10) for n in (1, 2, 5))


def number_text(v: float) -> str:
    """A value as people read it: at most one decimal place, none when whole ("12", "12.5"),
    halves rounded up as people do (12.25 reads "12.3", not the float's "12.2")."""
    text = str(Decimal(repr(float(v))).quantize(Decimal("0.1"), ROUND_HALF_UP))
    return "0" if text == "-0.0" else text.removesuffix(".0")


def quantile(pairs: Sequence[tuple[float, float]], q: float) -> float:
    """The q-quantile of (value, weight) pairs (at least one), a weight being that many people
    with the value: linear between the two nearest of the sorted values (as Excel's
    QUARTILE.INC and `statistics.quantiles(method="inclusive")`)."""
    ordered = sorted(pairs)
    pos = q * (sum(w for _, w in ordered) - 1)  # 0-based position among the people, by value

    def at(i: float) -> float:
        seen = 0.0
        for v, w in ordered:
            seen += w
            if seen > i:
                return v
        return ordered[-1][0]

    below = math.floor(pos)
    lo, hi = at(below), at(below + 1)
    return lo + (hi - lo) * (pos - below)


def bins(lo: int, hi: int) -> list[tuple[float, float]]:
    """The histogram's value ranges from `lo` to `hi`: the narrowest round width (`WIDTHS`, in
    tenths so the edges are exact) that needs at most MAX_BINS of them; the last ends at `hi`."""
    tenths = 10 * (hi - lo)
    width = next(w for w in WIDTHS if -(-tenths // w) <= MAX_BINS)
    count = -(-tenths // width)  # whole tenths: no float rounding decides the count
    return [((10 * lo + i * width) / 10, min(10 * hi, 10 * lo + (i + 1) * width) / 10) for i in range(count)]


def _range_problem(lo: Any, hi: Any) -> str:
    for v in (lo, hi):
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v) or v != int(v):
            return "The lowest and highest answers must be whole numbers."
        if abs(v) > RANGE_LIMIT:
            return f"Keep the range within ±{RANGE_LIMIT:,}."
    return "The highest answer must be above the lowest." if hi <= lo else ""


class Number(PollKind):
    name = "number"
    label = "Number (estimate)"
    needs_options = False
    editor_fields = frozenset({"min", "max", "unit"})
    hand_form = "value"
    hand_people_label = "How many people agreed this value"
    hand_hint = "Enter the value the group agreed, and how many people agreed it."
    group_measure = "median"

    # -- definition --------------------------------------------------------------------------

    def scale_range(self, poll: Poll) -> tuple[int, int]:
        """The poll's range, or 0–100 while its settings cannot be used (it cannot open then)."""
        lo, hi = poll.settings.get("min", 0), poll.settings.get("max", 100)
        return (0, 100) if _range_problem(lo, hi) else (int(lo), int(hi))

    def unit(self, poll: Poll) -> str:
        return clean_text(str(poll.settings.get("unit", "")), single_line=True)[:MAX_UNIT]

    def settings_problem(self, poll: Poll) -> str:
        problem = _range_problem(poll.settings.get("min", 0), poll.settings.get("max", 100))
        if not problem and len(clean_text(str(poll.settings.get("unit", "")), single_line=True)) > MAX_UNIT:
            return f"Keep the unit to {MAX_UNIT} characters (e.g. %, months)."
        return problem

    def with_unit(self, poll: Poll, v: float) -> str:
        return f"{number_text(v)} {self.unit(poll)}".strip()

    # -- a ballot ----------------------------------------------------------------------------

    def validate(self, poll: Poll, answer: Any, hand: bool) -> Any:
        lo, hi = self.scale_range(poll)
        if isinstance(answer, bool) or not isinstance(answer, int | float):
            raise BallotError("Enter a number.")
        if isinstance(answer, float) and not math.isfinite(answer):
            raise BallotError("Enter a number.")
        if not lo <= answer <= hi:  # an int is compared as it is: a huge one never becomes a float
            raise BallotError(f"Enter a number from {lo} to {hi}.")
        value = float(answer)
        if round(value, 1) != value:
            raise BallotError("Use at most one decimal place.")
        return int(value) if value.is_integer() else value

    # -- a round -----------------------------------------------------------------------------

    def tally(self, poll: Poll, ballots: Sequence[Ballot], t: Tally) -> None:
        lo, hi = self.scale_range(poll)
        t.unit = self.unit(poll)
        t.bins = bins(lo, hi)
        pairs = [(float(answer_of(b)), weight(b)) for b in ballots if weight(b) > 0]
        counts = [0.0] * len(t.bins)
        for v, w in pairs:
            # Each range holds its lower end; the last also holds the top of the range.
            i = next((i for i, (_, end) in enumerate(t.bins) if v < end), len(t.bins) - 1)
            counts[i] += w
        t.counts = counts
        t.percents = share(counts, sum(counts))
        t.labels = [f"{number_text(a)}–{number_text(b)}" for a, b in t.bins]
        t.mean = wmean(pairs)
        t.median = weighted_median(pairs)
        if pairs:
            t.stats = {"q1": quantile(pairs, 0.25), "q3": quantile(pairs, 0.75),
                       "low": min(v for v, _ in pairs), "high": max(v for v, _ in pairs)}

    def headline(self, t: Tally) -> str:
        if t.median is None or not t.stats:
            return ""
        median = f"{number_text(t.median)} {t.unit}".strip()
        return f"Median {median} (middle half {number_text(t.stats['q1'])}–{number_text(t.stats['q3'])})"

    def profile(self, t: Tally, poll: Poll) -> list[float]:
        lo, hi = self.scale_range(poll)
        at = t.median if t.median is not None else lo
        return [min(1.0, max(0.0, (at - lo) / ((hi - lo) or 1)))]

    # -- what a phone sees --------------------------------------------------------------------

    def public(self, poll: Poll) -> dict[str, Any]:
        return {"unit": self.unit(poll), "step": 0.1}

    def result(self, poll: Poll, t: Tally) -> dict[str, Any]:
        out: dict[str, Any] = {"bars": [[lbl, round(p, 1)] for lbl, p in zip(t.labels, t.percents, strict=False)],
                               "unit": t.unit, "median": t.median}
        if t.stats:
            out.update(q1=round(t.stats["q1"], 2), q3=round(t.stats["q3"], 2))
        return out

    # -- the workbook -------------------------------------------------------------------------

    def readable(self, poll: Poll, answer: Any) -> str:
        return self.with_unit(poll, float(answer))

    def group_items(self, poll: Poll) -> list[str]:
        return ["Median"]

    def group_values(self, t: Tally, poll: Poll) -> list[float | None]:
        return [t.median]

    def group_axis_title(self, poll: Poll) -> str:
        unit = self.unit(poll)
        return f"median ({unit})" if unit else "median"

    # -- items, for the sector sheet and the divergence ranking ------------------------------

    def item_labels(self, poll: Poll) -> list[str]:
        return [poll.question]

    def item_values(self, poll: Poll, t: Tally) -> list[float | None]:
        return [t.median]

    def sector_measure(self, poll: Poll) -> str:
        lo, hi = self.scale_range(poll)
        return f"median {lo}–{hi}{' ' + self.unit(poll) if self.unit(poll) else ''}"

    def rated(self, poll: Poll, ballots: Sequence[Ballot]) -> list[list[tuple[float, float]]]:
        return [value_pairs((float(answer_of(b)), weight(b)) for b in ballots)]

    def scores(self, poll: Poll, t: Tally) -> list[float]:
        return [t.median if t.median is not None else float("-inf")]


KIND = Number()

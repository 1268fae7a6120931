"""Scale: each person gives one whole number on a range (0–10 unless the poll says otherwise)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from vbp_workshop.core.model.poll import Poll, PollKind
from vbp_workshop.core.model.tally import Ballot, Tally
from vbp_workshop.core.polls.kinds.base import answer_of, level, share, value_pairs, weight, weighted_median, wmean


class Scale(PollKind):
    name = "scale"
    label = "Scale"
    needs_options = False
    editor_fields = frozenset({"min", "max"})
    hand_form = "levels"
    group_measure = "mean"

    def settings_problem(self, poll: Poll) -> str:
        lo, hi = self.scale_range(poll)
        return "The scale's maximum must be above its minimum." if hi <= lo else ""

    def validate(self, poll: Poll, answer: Any, hand: bool) -> Any:
        return level(answer, *self.scale_range(poll))

    def tally(self, poll: Poll, ballots: Sequence[Ballot], t: Tally) -> None:
        lo, hi = self.scale_range(poll)
        t.levels = list(range(lo, hi + 1))
        counts = [0.0] * len(t.levels)
        pairs = []
        for b in ballots:
            v = int(answer_of(b))
            counts[v - lo] += weight(b)
            pairs.append((float(v), weight(b)))
        t.counts = counts
        t.percents = share(counts, t.respondents)
        t.mean = wmean(pairs)
        t.median = weighted_median(pairs)

    def headline(self, t: Tally) -> str:
        return f"Mean {t.mean:.1f}, median {t.median:g}" if t.mean is not None else ""

    def profile(self, t: Tally, poll: Poll) -> list[float]:
        lo, hi = self.scale_range(poll)
        return [((t.mean if t.mean is not None else lo) - lo) / ((hi - lo) or 1)]

    def result(self, poll: Poll, t: Tally) -> dict[str, Any]:
        return {"bars": [[str(lv), round(p, 1)] for lv, p in zip(t.levels, t.percents, strict=False)]}

    def summary_rows(self, t: Tally) -> list[list[Any]]:
        """Rows the workbook adds under the mean and the median."""
        return []

    def item_labels(self, poll: Poll) -> list[str]:
        return [poll.question]

    def item_values(self, poll: Poll, t: Tally) -> list[float | None]:
        return [t.mean]

    def sector_measure(self, poll: Poll) -> str:
        lo, hi = self.scale_range(poll)
        return f"mean {lo}–{hi}"

    def rated(self, poll: Poll, ballots: Sequence[Ballot]) -> list[list[tuple[float, float]]]:
        return [value_pairs((float(answer_of(b)), weight(b)) for b in ballots)]

    def scores(self, poll: Poll, t: Tally) -> list[float]:
        return [t.mean if t.mean is not None else float("-inf")]

    def group_items(self, poll: Poll) -> list[str]:
        return ["Mean"]

    def group_values(self, t: Tally, poll: Poll) -> list[float | None]:
        return [t.mean]


KIND = Scale()

"""Ranking: each person orders the options (all or only their top few); Borda points."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from vbp_workshop.core.model.poll import BallotError, Poll, PollKind
from vbp_workshop.core.model.tally import Ballot, Tally
from vbp_workshop.core.polls.kinds.base import answer_of, index, leading, option_name, weight


class Ranking(PollKind):
    name = "ranking"
    label = "Ranking"
    hand_hint = "Count the hands for each option as first choice."
    group_measure = "Borda score relative to the top option"
    group_shares = True

    def hand_answer(self, key: Any) -> Any:
        return [key]

    def validate(self, poll: Poll, answer: Any, hand: bool) -> Any:
        if not isinstance(answer, list) or not answer:
            raise BallotError("Rank at least one option.")
        order = [index(a, len(poll.options)) for a in answer]
        if len(set(order)) != len(order):
            raise BallotError("Each option can be ranked once.")
        return order

    def tally(self, poll: Poll, ballots: Sequence[Ballot], t: Tally) -> None:
        # Borda: with n options, first place earns n-1 points ... last earns 0. In a partial
        # ranking the unranked options share no points (they are below every ranked one).
        n = len(poll.options)
        borda = [0.0] * n
        dist = [[0.0] * n for _ in range(n)]  # option -> count per rank position
        for b in ballots:
            w = weight(b)
            for pos, opt in enumerate(answer_of(b)):
                borda[opt] += w * (n - 1 - pos)
                dist[opt][pos] += w
        t.counts = borda
        t.distribution = dist

    def headline(self, t: Tally) -> str:
        return leading(t)

    def profile(self, t: Tally, poll: Poll) -> list[float]:
        top = max(t.counts, default=0.0) or 1.0
        return [c / top for c in t.counts]

    def result(self, poll: Poll, t: Tally) -> dict[str, Any]:
        top = max(t.counts, default=0.0) or 1.0
        return {"bars": [[lbl, round(100 * c / top, 1)] for lbl, c in zip(t.labels, t.counts, strict=False)]}

    def sector_measure(self, poll: Poll) -> str:
        return 'Borda score'

    def item_values(self, poll: Poll, t: Tally) -> list[float | None]:
        return list(t.counts)

    def group_axis_title(self, poll: Poll) -> str:
        return "% of the top score"

    def readable(self, poll: Poll, answer: Any) -> str:
        return "; ".join(f"{n}. {option_name(poll, i)}" for n, i in enumerate(answer, 1))


KIND = Ranking()

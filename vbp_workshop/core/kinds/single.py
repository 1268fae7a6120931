"""Single choice: each person picks one option."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from vbp_workshop.core.kinds.base import PollKind, answer_of, index, leading, share, weight
from vbp_workshop.core.polls import Poll
from vbp_workshop.core.tally import Ballot, Tally


class Single(PollKind):
    name = "single"
    label = "Single choice"
    distance = "shares"

    def validate(self, poll: Poll, answer: Any, hand: bool) -> Any:
        return index(answer, len(poll.options))

    def tally(self, poll: Poll, ballots: Sequence[Ballot], t: Tally) -> None:
        counts = [0.0] * len(poll.options)
        for b in ballots:
            counts[answer_of(b)] += weight(b)
        t.counts = counts
        t.percents = share(counts, t.respondents)

    def headline(self, t: Tally) -> str:
        return leading(t)

    def profile(self, t: Tally, poll: Poll) -> list[float]:
        return [p / 100 for p in t.percents]


KIND = Single()

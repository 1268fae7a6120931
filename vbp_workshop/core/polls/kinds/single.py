"""Single choice: each person picks one option."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from vbp_workshop.core.model.poll import Poll, PollKind
from vbp_workshop.core.model.tally import Ballot, Tally
from vbp_workshop.core.polls.kinds.base import answer_of, index, leading, option_name, share, weight


class Single(PollKind):
    name = "single"
    label = "Single choice"
    distance = "shares"
    group_measure = "share choosing each option"
    group_shares = True

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

    def sector_measure(self, poll: Poll) -> str:
        return '% of answers'

    def item_values(self, poll: Poll, t: Tally) -> list[float | None]:
        return list(t.percents)

    def readable(self, poll: Poll, answer: Any) -> str:
        return option_name(poll, answer)


KIND = Single()

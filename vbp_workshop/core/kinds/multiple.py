"""Multiple choice: each person picks up to `max_choices` options."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from vbp_workshop.core.kinds.base import PollKind, answer_of, index, leading, share, weight
from vbp_workshop.core.polls import BallotError, Poll
from vbp_workshop.core.tally import Ballot, Tally


class Multiple(PollKind):
    name = "multiple"
    label = "Multiple choice"
    editor_fields = frozenset({"max_choices"})
    hand_hint = "Count the hands for each option; a person may raise a hand more than once."

    def hand_answer(self, key: Any) -> Any:
        return [key]

    def validate(self, poll: Poll, answer: Any, hand: bool) -> Any:
        if not isinstance(answer, list) or not answer:
            raise BallotError("Pick at least one option.")
        picks = sorted({index(a, len(poll.options)) for a in answer})
        if len(picks) != len(answer):
            raise BallotError("Each option can be picked once.")
        if len(picks) > poll.max_choices and not hand:
            raise BallotError(f"Pick at most {poll.max_choices}.")
        return picks

    def tally(self, poll: Poll, ballots: Sequence[Ballot], t: Tally) -> None:
        counts = [0.0] * len(poll.options)
        for b in ballots:
            for i in answer_of(b):
                counts[i] += weight(b)
        t.counts = counts
        t.percents = share(counts, t.respondents)

    def headline(self, t: Tally) -> str:
        return leading(t)

    def profile(self, t: Tally, poll: Poll) -> list[float]:
        return [p / 100 for p in t.percents]

    def public(self, poll: Poll) -> dict[str, Any]:
        return {"max_choices": poll.max_choices}


KIND = Multiple()

"""Multiple choice: each person picks up to `max_choices` options."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from vbp_workshop.core.model.poll import BallotError, Poll, PollKind
from vbp_workshop.core.model.tally import Ballot, Tally
from vbp_workshop.core.polls.kinds.base import (
    HAND_MAX,
    answer_of,
    index,
    keyed,
    leading,
    level,
    option_name,
    share,
    weight,
)


class Multiple(PollKind):
    name = "multiple"
    label = "Multiple choice"
    editor_fields = frozenset({"max_choices"})
    group_measure = "share choosing each option"
    group_shares = True
    # A person may raise a hand for several options, so hands are not people: the form asks
    # for both, and the entry keeps the hands per option with the people as its weight.
    hand_people = True
    hand_hint = ("Count the hands for each option, then how many people voted "
                 "(a person may raise a hand more than once).")

    def hand_answer(self, key: Any) -> Any:
        return [key]

    def validate(self, poll: Poll, answer: Any, hand: bool) -> Any:
        if hand and isinstance(answer, dict):  # a group's hands per option
            hands = {str(k): level(v, 0, HAND_MAX) for k, v in sorted(keyed(answer, len(poll.options)).items())}
            if not any(hands.values()):
                raise BallotError("Count at least one hand.")
            return {k: v for k, v in hands.items() if v}
        if not isinstance(answer, list) or not answer:
            raise BallotError("Pick at least one option.")
        picks = sorted({index(a, len(poll.options)) for a in answer})
        if len(picks) != len(answer):
            raise BallotError("Each option can be picked once.")
        if len(picks) > poll.max_choices and not hand:
            raise BallotError(f"Pick at most {poll.max_choices}.")
        return picks

    def hand_weight(self, clean: Any, count: int) -> int:
        if isinstance(clean, dict) and count < max(clean.values()):
            raise BallotError(f"{max(clean.values())} hands for one option, but only {count} people voted.")
        return count

    def tally(self, poll: Poll, ballots: Sequence[Ballot], t: Tally) -> None:
        counts = [0.0] * len(poll.options)
        for b in ballots:
            picks = answer_of(b)
            if isinstance(picks, dict):  # a hand count: hands per option; its weight is people
                for k, hands in picks.items():
                    counts[int(k)] += hands
                continue
            for i in picks:
                counts[i] += weight(b)
        t.counts = counts
        t.percents = share(counts, t.respondents)

    def headline(self, t: Tally) -> str:
        return leading(t)

    def profile(self, t: Tally, poll: Poll) -> list[float]:
        return [p / 100 for p in t.percents]

    def public(self, poll: Poll) -> dict[str, Any]:
        return {"max_choices": poll.max_choices}

    def sector_measure(self, poll: Poll) -> str:
        return '% choosing'

    def item_values(self, poll: Poll, t: Tally) -> list[float | None]:
        return list(t.percents)

    def readable(self, poll: Poll, answer: Any) -> str:
        if isinstance(answer, dict):  # a hand count: hands per option
            return "; ".join(f"{option_name(poll, i)}: {v} hands" for i, v in answer.items())
        return "; ".join(option_name(poll, i) for i in answer)


KIND = Multiple()

"""Points (dot voting): each person spreads a budget of points over the options."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from vbp_workshop.core.model.poll import BallotError, Poll, PollKind
from vbp_workshop.core.model.tally import Ballot, Tally
from vbp_workshop.core.polls.kinds.base import HAND_MAX, answer_of, keyed, leading, level, option_name, share, weight


class Points(PollKind):
    name = "points"
    label = "Points / dot voting"
    distance = "shares"
    group_measure = "share of points"
    group_shares = True
    editor_fields = frozenset({"budget"})
    hand_people = True  # points are not people: the form asks for both
    hand_people_label = "How many people placed these points"
    hand_hint = "Enter the total points (or dots) the group gave each option, and how many people placed them."

    def validate(self, poll: Poll, answer: Any, hand: bool) -> Any:
        spread = keyed(answer, len(poll.options))
        clean = {str(k): level(v, 0, poll.budget if not hand else HAND_MAX) for k, v in sorted(spread.items())}
        total = sum(clean.values())
        if total <= 0:
            raise BallotError("Place at least one point.")
        if total > poll.budget and not hand:
            raise BallotError(f"That is {total} points; the budget is {poll.budget}.")
        return {k: v for k, v in clean.items() if v}

    def tally(self, poll: Poll, ballots: Sequence[Ballot], t: Tally) -> None:
        totals = [0.0] * len(poll.options)
        for b in ballots:
            # A hand count holds the group's total points and, as its weight, how many people
            # placed them: the points are not multiplied by the people.
            times = 1.0 if b.get("source") == "hand" else weight(b)
            for k, v in answer_of(b).items():
                totals[int(k)] += v * times
        t.counts = totals
        t.percents = share(totals, sum(totals))

    def headline(self, t: Tally) -> str:
        return leading(t)

    def profile(self, t: Tally, poll: Poll) -> list[float]:
        return [p / 100 for p in t.percents]

    def public(self, poll: Poll) -> dict[str, Any]:
        return {"budget": poll.budget}

    def sector_measure(self, poll: Poll) -> str:
        return '% of points'

    def item_values(self, poll: Poll, t: Tally) -> list[float | None]:
        return list(t.percents)

    def group_axis_title(self, poll: Poll) -> str:
        return "% of points"

    def readable(self, poll: Poll, answer: Any) -> str:
        return "; ".join(f"{option_name(poll, i)}: {v}" for i, v in answer.items())


KIND = Points()

"""Agreement: each person rates each statement from 1 (strongly disagree) to 5 (strongly agree)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from vbp_workshop.core.model.poll import AGREEMENT_LABELS as LABELS
from vbp_workshop.core.model.poll import BallotError, Poll, PollKind
from vbp_workshop.core.model.tally import Ballot, Tally
from vbp_workshop.core.polls.kinds.base import (
    HAND_MAX,
    answer_of,
    keyed,
    level,
    mean_scores,
    option_name,
    value_pairs,
    weight,
    wmean,
)

__all__ = ["KIND", "LABELS"]


class Agreement(PollKind):
    name = "agreement"
    label = "Agreement (1–5)"
    fewest_options = 1
    hand_form = "statements"
    hand_hint = "For each statement, count the hands at each level."
    group_measure = "mean agreement (1–5)"
    # The form's grid is one entry: the hands per statement and level. Each person rates each
    # statement once, so the people are the most hands any one statement got: no second
    # question, and someone sitting out one statement is still counted once.

    def scale_range(self, poll: Poll) -> tuple[int, int]:
        return (1, 5)

    def hand_answer(self, key: Any) -> Any:
        statement, lvl = key
        return {str(statement): lvl}

    def validate(self, poll: Poll, answer: Any, hand: bool) -> Any:
        if hand and isinstance(answer, dict) and any(isinstance(v, list) for v in answer.values()):
            grid: dict[str, list[int]] = {}
            for k, row in sorted(keyed(answer, len(poll.options)).items()):
                if not isinstance(row, list) or len(row) != 5:
                    raise BallotError("Give the hands at each of the five levels.")
                grid[str(k)] = [level(h, 0, HAND_MAX) for h in row]
            if not any(any(row) for row in grid.values()):
                raise BallotError("Count at least one hand.")
            return {k: row for k, row in grid.items() if any(row)}
        return {str(k): level(v, 1, 5) for k, v in sorted(keyed(answer, len(poll.options)).items())}

    def hand_weight(self, clean: Any, count: int) -> int:
        if isinstance(clean, dict) and all(isinstance(v, list) for v in clean.values()):
            return max(sum(row) for row in clean.values())
        return count

    def tally(self, poll: Poll, ballots: Sequence[Ballot], t: Tally) -> None:
        dist = [[0.0] * 5 for _ in poll.options]
        for b in ballots:
            for k, v in answer_of(b).items():
                if isinstance(v, list):  # a hand count's hands at each level
                    for lvl, hands in enumerate(v):
                        dist[int(k)][lvl] += hands
                else:
                    dist[int(k)][int(v) - 1] += weight(b)
        t.distribution = dist
        t.means = [wmean((lvl + 1, c) for lvl, c in enumerate(row)) for row in dist]
        # "Agreeing": agree or strongly agree.
        t.share_agreeing = [100 * (row[3] + row[4]) / sum(row) if sum(row) else None for row in dist]

    def headline(self, t: Tally) -> str:
        known = [(v, i) for i, v in enumerate(t.share_agreeing or t.means) if v is not None]
        if not known:
            return ""
        top, i = max(known)
        return f"Most agreed: {t.labels[i]} ({top:.0f}%)"

    def profile(self, t: Tally, poll: Poll) -> list[float]:
        return [((m or 3) - 1) / 4 for m in t.means]

    def result(self, poll: Poll, t: Tally) -> dict[str, Any]:
        return {"bars": [[lbl, round(s or 0, 1)] for lbl, s in zip(t.labels, t.share_agreeing, strict=False)]}

    def readable(self, poll: Poll, answer: Any) -> str:
        if any(isinstance(v, list) for v in answer.values()):  # a hand count: hands per level
            return "; ".join(
                f"{option_name(poll, i)}: " + ", ".join(f"{lbl} {h}" for lbl, h in zip(LABELS, v, strict=False) if h)
                for i, v in answer.items())
        return "; ".join(f"{option_name(poll, i)}: {LABELS[int(v) - 1]}" for i, v in answer.items())

    def item_values(self, poll: Poll, t: Tally) -> list[float | None]:
        return list(t.means)

    def sector_measure(self, poll: Poll) -> str:
        return "mean 1–5"

    def rated(self, poll: Poll, ballots: Sequence[Ballot]) -> list[list[tuple[float, float]]]:
        per: list[list[tuple[float, float]]] = [[] for _ in poll.options]
        for b in ballots:
            w = weight(b)
            for k, v in answer_of(b).items():
                if isinstance(v, list):  # a hand count: the hands at each level
                    per[int(k)] += [(float(lvl), hands) for lvl, hands in enumerate(v, 1)]
                else:
                    per[int(k)].append((float(v), w))
        return [value_pairs(p) for p in per]

    def scores(self, poll: Poll, t: Tally) -> list[float]:
        return mean_scores(poll, t)

    def group_values(self, t: Tally, poll: Poll) -> list[float | None]:
        return list(t.means)


KIND = Agreement()

"""Agreement: each person rates each statement from 1 (strongly disagree) to 5 (strongly agree)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from vbp_workshop.core.kinds.base import PollKind, answer_of, keyed, level, weight, wmean
from vbp_workshop.core.polls import AGREEMENT_LABELS as LABELS
from vbp_workshop.core.polls import Poll
from vbp_workshop.core.tally import Ballot, Tally

__all__ = ["KIND", "LABELS"]


class Agreement(PollKind):
    name = "agreement"
    label = "Agreement (1–5)"
    fewest_options = 1
    hand_form = "statements"
    hand_hint = "For each statement, count the hands at each level."

    def scale_range(self, poll: Poll) -> tuple[int, int]:
        return (1, 5)

    def hand_answer(self, key: Any) -> Any:
        statement, lvl = key
        return {str(statement): lvl}

    def validate(self, poll: Poll, answer: Any, hand: bool) -> Any:
        return {str(k): level(v, 1, 5) for k, v in sorted(keyed(answer, len(poll.options)).items())}

    def tally(self, poll: Poll, ballots: Sequence[Ballot], t: Tally) -> None:
        dist = [[0.0] * 5 for _ in poll.options]
        for b in ballots:
            for k, v in answer_of(b).items():
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


KIND = Agreement()

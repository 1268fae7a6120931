"""The checks and statistics the poll kinds share.

What every kind provides is `model.poll.PollKind`; a kind is one module in this package holding
one subclass of it (see the package's docstring).
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from vbp_workshop.core.model.poll import BallotError, Poll
from vbp_workshop.core.model.tally import Ballot, Tally

HAND_MAX = 10**6  # a group's hands or points in one hand-count entry, far above any one person's


# -- checks --------------------------------------------------------------------------------------


def index(value: Any, n: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < n:
        raise BallotError("That option is not on this poll.")
    return value


def level(value: Any, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise BallotError(f"Choose a whole number from {lo} to {hi}.")
    return value


def keyed(answer: Any, n: int) -> dict[int, Any]:
    if not isinstance(answer, dict) or not answer:
        raise BallotError("Answer at least one item.")
    out: dict[int, Any] = {}
    for key, value in answer.items():
        try:
            i = int(key)
        except (TypeError, ValueError):
            raise BallotError("That item is not on this poll.") from None
        out[index(i, n)] = value
    return out


def value_pairs(values: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    """(value, weight) pairs with the weights of equal values summed, in order of first sight."""
    summed: defaultdict[float, float] = defaultdict(float)
    for v, w in values:
        summed[v] += w
    return list(summed.items())


def mean_scores(poll: Poll, t: Tally) -> list[float]:
    """Scores of a kind that rates each option: its mean (no answer ranks last)."""
    if len(t.means) != (len(poll.options) or 1):
        return [t.mean if t.mean is not None else float("-inf")]
    return [m if m is not None else float("-inf") for m in t.means]


def option_name(poll: Poll, i: Any) -> str:
    """Option `i` by its name (an index no option has shows as "#i")."""
    i = int(i)
    return poll.options[i] if 0 <= i < len(poll.options) else f"#{i}"


# -- statistics ----------------------------------------------------------------------------------


def answer_of(ballot: Ballot) -> Any:
    if "parsed" in ballot:  # callers that tally one ballot many times parse it once
        return ballot["parsed"]
    a = ballot["answer"]
    return json.loads(a) if isinstance(a, str) else a


def weight(ballot: Ballot) -> float:
    return float(ballot.get("weight", 1))


def share(counts: Sequence[float], total: float) -> list[float]:
    return [100 * c / total if total else 0.0 for c in counts]


def wmean(pairs: Iterable[tuple[float, float]]) -> float | None:
    pairs = list(pairs)
    total = sum(w for _, w in pairs)
    return sum(v * w for v, w in pairs) / total if total else None


def wstdev(pairs: list[tuple[float, float]]) -> float | None:
    m = wmean(pairs)
    total = sum(w for _, w in pairs)
    if m is None or total <= 1:
        return 0.0 if m is not None else None
    return float(math.sqrt(sum(w * (v - m) ** 2 for v, w in pairs) / total))


def weighted_median(pairs: list[tuple[float, float]]) -> float | None:
    pairs = sorted(pairs)
    total = sum(w for _, w in pairs)
    if total <= 0:
        return None
    # Expand to the two middle positions so an even count averages like statistics.median.
    lo_pos, hi_pos = (total - 1) / 2, total / 2
    vals = []
    for target in (lo_pos, hi_pos):
        seen = 0.0
        for value, w in pairs:
            seen += w
            if seen > target:
                vals.append(value)
                break
    return sum(vals) / len(vals) if vals else None


def leading(t: Tally) -> str:
    """The headline of a kind that counts per option: the option with the most."""
    if not t.counts:
        return ""
    top = max(range(len(t.counts)), key=lambda i: t.counts[i])
    return f"Leading: {t.labels[top]}"

"""Spread beside the mean: polarisation, fist-to-five blockers and small numbers, per item.

A mean hides a split room: five people at 1 and five at 5 average 3, like ten people at 3. Each
rated item (an agreement statement, a scale or fist-to-five poll, each attribute's importance
and satisfaction) therefore also gets its standard deviation and the share of people at each end
of the scale: the bottom and top fifth of the range — on a 1–5 scale only 1 and 5, on 0–10 the
values 0–2 and 8–10 — so "agree" beside "disagree" is not yet counted as the room's ends. An item
is *polarised* when at least a quarter of the people are at each end. Results from fewer than `SMALL_N` people say so.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from vbp_workshop.core.model.poll import Poll
from vbp_workshop.core.model.tally import Ballot
from vbp_workshop.core.model.words import plural
from vbp_workshop.core.polls.kinds.base import wmean
from vbp_workshop.core.polls.kinds.fist import CONSENT_FLOOR

SMALL_N = 5  # a result from fewer people than this is read with care (and says so)
POLARISED_SHARE = 0.25  # at least this share at each end of the scale


@dataclass(frozen=True)
class ItemSpread:
    label: str
    n: float  # people who rated the item (hand counts add their hands)
    mean: float | None
    sd: float | None  # population standard deviation, on the item's own scale
    low: float  # share (0..1) in the bottom fifth of the range
    high: float  # share (0..1) in the top fifth of the range
    polarised: bool
    blockers: int | None = None  # fist-to-five only: how many below 3 (a count, never who)

    @property
    def extremes(self) -> float:
        return self.low + self.high

    @property
    def small(self) -> bool:
        return 0 < self.n < SMALL_N


def small_n_note(n: float) -> str:
    """'' for enough people, else the warning shown beside the result and in the export."""
    if n <= 0 or n >= SMALL_N:
        return ""
    return f"Only {plural(int(n), 'answer')}: fewer than {SMALL_N}, read with care"


def spread_of(label: str, pairs: Sequence[tuple[float, float]], lo: int, hi: int,
              blockers: bool = False) -> ItemSpread:
    """The spread of (value, weight) pairs on a lo..hi scale."""
    n = sum(w for _, w in pairs)
    mean = wmean(pairs)
    if mean is None:
        return ItemSpread(label, 0, None, None, 0.0, 0.0, False, 0 if blockers else None)
    sd = math.sqrt(sum(w * (v - mean) ** 2 for v, w in pairs) / n)
    fifth = (hi - lo) / 5
    low = sum(w for v, w in pairs if v <= lo + fifth) / n
    high = sum(w for v, w in pairs if v >= hi - fifth) / n
    blocked = int(sum(w for v, w in pairs if v < CONSENT_FLOOR)) if blockers else None
    return ItemSpread(label, n, mean, sd, low, high,
                      low >= POLARISED_SHARE and high >= POLARISED_SHARE, blocked)


def item_spreads(poll: Poll, ballots: Sequence[Ballot]) -> list[ItemSpread]:
    """One spread per rated item of the poll, in the order of the kind's group profile
    (`PollKind.profile`); [] for kinds that count choices rather than rate. The kind says what
    was rated (`PollKind.rated`); the statistics are this module's."""
    lo, hi = poll.scale_range
    kind = poll.plugin
    return [spread_of(label, pairs, lo, hi, blockers=kind.counts_blockers)
            for label, pairs in zip(kind.item_labels(poll), kind.rated(poll, ballots), strict=False)]


def item_labels(poll: Poll) -> list[str]:
    """What each value of a group profile is about, for the per-item divergence ranking."""
    return poll.plugin.item_labels(poll)


def spread_text(s: ItemSpread) -> str:
    """'POLARISED (50% low, 50% high) · mean 3.0 · sd 2.0 · 100% at the ends' for a result line."""
    if s.mean is None:
        return "no answers"
    parts = []
    if s.blockers:  # first: a blocker is what the facilitator must not miss
        parts.append(f"{plural(s.blockers, 'BLOCKER', 'BLOCKERS')} (below 3: hear the concerns)")
    if s.polarised:
        parts.append(f"POLARISED ({s.low:.0%} low, {s.high:.0%} high)")
    parts += [f"mean {s.mean:.1f}", f"sd {s.sd:.1f}", f"{s.extremes:.0%} at the ends"]
    note = small_n_note(s.n)
    if note:
        parts.append(note)
    return " · ".join(parts)

"""Tallies: what the room answered, per poll kind, split by stakeholder group.

A tally is computed from ballots (dicts with answer, grp, source, weight). `Tally` is plain
data for charts, the projector, the phones and the workbook. A hand count is a ballot with
source "hand" and a weight (how many hands), so phone and hand answers add up in one place.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING, Any

from vbp_workshop.core.words import plural

if TYPE_CHECKING:  # the kinds import this module, and polls imports the kinds
    from vbp_workshop.core.polls import Poll

Ballot = dict[str, Any]


@dataclass
class Tally:
    """The result of one poll round. Which fields are filled depends on the kind."""

    kind: str
    labels: list[str]
    respondents: int = 0  # people (hand counts add their weight)
    by_source: dict[str, int] = field(default_factory=dict)
    counts: list[float] = field(default_factory=list)  # per option / per level / points / Borda
    percents: list[float] = field(default_factory=list)
    levels: list[int] = field(default_factory=list)  # the values counted, for scale kinds
    distribution: list[list[float]] = field(default_factory=list)  # per item: count per level
    means: list[float | None] = field(default_factory=list)  # per item, or [overall]
    spreads: list[float | None] = field(default_factory=list)
    points: list[tuple[float, float] | None] = field(default_factory=list)  # per item (x, y)
    mean: float | None = None
    median: float | None = None
    share_agreeing: list[float | None] = field(default_factory=list)
    consensus: bool | None = None
    below_three: int = 0  # fist-to-five: people below 3 (the consent floor)
    blocks: int = 0  # fist-to-five: people at 0, the only level that blocks
    answers: list[tuple[int, str]] = field(default_factory=list)  # (ballot id, text)
    words: list[tuple[str, int]] = field(default_factory=list)
    # A numeric estimate: the value ranges its histogram counts (with `counts`), its named
    # figures (quartiles, lowest, highest) beside `mean` and `median`, and the unit they are in.
    bins: list[tuple[float, float]] = field(default_factory=list)
    stats: dict[str, float] = field(default_factory=dict)
    unit: str = ""

    def headline(self) -> str:
        """One line a facilitator can read aloud (the kind's own, or the number of answers)."""
        if not self.respondents:
            return "No answers yet."
        return _headline(self) or plural(self.respondents, "answer")


def _headline(t: Tally) -> str:
    from vbp_workshop.core import kinds  # the kinds import this module: found at first use

    kind = kinds.REGISTRY.get(t.kind)
    return kind.headline(t) if kind is not None else ""


def tally(poll: Poll, ballots: Sequence[Ballot]) -> Tally:
    """Tally one round's ballots for `poll`: respondents here, the rest by the poll's kind."""
    from vbp_workshop.core import kinds

    t = Tally(kind=poll.kind, labels=list(poll.options))
    by_source: Counter[str] = Counter()
    for b in ballots:
        by_source[b.get("source", "phone")] += int(b.get("weight", 1))
    t.by_source = dict(by_source)
    t.respondents = sum(by_source.values())
    kind = kinds.REGISTRY.get(poll.kind)
    if kind is not None:
        kind.tally(poll, ballots, t)
    return t


# -- stakeholder groups ------------------------------------------------------------------


def group_ballots(ballots: Sequence[Ballot], min_size: int) -> dict[str, list[Ballot]]:
    """Split ballots by stakeholder group; a group below `min_size` merges first with the other
    small groups of its own sector ("NHS: other groups"), then into "other", which is left out
    altogether when still below `min_size` (showing it would single out the few people in it).
    The rule lives in `vbp_workshop.core.sectors`."""
    from vbp_workshop.core.sectors import group_ballots_in_sectors  # sectors imports this module

    return group_ballots_in_sectors(ballots, min_size)


def tally_by_group(poll: Poll, ballots: Sequence[Ballot], min_size: int) -> dict[str, Tally]:
    return {g: tally(poll, bs) for g, bs in group_ballots(ballots, min_size).items()}


def profile(t: Tally, poll: Poll) -> list[float]:
    """The group measure: a group's answer as numbers in [0, 1], comparable between groups of
    any size (each kind says how; see `PollKind.profile`)."""
    return poll.plugin.profile(t, poll)


def divergence(poll: Poll, by_group: dict[str, Tally]) -> tuple[float, tuple[str, str] | None]:
    """How far apart the groups answered, 0 (same) to 1 (opposite), and the furthest pair.

    For a share of votes across options it is the total-variation distance; for means (per
    item, or one for a scale) it is the largest difference, scaled to the answer range.
    """
    best, pair = 0.0, None
    profiles = {g: profile(t, poll) for g, t in by_group.items() if t.respondents}
    for (g1, p1), (g2, p2) in combinations(sorted(profiles.items()), 2):
        if not p1 or len(p1) != len(p2):
            continue
        if poll.plugin.distance == "shares":
            d = sum(abs(a - b) for a, b in zip(p1, p2, strict=True)) / 2
        else:
            d = max(abs(a - b) for a, b in zip(p1, p2, strict=True))
        if d > best or pair is None:
            best, pair = d, (g1, g2)
    return round(min(best, 1.0), 4), pair


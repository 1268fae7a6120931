"""Tallies: what the room answered, per poll kind, split by stakeholder group and by sector.

A tally (`model.poll.Tally`) is computed from ballots (dicts with answer, grp, source, weight)
by the poll's kind. A hand count is a ballot with source "hand" and a weight (how many hands),
so phone and hand answers add up in one place. The splits (who is shown on their own, what
merges) are `polls.sectors`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import combinations

from vbp_workshop.core.model.poll import REGISTRY, Poll
from vbp_workshop.core.model.tally import Ballot, Tally
from vbp_workshop.core.model.words import plural
from vbp_workshop.core.polls.sectors import group_ballots_in_sectors, sector_ballots


def tally(poll: Poll, ballots: Sequence[Ballot]) -> Tally:
    """Tally one round's ballots for `poll`: respondents here, the rest by the poll's kind."""
    t = Tally(kind=poll.kind, labels=list(poll.options))
    by_source: Counter[str] = Counter()
    for b in ballots:
        by_source[b.get("source", "phone")] += int(b.get("weight", 1))
    t.by_source = dict(by_source)
    t.respondents = sum(by_source.values())
    kind = REGISTRY.get(poll.kind)
    if kind is not None:
        kind.tally(poll, ballots, t)
    return t


def headline(t: Tally) -> str:
    """One line a facilitator can read aloud (the kind's own, or the number of answers)."""
    if not t.respondents:
        return "No answers yet."
    kind = REGISTRY.get(t.kind)
    return (kind.headline(t) if kind is not None else "") or plural(t.respondents, "answer")


# -- stakeholder groups ------------------------------------------------------------------


def tally_by_group(poll: Poll, ballots: Sequence[Ballot], min_size: int) -> dict[str, Tally]:
    """The round's result per stakeholder group, small groups merged (`polls.sectors`)."""
    return {g: tally(poll, bs) for g, bs in group_ballots_in_sectors(ballots, min_size).items()}


def tally_by_sector(poll: Poll, ballots: Sequence[Ballot], min_size: int) -> dict[str, Tally]:
    """The round's result per sector (NHS, industry, patients, wider), merged as groups are."""
    return {s: tally(poll, bs) for s, bs in sector_ballots(ballots, min_size).items()}


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


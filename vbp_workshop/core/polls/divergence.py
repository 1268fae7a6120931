"""Where the room disagrees, per statement, attribute or option — not only per poll.

For each item a poll asks about (each agreement statement, each attribute's importance and
satisfaction, each option's share), the divergence is the distance between the furthest-apart
stakeholder groups (and sectors) on the kind's 0..1 group profile (`PollKind.profile`), beside
the item's spread in the whole room (`vbp_workshop.core.polls.spreads`), so a split room shows even
when every group is split the same way. Importance-vs-satisfaction polls also get the gap per
sector and its quadrant.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import combinations

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.poll import Poll
from vbp_workshop.core.model.tally import Ballot, Tally
from vbp_workshop.core.polls import queries
from vbp_workshop.core.polls.sectors import SPLIT_LABELS, sector_ballots
from vbp_workshop.core.polls.sectors import group_ballots_in_sectors as group_ballots
from vbp_workshop.core.polls.spreads import ItemSpread, item_labels, item_spreads
from vbp_workshop.core.polls.tally import profile


@dataclass(frozen=True)
class ItemRow:
    poll: Poll
    label: str
    group_gap: float  # 0 (same) .. 1 (opposite), the pair of groups that differ most clearly
    group_pair: tuple[str, str] | None  # (higher, lower)
    sector_gap: float
    sector_pair: tuple[str, str] | None
    spread: ItemSpread | None  # the whole room's spread (rated items only)
    group_z: float = 0.0  # how clearly that pair differs: the gap over its standard error
    sector_z: float = 0.0

    @property
    def score(self) -> float:
        """How clearly the groups (or sectors) differ on this item: the ranking's key. A gap
        between groups of four and five people is mostly noise; dividing by its standard error
        puts a share's difference and a mean's difference on one footing."""
        return max(self.group_z, self.sector_z)

    @property
    def clear(self) -> bool:
        return self.score >= CLEAR_Z


CLEAR_Z = 2.0  # a gap of about two standard errors: unlikely to be chance alone
CLEAR_RULE = ("ranked by how clearly the groups differ: the gap divided by its standard error, so a "
              "small group's noise does not lead; about 2 or more reads as a clear difference")


def _variances(poll: Poll, ballots: list[Ballot], profile_: list[float]) -> list[float]:
    """Per item of the profile, the per-person variance on its 0..1 scale: p(1-p) for a share,
    the rated item's (sd / range)² for a mean, and the largest possible (0.25) otherwise."""
    if poll.plugin.group_shares:
        return [min(0.25, max(p * (1 - p), 0.0)) for p in profile_]
    spreads = item_spreads(poll, ballots)
    if len(spreads) == len(profile_):
        lo, hi = poll.scale_range
        span = (hi - lo) or 1
        return [((s.sd or 0.0) / span) ** 2 for s in spreads]
    return [0.25] * len(profile_)


def _furthest(poll: Poll, tallies: dict[str, Tally], split: dict[str, list[Ballot]], n_items: int
              ) -> list[tuple[float, tuple[str, str] | None, float]]:
    """Per item: (gap, (higher, lower), z) for the pair of groups that differ most clearly
    (`tallies` and `split` are the same groups' tallies and ballots)."""
    stats: dict[str, tuple[list[float], list[float], float]] = {}
    for g, t in tallies.items():
        bs = split.get(g, [])
        if not t.respondents or not bs:
            continue
        p = profile(t, poll)
        if len(p) == n_items:
            stats[g] = (p, _variances(poll, bs, p), float(t.respondents))
    out: list[tuple[float, tuple[str, str] | None, float]] = []
    for i in range(n_items):
        best: tuple[float, tuple[str, str] | None, float] = (0.0, None, 0.0)
        for g1, g2 in combinations(sorted(stats), 2):
            (p1, v1, n1), (p2, v2, n2) = stats[g1], stats[g2]
            gap = p1[i] - p2[i]
            se = math.sqrt(v1[i] / n1 + v2[i] / n2)
            z = abs(gap) / se if se > 0 else (math.inf if gap else 0.0)
            if (z, abs(gap)) > (best[2], best[0]):
                best = (round(abs(gap), 4), (g1, g2) if gap >= 0 else (g2, g1), z)
        out.append(best)
    return out


def poll_items(store: Store, poll: Poll) -> list[ItemRow]:
    """Every item of one poll's current round with its divergence and spread."""
    if not poll.plugin.splits_by_group:
        return []
    chosen = queries.ballots(store, poll.id, poll.round)
    if not chosen or not poll.keeps_groups:
        return []
    labels = item_labels(poll)
    spreads = item_spreads(poll, chosen)
    smallest = queries.min_group(store)
    groups = _furthest(poll, queries.group_tallies(store, poll), group_ballots(chosen, smallest), len(labels))
    sectors = _furthest(poll, queries.sector_tallies(store, poll), sector_ballots(chosen, smallest), len(labels))
    return [ItemRow(poll, label, g[0], g[1], s[0], s[1], spreads[i] if i < len(spreads) else None, g[2], s[2])
            for i, (label, g, s) in enumerate(zip(labels, groups, sectors, strict=True))]


def item_ranking(store: Store) -> list[ItemRow]:
    """Every item of every poll, most divergent first (ties: the wider spread first)."""
    rows = [r for poll in queries.polls(store) for r in poll_items(store, poll)]
    return sorted(rows, key=lambda r: (-r.score, -max(r.group_gap, r.sector_gap)))


def pair_text(pair: tuple[str, str] | None, labels: dict[str, str]) -> str:
    return f"{labels.get(pair[0], pair[0])} above {labels.get(pair[1], pair[1])}" if pair else ""


def sector_pair_text(pair: tuple[str, str] | None) -> str:
    return pair_text(pair, SPLIT_LABELS)


# -- importance vs satisfaction -----------------------------------------------------------------

QUADRANTS = {
    (True, False): "Fix first",  # important, not satisfied
    (True, True): "Keep up",
    (False, True): "Possible overkill",
    (False, False): "Low priority",
}
WHOLE_ROOM = "all"


@dataclass(frozen=True)
class GapRow:
    attribute: str
    who: str  # a sector key, or WHOLE_ROOM
    n: int
    importance: float
    satisfaction: float

    @property
    def gap(self) -> float:
        return self.importance - self.satisfaction

    def quadrant(self, centre: tuple[float, float]) -> str:
        """High means above the room's own average (`centre`), not the scale's middle."""
        return QUADRANTS[(self.importance > centre[0], self.satisfaction > centre[1])]


def importance_gaps(store: Store, poll: Poll) -> list[GapRow]:
    """Per attribute: the whole room, then each sector shown (merged as results are)."""
    if poll.kind != "importance":
        return []
    tallies = {WHOLE_ROOM: queries.round_tally(store, poll), **queries.sector_tallies(store, poll)}
    out = []
    for i, attribute in enumerate(poll.options):
        for who, t in tallies.items():
            point = t.points[i] if i < len(t.points) else None
            if t.respondents and point is not None:
                out.append(GapRow(attribute, who, t.respondents, point[0], point[1]))
    return out


def widest_gap_by_sector(rows: list[GapRow]) -> dict[str, GapRow]:
    """attribute -> the sector row with the biggest gap (which sector sees it most)."""
    out: dict[str, GapRow] = {}
    for r in rows:
        if r.who != WHOLE_ROOM and (r.attribute not in out or r.gap > out[r.attribute].gap):
            out[r.attribute] = r
    return out


QUADRANT_RULE = ("the quadrants cross at the room's average importance and average satisfaction over "
                 "all attributes, not at the middle of the scale: everything is rated important, so "
                 "only the comparison between attributes tells where to work")


def centre(rows: list[GapRow]) -> tuple[float, float]:
    """(average importance, average satisfaction) of the whole room over the attributes: where
    the quadrants cross. A rating scale's middle (3 on 1–5) separates nothing when importance sits
    at 4.2–4.6 for every attribute."""
    room = [r for r in rows if r.who == WHOLE_ROOM] or rows
    if not room:
        return (0.0, 0.0)
    return (sum(r.importance for r in room) / len(room), sum(r.satisfaction for r in room) / len(room))


def by_gap(rows: list[GapRow]) -> list[GapRow]:
    """The rows with their attributes ordered by the whole room's gap, widest first (the
    ranking beside the quadrants); within an attribute, the whole room first."""
    room_gap = {r.attribute: r.gap for r in rows if r.who == WHOLE_ROOM}
    return sorted(rows, key=lambda r: (-room_gap.get(r.attribute, r.gap), r.who != WHOLE_ROOM))

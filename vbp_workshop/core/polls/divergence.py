"""Where the room disagrees, per statement, attribute or option — not only per poll.

For each item a poll asks about (each agreement statement, each attribute's importance and
satisfaction, each option's share), the divergence is the distance between the furthest-apart
stakeholder groups (and sectors) on the kind's 0..1 group profile (`PollKind.profile`), beside
the item's spread in the whole room (`vbp_workshop.core.polls.spreads`), so a split room shows even
when every group is split the same way. Importance-vs-satisfaction polls also get the gap per
sector and its quadrant.
"""

from __future__ import annotations

from dataclasses import dataclass

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.poll import Poll
from vbp_workshop.core.model.tally import Tally
from vbp_workshop.core.polls import queries
from vbp_workshop.core.polls.sectors import SPLIT_LABELS
from vbp_workshop.core.polls.spreads import ItemSpread, item_labels, item_spreads
from vbp_workshop.core.polls.tally import profile


@dataclass(frozen=True)
class ItemRow:
    poll: Poll
    label: str
    group_gap: float  # 0 (same) .. 1 (opposite), furthest-apart groups
    group_pair: tuple[str, str] | None  # (higher, lower)
    sector_gap: float
    sector_pair: tuple[str, str] | None
    spread: ItemSpread | None  # the whole room's spread (rated items only)

    @property
    def score(self) -> float:
        return max(self.group_gap, self.sector_gap)


def _furthest(poll: Poll, tallies: dict[str, Tally], n_items: int) -> list[tuple[float, tuple[str, str] | None]]:
    profiles = {g: profile(t, poll) for g, t in tallies.items() if t.respondents}
    profiles = {g: p for g, p in profiles.items() if len(p) == n_items}
    out: list[tuple[float, tuple[str, str] | None]] = []
    for i in range(n_items):
        if len(profiles) < 2:
            out.append((0.0, None))
            continue
        hi = max(sorted(profiles), key=lambda g: profiles[g][i])
        lo = min(sorted(profiles), key=lambda g: profiles[g][i])
        out.append((round(profiles[hi][i] - profiles[lo][i], 4), (hi, lo)))
    return out


def poll_items(store: Store, poll: Poll) -> list[ItemRow]:
    """Every item of one poll's current round with its divergence and spread."""
    if not poll.plugin.splits_by_group:
        return []
    chosen = queries.ballots(store, poll.id, poll.round)
    if not chosen:
        return []
    labels = item_labels(poll)
    spreads = item_spreads(poll, chosen)
    groups = _furthest(poll, queries.group_tallies(store, poll), len(labels))
    sectors = _furthest(poll, queries.sector_tallies(store, poll), len(labels))
    return [ItemRow(poll, label, g[0], g[1], s[0], s[1], spreads[i] if i < len(spreads) else None)
            for i, (label, g, s) in enumerate(zip(labels, groups, sectors, strict=True))]


def item_ranking(store: Store) -> list[ItemRow]:
    """Every item of every poll, most divergent first (ties: the wider spread first)."""
    rows = [r for poll in queries.polls(store) for r in poll_items(store, poll)]
    return sorted(rows, key=lambda r: (-r.score, -((r.spread.sd or 0) if r.spread else 0)))


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

    def quadrant(self, mid: float) -> str:
        """High means above the middle of the scale (3 on 1–5)."""
        return QUADRANTS[(self.importance > mid, self.satisfaction > mid)]


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


def midpoint(poll: Poll) -> float:
    lo, hi = poll.scale_range
    return (lo + hi) / 2

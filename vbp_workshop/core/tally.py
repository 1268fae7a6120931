"""Tallies: what the room answered, per poll kind, split by stakeholder group.

A tally is computed from ballots (dicts with answer, grp, source, weight). `Tally` is plain
data for charts, the projector, the phones and the workbook. A hand count is a ballot with
source "hand" and a weight (how many hands), so phone and hand answers add up in one place.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from vbp_workshop.core.domain import NO_GROUP, OTHER_GROUP
from vbp_workshop.core.polls import Poll
from vbp_workshop.core.words import frequent_words, plural

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
    below_three: int = 0
    answers: list[tuple[int, str]] = field(default_factory=list)  # (ballot id, text)
    words: list[tuple[str, int]] = field(default_factory=list)

    def headline(self) -> str:
        """One line a facilitator can read aloud."""
        if not self.respondents:
            return "No answers yet."
        if self.kind == "fist":
            verdict = "Consensus" if self.consensus else f"No consensus: {self.below_three} below 3"
            return f"{verdict} (mean {self.mean:.1f})" if self.mean is not None else verdict
        if self.kind in ("scale",) and self.mean is not None:
            return f"Mean {self.mean:.1f}, median {self.median:g}"
        if self.kind in ("single", "multiple", "points", "ranking") and self.counts:
            top = max(range(len(self.counts)), key=lambda i: self.counts[i])
            return f"Leading: {self.labels[top]}"
        known = [(v, i) for i, v in enumerate(self.share_agreeing or self.means) if v is not None]
        if self.kind == "agreement" and known:
            share, i = max(known)
            return f"Most agreed: {self.labels[i]} ({share:.0f}%)"
        if self.kind == "importance" and known:
            gap, i = max(known)
            return f"Biggest gap: {self.labels[i]} ({gap:+.1f})"
        placed = [(p[1] - p[0], i) for i, p in enumerate(self.points) if p]
        if self.kind == "matrix" and placed:  # most impact for least effort
            _, i = max(placed)
            return f"Best impact for effort: {self.labels[i]}"
        return plural(self.respondents, "answer")


def _weighted_median(pairs: list[tuple[float, float]]) -> float | None:
    pairs = sorted(pairs)
    total = sum(w for _, w in pairs)
    if total <= 0:
        return None
    # Expand to the two middle positions so an even count averages like statistics.median.
    lo_pos, hi_pos = (total - 1) / 2, total / 2
    vals = []
    for target in (lo_pos, hi_pos):
        seen = 0.0
        for value, weight in pairs:
            seen += weight
            if seen > target:
                vals.append(value)
                break
    return sum(vals) / len(vals) if vals else None


def _wmean(pairs: Iterable[tuple[float, float]]) -> float | None:
    pairs = list(pairs)
    total = sum(w for _, w in pairs)
    return sum(v * w for v, w in pairs) / total if total else None


def _wstdev(pairs: list[tuple[float, float]]) -> float | None:
    m = _wmean(pairs)
    total = sum(w for _, w in pairs)
    if m is None or total <= 1:
        return 0.0 if m is not None else None
    return float(math.sqrt(sum(w * (v - m) ** 2 for v, w in pairs) / total))


def _answer(ballot: Ballot) -> Any:
    if "parsed" in ballot:  # callers that tally one ballot many times parse it once
        return ballot["parsed"]
    a = ballot["answer"]
    return json.loads(a) if isinstance(a, str) else a


def tally(poll: Poll, ballots: Sequence[Ballot]) -> Tally:
    """Tally one round's ballots for `poll`."""
    labels = list(poll.options)
    t = Tally(kind=poll.kind, labels=labels)
    by_source: Counter[str] = Counter()
    for b in ballots:
        by_source[b.get("source", "phone")] += int(b.get("weight", 1))
    t.by_source = dict(by_source)
    t.respondents = sum(by_source.values())
    n = len(labels)
    kind = poll.kind
    lo, hi = poll.scale_range
    if kind in ("single", "multiple"):
        counts = [0.0] * n
        for b in ballots:
            a = _answer(b)
            for i in [a] if kind == "single" else a:
                counts[i] += b.get("weight", 1)
        t.counts = counts
        t.percents = [100 * c / t.respondents if t.respondents else 0.0 for c in counts]
    elif kind in ("scale", "fist"):
        t.levels = list(range(lo, hi + 1))
        counts = [0.0] * len(t.levels)
        pairs = []
        for b in ballots:
            v = int(_answer(b))
            counts[v - lo] += b.get("weight", 1)
            pairs.append((float(v), float(b.get("weight", 1))))
        t.counts = counts
        t.percents = [100 * c / t.respondents if t.respondents else 0.0 for c in counts]
        t.mean = _wmean(pairs)
        t.median = _weighted_median(pairs)
        if kind == "fist":
            t.below_three = int(sum(counts[: 3 - lo]))
            t.consensus = (t.below_three == 0) if t.respondents else None
    elif kind == "agreement":
        dist = [[0.0] * 5 for _ in range(n)]
        for b in ballots:
            for k, v in _answer(b).items():
                dist[int(k)][int(v) - 1] += b.get("weight", 1)
        t.distribution = dist
        t.means = [_wmean((lvl + 1, c) for lvl, c in enumerate(row)) for row in dist]
        t.share_agreeing = [
            100 * (row[3] + row[4]) / sum(row) if sum(row) else None for row in dist
        ]
    elif kind == "ranking":
        # Borda: with n options, first place earns n-1 points ... last earns 0. In a partial
        # ranking the unranked options share no points (they are below every ranked one).
        borda = [0.0] * n
        dist = [[0.0] * n for _ in range(n)]  # option -> count per rank position
        for b in ballots:
            w = b.get("weight", 1)
            for pos, opt in enumerate(_answer(b)):
                borda[opt] += w * (n - 1 - pos)
                dist[opt][pos] += w
        t.counts = borda
        t.distribution = dist
    elif kind == "points":
        totals = [0.0] * n
        for b in ballots:
            # A hand count holds the group's total points and, as its weight, how many people
            # placed them: the points are not multiplied by the people.
            times = 1 if b.get("source") == "hand" else b.get("weight", 1)
            for k, v in _answer(b).items():
                totals[int(k)] += v * times
        t.counts = totals
        grand = sum(totals)
        t.percents = [100 * v / grand if grand else 0.0 for v in totals]
    elif kind in ("matrix", "importance"):
        xs: list[list[tuple[float, float]]] = [[] for _ in range(n)]
        ys: list[list[tuple[float, float]]] = [[] for _ in range(n)]
        for b in ballots:
            w = float(b.get("weight", 1))
            for k, (x, y) in _answer(b).items():
                xs[int(k)].append((float(x), w))
                ys[int(k)].append((float(y), w))
        pts: list[tuple[float, float] | None] = []
        spreads: list[float | None] = []
        for i in range(n):
            mx, my = _wmean(xs[i]), _wmean(ys[i])
            pts.append((mx, my) if mx is not None and my is not None else None)
            sx, sy = _wstdev(xs[i]), _wstdev(ys[i])
            spreads.append(max(sx or 0.0, sy or 0.0) if xs[i] else None)
        t.points = pts
        t.spreads = spreads
        if kind == "importance":
            # The gap: importance minus satisfaction; the biggest gap is where to work.
            t.means = [p[0] - p[1] if p else None for p in pts]
    elif kind == "text":
        visible = [b for b in ballots if not b.get("hidden")]
        t.answers = [(int(b.get("id", 0)), str(_answer(b))) for b in visible]
        t.words = frequent_words(text for _, text in t.answers)
    return t


# -- stakeholder groups ------------------------------------------------------------------


def group_ballots(ballots: Sequence[Ballot], min_size: int) -> dict[str, list[Ballot]]:
    """Split ballots by stakeholder group, merging groups below `min_size` into "other".

    If "other" is still below `min_size` it is left out altogether: showing it would single
    out the few people in it.
    """
    groups: dict[str, list[Ballot]] = {}
    for b in ballots:
        groups.setdefault(b.get("grp") or NO_GROUP, []).append(b)
    out: dict[str, list[Ballot]] = {}
    other: list[Ballot] = []
    for g, bs in sorted(groups.items()):
        size = sum(int(b.get("weight", 1)) for b in bs)
        if g in (NO_GROUP, OTHER_GROUP) or size < min_size:
            other.extend(bs)
        else:
            out[g] = bs
    if sum(int(b.get("weight", 1)) for b in other) >= min_size:
        out[OTHER_GROUP] = other
    return out


def tally_by_group(poll: Poll, ballots: Sequence[Ballot], min_size: int) -> dict[str, Tally]:
    return {g: tally(poll, bs) for g, bs in group_ballots(ballots, min_size).items()}


def profile(t: Tally, poll: Poll) -> list[float]:
    """A group's answer as numbers in [0, 1], comparable between groups of any size."""
    lo, hi = poll.scale_range
    span = (hi - lo) or 1
    if t.kind in ("scale", "fist"):
        return [((t.mean if t.mean is not None else lo) - lo) / span]
    if t.kind in ("single", "multiple", "points"):
        return [p / 100 for p in t.percents]
    if t.kind == "agreement":
        return [((m or 3) - 1) / 4 for m in t.means]
    if t.kind == "ranking":
        top = max(t.counts, default=0.0) or 1.0
        return [c / top for c in t.counts]
    if t.kind in ("matrix", "importance"):
        out: list[float] = []
        for p in t.points:
            out.extend([((p[0] - lo) / span), ((p[1] - lo) / span)] if p else [0.5, 0.5])
        return out
    return []


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
        if poll.kind in ("single", "points"):
            d = sum(abs(a - b) for a, b in zip(p1, p2, strict=True)) / 2
        else:
            d = max(abs(a - b) for a, b in zip(p1, p2, strict=True))
        if d > best or pair is None:
            best, pair = d, (g1, g2)
    return round(min(best, 1.0), 4), pair


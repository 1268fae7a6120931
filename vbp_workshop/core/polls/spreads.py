"""Spread beside the mean: polarisation, fist-to-five objections and small numbers, per item.

A mean hides a split room: five people at 1 and five at 5 average 3, like ten people at 3. Each
rated item (an agreement statement, a scale or fist-to-five poll, each attribute's importance
and satisfaction) therefore also gets its standard deviation, the share of people on each *side*
of the scale's middle, and the share at its two end values.

*Polarised* (`POLARISED_RULE`): at least 30 % on each side of the middle, a tenth of the scale or
more from it — on a 1–5 scale at least 30 % at 1–2 and at least 30 % at 4–5; on 1–10 at 1–4 and
at 7–10. Professionals rarely pick the extremes, so a room of nine at 1–2 against nine at 4–5 is
split even with nobody at 1 or 5. Fist-to-five is read by its
own labels: its sides are the objections (0–2: block, serious concerns, concerns) and support
(4–5), 3 ("can live with it") is neither; its ends are 0 and 5; only 0 *blocks*, 1–2 are
concerns to hear. Results from fewer than `SMALL_N` people say so.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from vbp_workshop.core.model.poll import Poll
from vbp_workshop.core.model.tally import Ballot
from vbp_workshop.core.model.words import plural
from vbp_workshop.core.polls.kinds.base import wmean
from vbp_workshop.core.polls.kinds.fist import BLOCK, CONSENT_FLOOR

SMALL_N = 5  # a result from fewer people than this is read with care (and says so)
POLARISED_SHARE = 0.30  # at least this share on each side of the scale's middle
POLARISED_RULE = ("polarised = at least 30% on each side of the middle of the scale, a tenth of it or more away "
                  "(on 1–5: at 1–2 and at 4–5; on 1–10: at 1–4 and at 7–10; fist-to-five: at 0–2 and at 4–5)")


@dataclass(frozen=True)
class ItemSpread:
    label: str
    n: float  # people who rated the item (hand counts add their hands)
    mean: float | None
    sd: float | None  # population standard deviation, on the item's own scale
    low: float  # share (0..1) below the middle of the scale (fist-to-five: the objections, 0–2)
    high: float  # share (0..1) above the middle (fist-to-five: support, 4–5)
    polarised: bool
    blockers: int | None = None  # fist-to-five only: how many at 0, "block" (a count, never who)
    ends: float = 0.0  # share (0..1) at the scale's two end values (1 and 5; fist 0 and 5)
    concerns: int | None = None  # fist-to-five only: how many at 1–2 (concerns to hear)

    @property
    def extremes(self) -> float:
        return self.ends

    @property
    def small(self) -> bool:
        return 0 < self.n < SMALL_N


def small_n_note(n: float) -> str:
    """'' for enough people, else the warning shown beside the result and in the export."""
    if n <= 0 or n >= SMALL_N:
        return ""
    return f"Only {plural(int(n), 'answer')}: fewer than {SMALL_N}, read with care"


def sides(lo: int, hi: int, consent: bool = False) -> tuple[float, float]:
    """(highest value of the low side, lowest value of the high side) of a lo..hi scale."""
    if consent:  # fist-to-five: its labels say 0–2 object, 3 can live with it, 4–5 support
        return (CONSENT_FLOOR - 1, CONSENT_FLOOR + 1)
    # A tenth of the span or more from the middle: 1–2 and 4–5 on 1–5, 0–4 and 6–10 on 0–10,
    # 1–2 and 3–4 on a forced-choice 1–4. On 1–10, whose middle falls between 5 and 6, those two
    # are neighbours, not two sides (a room half at 5 and half at 6 was called split): 1–4, 7–10.
    mid, gap = (lo + hi) / 2, (hi - lo) / 10
    return (math.floor(mid - gap), math.ceil(mid + gap))


def spread_of(label: str, pairs: Sequence[tuple[float, float]], lo: int, hi: int,
              blockers: bool = False) -> ItemSpread:
    """The spread of (value, weight) pairs on a lo..hi scale; `blockers` reads it as
    fist-to-five (its own sides, blocks and concerns)."""
    n = sum(w for _, w in pairs)
    mean = wmean(pairs)
    if mean is None:
        return ItemSpread(label, 0, None, None, 0.0, 0.0, False, 0 if blockers else None,
                          0.0, 0 if blockers else None)
    sd = math.sqrt(sum(w * (v - mean) ** 2 for v, w in pairs) / n)
    low_top, high_bottom = sides(lo, hi, blockers)
    low = sum(w for v, w in pairs if v <= low_top) / n
    high = sum(w for v, w in pairs if v >= high_bottom) / n
    ends = sum(w for v, w in pairs if v in (lo, hi)) / n
    blocked = int(sum(w for v, w in pairs if v == BLOCK)) if blockers else None
    concerns = int(sum(w for v, w in pairs if BLOCK < v < CONSENT_FLOOR)) if blockers else None
    return ItemSpread(label, n, mean, sd, low, high,
                      low >= POLARISED_SHARE and high >= POLARISED_SHARE, blocked, ends, concerns)


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


def objection_text(s: ItemSpread) -> str:
    """'1 BLOCKS (0) · 2 with concerns (1–2): hear them' for a fist-to-five item, else ''."""
    parts = []
    if s.blockers:
        parts.append(f"{s.blockers} BLOCK{'' if s.blockers == 1 else 'S'} (0)")
    if s.concerns:
        parts.append(f"{s.concerns} with concerns (1–2)")
    return " · ".join(parts) + (": hear them" if parts else "")


def spread_text(s: ItemSpread) -> str:
    """'POLARISED (50% at 1–2, 50% at 4–5) · mean 3.0 · sd 2.0 · 100% at the end values'."""
    if s.mean is None:
        return "no answers"
    parts = []
    objections = objection_text(s)
    if objections:  # first: an objection is what the facilitator must not miss
        parts.append(objections)
    if s.polarised:
        parts.append(f"POLARISED ({s.low:.0%} below the middle, {s.high:.0%} above; {POLARISED_RULE})")
    parts += [f"mean {s.mean:.1f}", f"sd {s.sd:.1f}", f"{s.ends:.0%} at the end values"]
    note = small_n_note(s.n)
    if note:
        parts.append(note)
    return " · ".join(parts)


# -- plain words for the room and the facilitator (the statistics go in a tooltip) -------------

WIDE_SHARE = 0.3  # this share or more at the ends of the scale: views "vary widely"


def spread_words(s: ItemSpread) -> str:
    """`spread_text` in the words a room uses: "1 blocks: hear why · 2 with concerns: hear them ·
    the room is split · average 3.0"; the figures (sd, share at the end values) stay in
    `spread_text`."""
    if s.mean is None:
        return "no answers"
    parts = []
    if s.blockers:
        parts.append(f"{s.blockers} {'blocks' if s.blockers == 1 else 'block'}: hear why")
    if s.concerns:
        parts.append(f"{s.concerns} with concerns: hear them")
    if s.polarised:
        parts.append("the room is split")
    elif s.low and s.high and s.ends >= WIDE_SHARE:  # people at both ends, not all at one
        parts.append("views vary widely")
    else:
        parts.append("views are close")
    parts.append(f"average {s.mean:.1f}")
    note = small_n_note(s.n)
    if note:
        parts.append(note)
    return " · ".join(parts)


def apart_words(d: float) -> str:
    """How far apart two groups answered (a divergence, 0 = the same, 1 = opposite) in words."""
    if d < 0.1:
        return "much the same"
    if d < 0.25:
        return "a little apart"
    if d < 0.5:
        return "clearly apart"
    return "far apart"


def divergence_details(d: float) -> str:
    """The figure behind `apart_words`, for a tooltip."""
    return f"divergence {d:.2f} (0 = the same, 1 = opposite)"

"""Importance vs satisfaction: each attribute rated 1–5 twice; the gap is where to work."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from vbp_workshop.core.model.poll import Poll
from vbp_workshop.core.model.tally import Ballot, Tally
from vbp_workshop.core.polls.kinds.base import mean_scores
from vbp_workshop.core.polls.kinds.matrix import Matrix


class Importance(Matrix):
    name = "importance"
    label = "Importance vs satisfaction"
    editor_fields = frozenset()
    hand_hint = "Place each attribute where the group agreed, and say how many people."
    group_measure = "gap: importance − satisfaction"
    readable_axes = ("importance", "satisfaction")
    gap_column = True
    group_signed = True

    def axes(self, poll: Poll) -> tuple[str, str]:
        return ("Importance", "Satisfaction")

    def scale_range(self, poll: Poll) -> tuple[int, int]:
        return (1, 5)

    def tally(self, poll: Poll, ballots: Sequence[Ballot], t: Tally) -> None:
        super().tally(poll, ballots, t)
        # The gap: importance minus satisfaction; the biggest gap is where to work.
        t.means = [p[0] - p[1] if p else None for p in t.points]

    def headline(self, t: Tally) -> str:
        known = [(v, i) for i, v in enumerate(t.means) if v is not None]
        if not known:
            return ""
        gap, i = max(known)
        return f"Biggest gap: {t.labels[i]} ({gap:+.1f})"

    def public(self, poll: Poll) -> dict[str, Any]:
        return {}

    def group_values(self, t: Tally, poll: Poll) -> list[float | None]:
        return list(t.means)  # the gap

    def group_axis_title(self, poll: Poll) -> str:
        return "gap (importance − satisfaction)"

    def scores(self, poll: Poll, t: Tally) -> list[float]:
        return mean_scores(poll, t)  # the gap

    def group_scale(self, poll: Poll) -> tuple[float, float]:
        lo, hi = poll.scale_range
        return (-(hi - lo), hi - lo)  # a gap: importance minus satisfaction


KIND = Importance()

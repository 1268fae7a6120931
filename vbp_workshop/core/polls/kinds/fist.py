"""Fist-to-five: consent on a proposal, 0 (block) to 5 (full support); nobody below 3 adopts it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from vbp_workshop.core.model.poll import FIST_LABELS as LABELS
from vbp_workshop.core.model.poll import Poll
from vbp_workshop.core.model.tally import Ballot, Tally
from vbp_workshop.core.polls.kinds.scale import Scale

__all__ = ["CONSENT_FLOOR", "KIND", "LABELS"]
CONSENT_FLOOR = 3  # a level below this is an objection


class Fist(Scale):
    name = "fist"
    label = "Fist-to-five"
    editor_fields = frozenset()
    group_measure = "mean support (0–5)"
    counts_blockers = True

    def scale_range(self, poll: Poll) -> tuple[int, int]:
        return (0, 5)

    def settings_problem(self, poll: Poll) -> str:
        return ""

    def tally(self, poll: Poll, ballots: Sequence[Ballot], t: Tally) -> None:
        super().tally(poll, ballots, t)
        t.below_three = int(sum(t.counts[:CONSENT_FLOOR]))
        t.consensus = (t.below_three == 0) if t.respondents else None

    def headline(self, t: Tally) -> str:
        verdict = "Consensus" if t.consensus else f"No consensus: {t.below_three} below 3"
        return f"{verdict} (mean {t.mean:.1f})" if t.mean is not None else verdict

    def summary_rows(self, t: Tally) -> list[list[Any]]:
        return [["Consensus (all ≥ 3)", "Yes" if t.consensus else "No", f"{t.below_three} below 3"]]


KIND = Fist()

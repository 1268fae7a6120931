"""Fist-to-five: consent on a proposal, 0 (block) to 5 (full support); nobody below 3 adopts it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from vbp_workshop.core.model.poll import FIST_LABELS as LABELS
from vbp_workshop.core.model.poll import Poll
from vbp_workshop.core.model.tally import Ballot, Tally
from vbp_workshop.core.polls.kinds.scale import Scale

__all__ = ["BLOCK", "CONSENT_FLOOR", "KIND", "LABELS"]
CONSENT_FLOOR = 3  # "can live with it": a level below this is an objection, and nobody below it adopts
BLOCK = 0  # the fist: the only level that blocks (1 and 2 are concerns to hear, by the labels)


class Fist(Scale):
    name = "fist"
    label = "Fist-to-five"
    editor_fields = frozenset({"statement"})  # what is consented to, if the question does not say
    group_measure = "mean support (0–5)"
    counts_blockers = True

    def scale_range(self, poll: Poll) -> tuple[int, int]:
        return (0, 5)

    def settings_problem(self, poll: Poll) -> str:
        return ""

    def tally(self, poll: Poll, ballots: Sequence[Ballot], t: Tally) -> None:
        super().tally(poll, ballots, t)
        t.below_three = int(sum(t.counts[:CONSENT_FLOOR]))
        t.blocks = int(t.counts[BLOCK]) if t.counts else 0
        t.consensus = (t.below_three == 0) if t.respondents else None

    def public(self, poll: Poll) -> dict[str, Any]:
        """The statement being consented to, shown under the question on every phone."""
        statement = str(poll.settings.get("statement") or "").strip()
        return {"statement": statement} if statement else {}

    def headline(self, t: Tally) -> str:
        verdict = "Consensus" if t.consensus else f"No consensus: {objections(t)}"
        return f"{verdict} (mean {t.mean:.1f})" if t.mean is not None else verdict

    def summary_rows(self, t: Tally) -> list[list[Any]]:
        return [["Consensus (all ≥ 3)", "Yes" if t.consensus else "No", objections(t) or "none below 3"]]


def objections(t: Tally) -> str:
    """'1 block, 2 with concerns' (only 0 blocks; 1–2 are concerns), '' when nobody is below 3."""
    return objection_words(t.blocks, t.below_three - t.blocks)


def objection_words(blocks: int, concerns: int) -> str:
    """'1 block, 2 with concerns' from the counts; '' when both are 0."""
    parts = ([f"{blocks} block{'' if blocks == 1 else 's'}"] if blocks else []) + (
        [f"{concerns} with concerns"] if concerns else [])
    return ", ".join(parts)


KIND = Fist()

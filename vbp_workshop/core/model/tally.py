"""A poll round's ballots and its tally, as plain data.

A ballot is a dict (answer, grp, source, weight; "parsed" once read for a tally). A `Tally` is
one round's result for the charts, the projector, the phones and the workbook; it is computed
by the poll's kind (`polls.tally`), which also says its headline (`polls.tally.headline`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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

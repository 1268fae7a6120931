"""What every poll kind provides, and the checks and statistics the kinds share.

A kind is one module in this package holding one `PollKind` subclass: how a ballot is checked,
how a round is tallied, what a phone is sent, the revealed result, the group measure, the
hand-count form, the editor's settings and its block of the workbook's results sheet.
`vbp_workshop.core.kinds.get(name)` finds it.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from vbp_workshop.core.polls import BallotError, Poll
from vbp_workshop.core.tally import Ballot, Tally
from vbp_workshop.core.xlsx import Chart, Series, Sheet

HAND_MAX = 10**6  # a group's hands or points in one hand-count entry, far above any one person's


class PollKind:
    """Defaults for a kind that asks for one of its options; subclasses override what differs."""

    name: ClassVar[str] = ""
    label: ClassVar[str] = ""
    needs_options: ClassVar[bool] = True
    fewest_options: ClassVar[int] = 2
    # The poll editor's settings rows for this kind (keys of the editor's setting widgets).
    editor_fields: ClassVar[frozenset[str]] = frozenset()
    # The hand-count form: "options" (hands per option), "levels" (hands per scale level),
    # "statements" (hands per statement and level), "placing" (an agreed placing and how many
    # people), "value" (an agreed number and how many people), "text" (an answer said aloud);
    # `people` adds "how many people" to "options".
    hand_form: ClassVar[str] = "options"
    hand_people: ClassVar[bool] = False
    hand_people_label: ClassVar[str] = "How many people voted"
    hand_hint: ClassVar[str] = "Count the hands for each answer."
    # How far apart two groups' profiles are: "shares" (total-variation distance of two shares
    # that sum to one) or "largest" (the largest difference of any one value).
    distance: ClassVar[str] = "largest"
    # The group split (on screen and in the workbook): whether groups are compared at all, the
    # words for the measure, and whether it is a share (shown as %) rather than a mean.
    splits_by_group: ClassVar[bool] = True
    group_measure: ClassVar[str] = ""
    group_shares: ClassVar[bool] = False
    # The measure is a difference that can fall below zero (the chart's axis is then fitted).
    group_signed: ClassVar[bool] = False
    # Fist-to-five: the spread of its answers also counts the blocks (0) and concerns (1–2).
    counts_blockers: ClassVar[bool] = False

    # -- definition --------------------------------------------------------------------------

    def scale_range(self, poll: Poll) -> tuple[int, int]:
        return (int(poll.settings.get("min", 0)), int(poll.settings.get("max", 10)))

    def settings_problem(self, poll: Poll) -> str:
        return ""

    def axes(self, poll: Poll) -> tuple[str, str]:
        """The two scales of a "placing" kind (across, up)."""
        return ("", "")

    # -- a ballot ----------------------------------------------------------------------------

    def hand_answer(self, key: Any) -> Any:
        """The answer a row of the hand-count form stands for (an option, a level, …)."""
        return key

    def validate(self, poll: Poll, answer: Any, hand: bool) -> Any:
        raise BallotError("This poll cannot take answers.")

    def hand_weight(self, clean: Any, count: int) -> int:
        """How many people a checked hand-count entry stands for (its weight in the tally).

        By default the count the facilitator gave; a kind whose entry holds many hands per
        person says how many people that was, or refuses a count that cannot be.
        """
        return count

    # -- a round -----------------------------------------------------------------------------

    def tally(self, poll: Poll, ballots: Sequence[Ballot], t: Tally) -> None:
        """Fill the kind's fields of `t` (respondents and sources are already counted)."""

    def headline(self, t: Tally) -> str:
        return ""

    def profile(self, t: Tally, poll: Poll) -> list[float]:
        """The group measure: a group's answer as numbers in [0, 1], comparable between groups."""
        return []

    # -- what a phone sees --------------------------------------------------------------------

    def public(self, poll: Poll) -> dict[str, Any]:
        """Fields of the poll a phone needs beyond id, question, options and range."""
        return {}

    def result(self, poll: Poll, t: Tally) -> dict[str, Any]:
        """The revealed result's chart data: shares and means, never who answered."""
        return {"bars": [[lbl, round(p, 1)] for lbl, p in zip(t.labels, t.percents, strict=False)]}

    # -- the workbook -------------------------------------------------------------------------

    def readable(self, poll: Poll, answer: Any) -> str:
        """A stored answer as a person reads it (option names rather than numbers)."""
        return str(answer)

    def workbook_block(self, sh: Sheet, poll: Poll, t: Tally, name: str, title: str) -> Chart | None:
        """Write the round's result tables to `sh` (table names start with `name`) and return
        its native chart (titled `title`), or None; the sheet adds the heading and group split."""
        return None

    def group_items(self, poll: Poll) -> list[str]:
        """The rows of the workbook's group split: one per option unless the kind says so."""
        return list(poll.options)

    def group_values(self, t: Tally, poll: Poll) -> list[float | None]:
        """One group's value per item of the split, on the measure `group_measure` names (a share
        from 0 to 1 when `group_shares`). By default the group measure itself (`profile`)."""
        return list(self.profile(t, poll))

    def group_axis_title(self, poll: Poll) -> str:
        """The on-screen group chart's axis title."""
        return "% of answers" if self.group_shares else "mean"

    def group_scale(self, poll: Poll) -> tuple[float, float]:
        """The axis of the group split's chart when the measure is not a share."""
        return poll.scale_range

    # -- items, for the sector sheet, the divergence ranking and the ideas' scores -----------

    def item_labels(self, poll: Poll) -> list[str]:
        """What each value of the group measure (`profile`) is about."""
        return list(poll.options)

    def item_values(self, poll: Poll, t: Tally) -> list[float | None]:
        """The tally's value per item, in the order of `item_labels`, on the answers' own scale."""
        return []

    def sector_measure(self, poll: Poll) -> str:
        """What `item_values` are, in a few words ("mean 1–5", "% of points")."""
        return ""

    def rated(self, poll: Poll, ballots: Sequence[Ballot]) -> list[list[tuple[float, float]]]:
        """Per item (as `item_labels`), the (value, weight) pairs people rated it, for its spread;
        [] for a kind that counts choices rather than rates. Answers are few distinct values, so
        the weights are summed per value first (the statistics then run over a handful)."""
        return []

    def scores(self, poll: Poll, t: Tally) -> list[float]:
        """One number per option (one per poll for a kind without options), higher is better:
        how promoted ideas are ranked."""
        n = len(poll.options) or 1
        return [float(c) for c in (list(t.counts) + [0.0] * n)[:n]]


# -- checks --------------------------------------------------------------------------------------


def index(value: Any, n: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < n:
        raise BallotError("That option is not on this poll.")
    return value


def level(value: Any, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise BallotError(f"Choose a whole number from {lo} to {hi}.")
    return value


def keyed(answer: Any, n: int) -> dict[int, Any]:
    if not isinstance(answer, dict) or not answer:
        raise BallotError("Answer at least one item.")
    out: dict[int, Any] = {}
    for key, value in answer.items():
        try:
            i = int(key)
        except (TypeError, ValueError):
            raise BallotError("That item is not on this poll.") from None
        out[index(i, n)] = value
    return out


def value_pairs(values: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    """(value, weight) pairs with the weights of equal values summed, in order of first sight."""
    summed: defaultdict[float, float] = defaultdict(float)
    for v, w in values:
        summed[v] += w
    return list(summed.items())


def mean_scores(poll: Poll, t: Tally) -> list[float]:
    """Scores of a kind that rates each option: its mean (no answer ranks last)."""
    if len(t.means) != (len(poll.options) or 1):
        return [t.mean if t.mean is not None else float("-inf")]
    return [m if m is not None else float("-inf") for m in t.means]


def option_name(poll: Poll, i: Any) -> str:
    """Option `i` by its name (an index no option has shows as "#i")."""
    i = int(i)
    return poll.options[i] if 0 <= i < len(poll.options) else f"#{i}"


# -- statistics ----------------------------------------------------------------------------------


def answer_of(ballot: Ballot) -> Any:
    if "parsed" in ballot:  # callers that tally one ballot many times parse it once
        return ballot["parsed"]
    a = ballot["answer"]
    return json.loads(a) if isinstance(a, str) else a


def weight(ballot: Ballot) -> float:
    return float(ballot.get("weight", 1))


def share(counts: Sequence[float], total: float) -> list[float]:
    return [100 * c / total if total else 0.0 for c in counts]


def wmean(pairs: Iterable[tuple[float, float]]) -> float | None:
    pairs = list(pairs)
    total = sum(w for _, w in pairs)
    return sum(v * w for v, w in pairs) / total if total else None


def wstdev(pairs: list[tuple[float, float]]) -> float | None:
    m = wmean(pairs)
    total = sum(w for _, w in pairs)
    if m is None or total <= 1:
        return 0.0 if m is not None else None
    return float(math.sqrt(sum(w * (v - m) ** 2 for v, w in pairs) / total))


def weighted_median(pairs: list[tuple[float, float]]) -> float | None:
    pairs = sorted(pairs)
    total = sum(w for _, w in pairs)
    if total <= 0:
        return None
    # Expand to the two middle positions so an even count averages like statistics.median.
    lo_pos, hi_pos = (total - 1) / 2, total / 2
    vals = []
    for target in (lo_pos, hi_pos):
        seen = 0.0
        for value, w in pairs:
            seen += w
            if seen > target:
                vals.append(value)
                break
    return sum(vals) / len(vals) if vals else None


def leading(t: Tally) -> str:
    """The headline of a kind that counts per option: the option with the most."""
    if not t.counts:
        return ""
    top = max(range(len(t.counts)), key=lambda i: t.counts[i])
    return f"Leading: {t.labels[top]}"


# -- the workbook ---------------------------------------------------------------------------------


def option_block(sh: Sheet, poll: Poll, t: Tally, name: str, title: str, value: str) -> Chart:
    """The result table of a kind that counts per option (`value`: what is counted), with a bar chart."""
    if t.percents:
        rows = [[o, c, p / 100] for o, c, p in zip(poll.options, t.counts, t.percents, strict=True)]
        first, last = sh.table(name, ["Option", value, "Share"], rows, formats={3: "0%"}, wrap=(1,))
    else:  # a ranking has scores, not shares: no empty column
        first, last = sh.table(name, ["Option", value], [list(r) for r in zip(poll.options, t.counts,
                                                                            strict=True)], wrap=(1,))
    return Chart("bar", title, [Series(value, (first + 1, last, 1), (first + 1, last, 2))],
                 axis="count", max_value=max(t.counts, default=0), y_title=value.lower())

"""A poll, its settings, what a kind of poll is, and the validation of an answer against its poll.

A poll is a dict row of the `polls` table; `Poll` is the parsed, immutable view of it that the
tallies, the vote intake and the server share (it is safe to hand to another thread). Its
ballots and its tally are `model.tally`.

What differs by kind is a `PollKind`: each kind's module in `vbp_workshop.core.polls.kinds`
subclasses it and registers itself (`register`), and this module looks a poll's kind up in that
registry. The model imports nothing else from core, so the kinds, the tallies and everything
above them can import it without a circle.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from vbp_workshop.core.model.tally import Ballot, Tally


class _KindLabels(Mapping[str, str]):
    """kind -> its label, in the order the kinds were registered (the poll editor's order)."""

    def __getitem__(self, key: str) -> str:
        return REGISTRY[key].label

    def __iter__(self) -> Iterator[str]:
        return iter(REGISTRY)

    def __len__(self) -> int:
        return len(REGISTRY)


KINDS: Mapping[str, str] = _KindLabels()
AGREEMENT_LABELS = ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"]
# A diverging palette (ColorBrewer RdBu) for those five levels: the chart, the projector and the workbook.
AGREEMENT_COLOURS = ["#B2182B", "#EF8A62", "#BDBDBD", "#67A9CF", "#2166AC"]
FIST_LABELS = ["0 — block", "1 — serious concerns", "2 — concerns", "3 — can live with it",
               "4 — support", "5 — full support"]
PRIVACY = {"anonymous": "Anonymous, by stakeholder group", "anonymous_nogroup": "Anonymous, no group"}
MAX_TEXT = 280
MAX_OPTIONS = 30


class BallotError(ValueError):
    """An answer that does not fit its poll; the message is shown on the phone."""


@dataclass(frozen=True)
class Poll:
    id: int
    kind: str
    question: str
    options: tuple[str, ...]
    settings: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    step: int = 0
    state: str = "draft"
    revealed: bool = False
    round: int = 1
    privacy: str = "anonymous"
    target: str = ""

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Poll:
        return cls(
            id=int(row["id"]),
            kind=row["kind"],
            question=row["question"],
            options=tuple(json.loads(row["options"] or "[]")),
            settings=dict(json.loads(row["settings"] or "{}")),
            step=int(row["step"]),
            state=row["state"],
            revealed=bool(row["revealed"]),
            round=int(row["round"]),
            privacy=row["privacy"],
            target=row.get("target", "") or "",
        )

    @property
    def is_open(self) -> bool:
        return self.state == "open"

    @property
    def keeps_groups(self) -> bool:
        """Whether a ballot keeps its stakeholder group (so the result may be split by group or
        sector): not when the poll is anonymous with no group."""
        return self.privacy != "anonymous_nogroup"

    @property
    def plugin(self) -> PollKind:
        """This poll's kind: its rules for ballots, tallies and what phones see."""
        return kind_of(self.kind)

    # Settings with the defaults each kind uses.
    @property
    def scale_range(self) -> tuple[int, int]:
        return self.plugin.scale_range(self)

    @property
    def max_choices(self) -> int:
        return max(1, int(self.settings.get("max_choices", len(self.options) or 1)))

    @property
    def budget(self) -> int:
        return max(1, int(self.settings.get("budget", 10)))

    def public(self) -> dict[str, Any]:
        """What a phone may see of the poll: nothing about who voted."""
        lo, hi = self.scale_range
        out: dict[str, Any] = {
            "id": self.id, "kind": self.kind, "question": self.question,
            "options": list(self.options), "round": self.round, "state": self.state,
            "min": lo, "max": hi,
            # Said on the phone, so people know what is kept: never a name, at most a group.
            "privacy": ("Anonymous: no name is stored, only the group you chose" if self.privacy == "anonymous"
                        else "Anonymous: no name and no group is stored"),
        }
        out.update(self.plugin.public(self))
        return out


# The poll kinds by name, filled by `polls.kinds` (each kind's module registers its `PollKind`).
REGISTRY: dict[str, PollKind] = {}


def register(kind: PollKind) -> None:
    """Make a kind known by its name (to the polls, the tallies, the phones and the editor)."""
    REGISTRY[kind.name] = kind


def kind_of(name: str) -> PollKind:
    found = REGISTRY.get(name)
    if found is None:
        raise BallotError(f"Unknown poll type “{name}”.")
    return found


def settings_problem(kind: str, options: list[str], settings: dict[str, Any]) -> str:
    """Why a poll definition cannot be opened, or '' when it can."""
    if kind not in KINDS:
        return f"Unknown poll type “{kind}”."
    plugin = kind_of(kind)
    if plugin.needs_options and len([o for o in options if o.strip()]) < plugin.fewest_options:
        return "Add the options (one per line) before opening this poll."
    if len(options) > MAX_OPTIONS:
        return f"A poll can have at most {MAX_OPTIONS} options."
    return plugin.settings_problem(Poll(0, kind, "", tuple(options), dict(settings)))


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

    # -- the workbook (its block of the results sheet is `workbook.kind_blocks`) --------------

    def readable(self, poll: Poll, answer: Any) -> str:
        """A stored answer as a person reads it (option names rather than numbers)."""
        return str(answer)

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



def validate(poll: Poll, answer: Any, *, hand: bool = False) -> Any:
    """Return the answer in canonical form, or raise BallotError saying what is wrong.

    `hand` relaxes the per-person limits that a hand count (a total for the room) exceeds.
    """
    try:
        plugin = poll.plugin
    except BallotError:
        raise BallotError("This poll cannot take answers.") from None
    return plugin.validate(poll, answer, hand)


def encode(answer: Any) -> str:
    """The canonical stored form of an answer (also the checksum's form)."""
    return json.dumps(answer, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

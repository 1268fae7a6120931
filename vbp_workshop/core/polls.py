"""Polls, their settings, and the validation of a ballot's answer against its poll.

A poll is a dict row of the `polls` table; `Poll` is the parsed, immutable view of it that the
tallies, the vote intake and the server share (it is safe to hand to another thread). What
differs by kind lives in the kind's own module (`vbp_workshop.core.kinds`); this module asks it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vbp_workshop.core.kinds.base import PollKind


class _KindLabels(Mapping[str, str]):
    """kind -> its label, read from the kinds' own modules (`vbp_workshop.core.kinds`) on first use."""

    _cache: dict[str, str] | None = None

    def _labels(self) -> dict[str, str]:
        if self._cache is None:
            from vbp_workshop.core import kinds

            self._cache = {name: kind.label for name, kind in kinds.REGISTRY.items()}
        return self._cache

    def __getitem__(self, key: str) -> str:
        return self._labels()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._labels())

    def __len__(self) -> int:
        return len(self._labels())


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


def kind_of(name: str) -> PollKind:
    global _registry
    if _registry is None:
        from vbp_workshop.core import kinds  # the kinds import this module: found at first use

        _registry = kinds.REGISTRY  # held here: a function-level import on every ballot cost ~3% of the server
    found = _registry.get(name)
    if found is None:
        raise BallotError(f"Unknown poll type “{name}”.")
    return found


_registry: dict[str, PollKind] | None = None


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

"""Poll kinds, their settings, and the validation of a ballot's answer against its poll.

A poll is a dict row of the `polls` table; `Poll` is the parsed, immutable view of it that the
tallies, the vote intake and the server share (it is safe to hand to another thread).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

KINDS: dict[str, str] = {
    "single": "Single choice",
    "multiple": "Multiple choice",
    "agreement": "Agreement (1–5)",
    "scale": "Scale",
    "ranking": "Ranking",
    "points": "Points / dot voting",
    "matrix": "2×2 matrix",
    "importance": "Importance vs satisfaction",
    "fist": "Fist-to-five",
    "text": "Open text",
}

AGREEMENT_LABELS = ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"]
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

    # Settings with the defaults each kind uses.
    @property
    def scale_range(self) -> tuple[int, int]:
        if self.kind in ("agreement", "importance"):
            return (1, 5)
        if self.kind == "fist":
            return (0, 5)
        lo = int(self.settings.get("min", 1 if self.kind == "matrix" else 0))
        hi = int(self.settings.get("max", 5 if self.kind == "matrix" else 10))
        return (lo, hi)

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
        if self.kind == "multiple":
            out["max_choices"] = self.max_choices
        if self.kind == "points":
            out["budget"] = self.budget
        if self.kind == "matrix":
            out["x_label"] = self.settings.get("x_label", "Effort")
            out["y_label"] = self.settings.get("y_label", "Impact")
        return out


def settings_problem(kind: str, options: list[str], settings: dict[str, Any]) -> str:
    """Why a poll definition cannot be opened, or '' when it can."""
    if kind not in KINDS:
        return f"Unknown poll type “{kind}”."
    needs_options = kind not in ("scale", "fist", "text")
    fewest = 1 if kind in ("agreement", "importance", "matrix") else 2
    if needs_options and len([o for o in options if o.strip()]) < fewest:
        return "Add the options (one per line) before opening this poll."
    if len(options) > MAX_OPTIONS:
        return f"A poll can have at most {MAX_OPTIONS} options."
    if kind == "scale":
        lo, hi = int(settings.get("min", 0)), int(settings.get("max", 10))
        if hi <= lo:
            return "The scale's maximum must be above its minimum."
    return ""


def _index(value: Any, n: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < n:
        raise BallotError("That option is not on this poll.")
    return value


def _level(value: Any, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise BallotError(f"Choose a whole number from {lo} to {hi}.")
    return value


def _keyed(answer: Any, n: int) -> dict[int, Any]:
    if not isinstance(answer, dict) or not answer:
        raise BallotError("Answer at least one item.")
    out: dict[int, Any] = {}
    for key, value in answer.items():
        try:
            i = int(key)
        except (TypeError, ValueError):
            raise BallotError("That item is not on this poll.") from None
        out[_index(i, n)] = value
    return out


def validate(poll: Poll, answer: Any, *, hand: bool = False) -> Any:
    """Return the answer in canonical form, or raise BallotError saying what is wrong.

    `hand` relaxes the per-person limits that a hand count (a total for the room) exceeds.
    """
    n = len(poll.options)
    lo, hi = poll.scale_range
    kind = poll.kind
    if kind == "single":
        return _index(answer, n)
    if kind == "multiple":
        if not isinstance(answer, list) or not answer:
            raise BallotError("Pick at least one option.")
        picks = sorted({_index(a, n) for a in answer})
        if len(picks) != len(answer):
            raise BallotError("Each option can be picked once.")
        if len(picks) > poll.max_choices and not hand:
            raise BallotError(f"Pick at most {poll.max_choices}.")
        return picks
    if kind in ("scale", "fist"):
        return _level(answer, lo, hi)
    if kind == "agreement":
        return {str(k): _level(v, 1, 5) for k, v in sorted(_keyed(answer, n).items())}
    if kind == "ranking":
        if not isinstance(answer, list) or not answer:
            raise BallotError("Rank at least one option.")
        order = [_index(a, n) for a in answer]
        if len(set(order)) != len(order):
            raise BallotError("Each option can be ranked once.")
        return order
    if kind == "points":
        spread = _keyed(answer, n)
        clean = {str(k): _level(v, 0, poll.budget if not hand else 10**6) for k, v in sorted(spread.items())}
        total = sum(clean.values())
        if total <= 0:
            raise BallotError("Place at least one point.")
        if total > poll.budget and not hand:
            raise BallotError(f"That is {total} points; the budget is {poll.budget}.")
        return {k: v for k, v in clean.items() if v}
    if kind in ("matrix", "importance"):
        pairs = _keyed(answer, n)
        out = {}
        for k, v in sorted(pairs.items()):
            if not isinstance(v, list) or len(v) != 2:
                raise BallotError("Each item needs two values.")
            out[str(k)] = [_level(v[0], lo, hi), _level(v[1], lo, hi)]
        return out
    if kind == "text":
        if not isinstance(answer, str) or not answer.strip():
            raise BallotError("Write an answer first.")
        text = " ".join(answer.split())
        if len(text) > MAX_TEXT:
            raise BallotError(f"Keep it under {MAX_TEXT} characters.")
        return text
    raise BallotError("This poll cannot take answers.")


def encode(answer: Any) -> str:
    """The canonical stored form of an answer (also the checksum's form)."""
    return json.dumps(answer, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

"""Open text: each person writes a short answer; the facilitator can hide one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from vbp_workshop.core.model.poll import MAX_TEXT, BallotError, Poll, PollKind
from vbp_workshop.core.model.tally import Ballot, Tally
from vbp_workshop.core.model.text import clean_text
from vbp_workshop.core.model.words import frequent_words
from vbp_workshop.core.polls.kinds.base import answer_of


class Text(PollKind):
    name = "text"
    label = "Open text"
    needs_options = False
    hand_form = "text"
    hand_hint = "Type an answer given aloud."
    splits_by_group = False  # words, not a measure to compare

    def validate(self, poll: Poll, answer: Any, hand: bool) -> Any:
        if not isinstance(answer, str) or not answer.strip():
            raise BallotError("Write an answer first.")
        text = clean_text(answer, single_line=True)  # the one rule for text from a person
        if len(text) > MAX_TEXT:
            raise BallotError(f"Keep it under {MAX_TEXT} characters.")
        return text

    def tally(self, poll: Poll, ballots: Sequence[Ballot], t: Tally) -> None:
        visible = [b for b in ballots if not b.get("hidden")]
        t.answers = [(int(b.get("id", 0)), str(answer_of(b))) for b in visible]
        t.words = frequent_words(text for _, text in t.answers)

    def result(self, poll: Poll, t: Tally) -> dict[str, Any]:
        return {"words": t.words[:10]}


KIND = Text()

"""Open text: each person writes a short answer; the facilitator can hide one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from vbp_workshop.core.kinds.base import PollKind, answer_of
from vbp_workshop.core.polls import MAX_TEXT, BallotError, Poll
from vbp_workshop.core.tally import Ballot, Tally
from vbp_workshop.core.words import frequent_words
from vbp_workshop.core.xlsx import Chart, Series, Sheet


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
        text = " ".join(answer.split())
        if len(text) > MAX_TEXT:
            raise BallotError(f"Keep it under {MAX_TEXT} characters.")
        return text

    def tally(self, poll: Poll, ballots: Sequence[Ballot], t: Tally) -> None:
        visible = [b for b in ballots if not b.get("hidden")]
        t.answers = [(int(b.get("id", 0)), str(answer_of(b))) for b in visible]
        t.words = frequent_words(text for _, text in t.answers)

    def result(self, poll: Poll, t: Tally) -> dict[str, Any]:
        return {"words": t.words[:10]}

    def workbook_block(self, sh: Sheet, poll: Poll, t: Tally, name: str, title: str) -> Chart | None:
        sh.table(name, ["Answer"], [[a] for _, a in t.answers], wrap=(1,))
        if not t.words:
            return None
        sh.blank()
        first, last = sh.table(name + "Words", ["Word", "Mentions"], [list(w) for w in t.words[:15]])
        # A bar per word with room for its name: the chart grows with the words (15 words were
        # crammed into 265 px).
        words = len(t.words[:15])
        return Chart("bar", title, [Series("Mentions", (first + 1, last, 1), (first + 1, last, 2))],
                     axis="count", max_value=max((w[1] for w in t.words[:15]), default=0), y_title="mentions",
                     size=(420, max(210, 90 + 22 * words)))


KIND = Text()

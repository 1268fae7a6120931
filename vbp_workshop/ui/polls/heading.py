"""The poll panel's heading: the selected poll's question, its kind and round, its state and
how many have answered."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from vbp_workshop.core.model.poll import KINDS, PRIVACY, Poll
from vbp_workshop.core.model.tally import Tally
from vbp_workshop.core.model.words import plural
from vbp_workshop.core.polls.tally import headline
from vbp_workshop.ui.polls.states import OPEN_PHONES_OFF_TIP, state_key, state_label
from vbp_workshop.ui.shared.labels import plain_label


class PollHeading(QWidget):
    question: QLabel
    meta: QLabel
    state: QLabel
    count: QLabel
    headline: QLabel

    def __init__(self) -> None:
        super().__init__()
        self.question = plain_label(cls="question")
        self.question.setObjectName("poll_question")
        self.meta = plain_label(cls="hint")
        self.state = QLabel()
        self.state.setObjectName("poll_state")
        self.count = plain_label(cls="count")  # "12 responses (9 by phone, 3 by hand)" wraps
        self.count.setObjectName("poll_count")
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # The headline figure the room sees once it is revealed ("Trust 67 %"), from the same tally.
        self.headline = plain_label(cls="hint")
        self.headline.setObjectName("poll_headline")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.question)
        lay.addWidget(self.meta)
        status = QHBoxLayout()
        status.addWidget(self.state)
        status.addStretch(1)
        status.addWidget(self.count, 1)
        lay.addLayout(status)
        lay.addWidget(self.headline)

    def show_poll(self, poll: Poll | None, phones_on: bool = True) -> None:
        if poll is None:
            self.question.setText("No poll selected. Add one, or pick one from the list.")
            for label in (self.meta, self.state, self.count, self.headline):
                label.setText("")
            return
        self.question.setText(poll.question)
        self.meta.setText(f"{KINDS[poll.kind]} · {PRIVACY.get(poll.privacy, poll.privacy)} · round {poll.round}")
        self.state.setText(state_label(poll, phones_on))
        self.state.setToolTip(OPEN_PHONES_OFF_TIP if state_key(poll, phones_on) == "open_off" else "")
        self.state.setProperty("state", state_key(poll, phones_on))  # the style sheet colours it by state
        self.state.style().unpolish(self.state)
        self.state.style().polish(self.state)

    def show_count(self, tally: Tally) -> None:
        sources = ", ".join(f"{n} by {s}" for s, n in sorted(tally.by_source.items()))
        more = f" ({sources})" if len(tally.by_source) > 1 else ""
        self.count.setText(plural(tally.respondents, "response") + more)
        self.headline.setText(f"Result: {headline(tally)}" if tally.respondents else "")
        self.headline.setVisible(bool(tally.respondents))

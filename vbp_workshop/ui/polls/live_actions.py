"""The poll panel's live actions: open, close, reveal, a new round, project, hand counts and
carrying a result into the step."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QWidget

from vbp_workshop.core.model.poll import BallotError, Poll
from vbp_workshop.core.operations.live import close_poll, new_round, open_poll, reveal
from vbp_workshop.core.operations.polls import apply_result_edits, hand_count_edits
from vbp_workshop.core.polls import queries
from vbp_workshop.ui.session import Session
from vbp_workshop.ui.shared.context import PageContext
from vbp_workshop.ui.shared.flow import FlowLayout


def close_and_record(session: Session, poll_id: int) -> None:
    """Close a poll as the Close button does: votes stop first; a consent vote or a 2×2 then
    carries its result into the rule or the pilots (undoable, like any edit; "Apply result"
    does it again after hand counts). Raises BallotError if it cannot be closed."""
    close_poll(session.store, session.live, poll_id, session.round_tally)
    edits = apply_result_edits(session.store, queries.get_poll(session.store, poll_id), session.round_tally)
    if edits:
        session.edit(edits, "Record the poll's result")


class LiveActions(QWidget):
    """The row of live buttons for the selected poll: each action is a core operation the room
    hears (the change record), so the panel and the projector redraw from it."""

    acted = Signal()  # a live action ran (or was refused): the panel reloads its list

    ctx: PageContext
    session: Session
    poll: Poll | None
    buttons: dict[str, QPushButton]

    def __init__(self, ctx: PageContext) -> None:
        super().__init__()
        self.ctx, self.session = ctx, ctx.session
        self.poll = None
        self.buttons = {}
        row = FlowLayout(self, spacing=4)
        for name, text, slot in [("open", "Open voting", self.open_poll),
                                 ("close", "Close", self.close_poll),
                                 ("reveal", "Reveal results", self.toggle_reveal),
                                 ("round", "New round", self.new_round),
                                 ("hand", "Hand count…", self.hand_count),
                                 ("project", "Show on projector", self.project),
                                 ("apply", "Apply result", self.apply_result)]:
            b = QPushButton(text)
            b.setObjectName(f"poll_{name}")
            b.clicked.connect(slot)
            row.addWidget(b)
            self.buttons[name] = b

    def show_poll(self, poll: Poll | None, chart_only: bool = False) -> None:
        """Enable what can be done to `poll`: on every refresh, a chart-only one too, so Open is
        never offered on an open poll."""
        self.poll = poll
        for name, b in self.buttons.items():
            b.setEnabled(poll is not None and not (name == "open" and poll.is_open)
                         and not (name == "close" and not poll.is_open))
        if poll is None or chart_only:
            return
        self.buttons["open"].setToolTip("Voting is open" if poll.is_open else "Open this poll for votes")
        self.buttons["reveal"].setText("Hide results" if poll.revealed else "Reveal results")
        self.buttons["apply"].setVisible(poll.target.startswith("rule:") or poll.target == "pilots")

    def _live(self, action: Callable[[], object]) -> None:
        if not self.poll:
            return
        try:
            action()
        except BallotError as exc:
            self.ctx.dialogs.error("Cannot do that yet", str(exc))
        self.acted.emit()

    def open_poll(self) -> None:
        assert self.poll
        poll_id = self.poll.id
        # The room puts it on the projector when it hears the "open" change record.
        self._live(lambda: open_poll(self.session.store, self.session.live, poll_id))

    def close_poll(self) -> None:
        assert self.poll
        poll_id = self.poll.id
        self._live(lambda: close_and_record(self.session, poll_id))

    def toggle_reveal(self) -> None:
        assert self.poll
        poll_id, shown = self.poll.id, not self.poll.revealed
        # The session's tally is current from the vote feed: no re-count of the file in the click.
        self._live(lambda: reveal(self.session.store, self.session.live, poll_id, shown,
                                          self.session.round_tally))

    def new_round(self) -> None:
        assert self.poll
        poll_id = self.poll.id
        if self.ctx.dialogs.confirm("Start a new round?",
                                    "The room votes again on the same question. This round's "
                                    "answers are kept and can be compared."):
            self._live(lambda: new_round(self.session.store, self.session.live, poll_id))

    def project(self) -> None:
        if self.poll:
            self.ctx.room.show_poll(self.poll.id)

    def apply_result(self) -> None:
        if not self.poll:
            return
        edits = apply_result_edits(self.session.store, self.poll, self.session.round_tally)
        if not edits:
            self.ctx.dialogs.info("Nothing to apply", "This poll has no answers to carry over yet.")
            return
        self.session.edit(edits, "Apply poll result")

    def hand_count(self) -> None:
        from vbp_workshop.ui.polls.hand_count import HandCountDialog

        if not self.poll:
            return
        dialog = HandCountDialog(self.poll, self)
        if dialog.exec():
            self.record_hand_count(dialog.entries())

    def record_hand_count(self, entries: list[tuple[str, Any, int]]) -> bool:
        assert self.poll
        try:
            edits = hand_count_edits(self.poll, self.poll.round, entries)
        except BallotError as exc:
            self.ctx.dialogs.error("Hand count not recorded", str(exc))
            return False
        if edits:
            self.session.edit(edits, "Record hand count")
        return True

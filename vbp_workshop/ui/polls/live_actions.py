"""The poll panel's live actions: open, close, reveal, a new round, project, hand counts
and an answer shown or hidden."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from vbp_workshop.core import pollops
from vbp_workshop.core.polls import BallotError
from vbp_workshop.core.store import Update


class LiveActions:
    """The live half of `PollPanel` (a mixin: every action is a core operation the room hears)."""

    def _live(self, action: Any) -> None:
        if not self.poll:
            return
        try:
            action()
        except BallotError as exc:
            self.ctx.dialogs.error("Cannot do that yet", str(exc))
        self.reload_list()

    def open_poll(self) -> None:
        assert self.poll
        poll_id = self.poll.id
        # The room puts it on the projector when it hears the "open" change record.
        self._live(lambda: pollops.open_poll(self.session.store, self.session.live, poll_id))

    def close_poll(self) -> None:
        assert self.poll
        poll_id = self.poll.id
        self._live(lambda: pollops.close_poll(self.session.store, self.session.live, poll_id))
        # A consent vote or a 2×2 carries its result into the rule or the pilots when it closes
        # (undoable, like any edit; "Apply result" does it again after hand counts).
        edits = pollops.apply_result_edits(self.session.store, pollops.get_poll(self.session.store, poll_id))
        if edits:
            self.session.edit(edits, "Record the poll's result")

    def toggle_reveal(self) -> None:
        assert self.poll
        poll_id, shown = self.poll.id, not self.poll.revealed
        self._live(lambda: pollops.reveal(self.session.store, self.session.live, poll_id, shown))

    def new_round(self) -> None:
        assert self.poll
        poll_id = self.poll.id
        if self.ctx.dialogs.confirm("Start a new round?",
                                    "The room votes again on the same question. This round's "
                                    "answers are kept and can be compared."):
            self._live(lambda: pollops.new_round(self.session.store, self.session.live, poll_id))

    def project(self) -> None:
        if self.poll:
            self.ctx.room.show_poll(self.poll.id)

    def apply_result(self) -> None:
        if not self.poll:
            return
        edits = pollops.apply_result_edits(self.session.store, self.poll)
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
            edits = pollops.hand_count_edits(self.poll, self.poll.round, entries)
        except BallotError as exc:
            self.ctx.dialogs.error("Hand count not recorded", str(exc))
            return False
        if edits:
            self.session.edit(edits, "Record hand count")
        return True

    def toggle_answer(self) -> None:
        item = self.answers.currentItem()
        if item is None:
            return
        ballot_id = item.data(Qt.ItemDataRole.UserRole)
        row = self.session.store.row("ballots", ballot_id)
        if row:
            self.session.edit([Update("ballots", ballot_id, {"hidden": 1 - row["hidden"]})],
                              "Hide answer" if not row["hidden"] else "Show answer")

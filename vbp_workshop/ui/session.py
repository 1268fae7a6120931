"""One open workshop in the GUI: the store, its undo stack, the live state and the vote feed.

One notification path: screens listen to `changed` (a `Changes` record: tables, rows, origin,
event) and decide what to redraw. Edits, undo, the live operations and the phones' votes all
arrive there. Votes come on the writer's queue (filled on another thread), are drained here on a
timer on the GUI thread and announced as one record per drain (origin "phone"): bursts coalesce.
`votes_arrived` and `devices_joined` are kept, emitted from the same drain, for older callers.
"""

from __future__ import annotations

import queue
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from vbp_workshop.core import operations, pollops
from vbp_workshop.core.operations import Refused
from vbp_workshop.core.polls import Poll
from vbp_workshop.core.store import FACILITATOR, PHONE, REDO, UNDO, Changes, Edit, Store
from vbp_workshop.core.tally import Tally
from vbp_workshop.core.votes import LiveState, VoteWriter

DRAIN_MS = 25


class EditCommand(QUndoCommand):
    """Holds a batch already applied and the batch that undoes it (Orange's paint pattern).

    Undo and redo go through the same operation as the edit, so the same rules hold; one that
    is refused (its poll has votes since) leaves the workshop as it is, says why, and drops out
    of the stack.
    """

    def __init__(self, session: Session, forward: Sequence[Edit], backward: list[Edit], text: str) -> None:
        super().__init__(text)
        self._session = session
        self._forward = list(forward)
        self._backward = backward
        self._first = True

    def redo(self) -> None:
        if self._first:  # applied already when the edit was made
            self._first = False
            return
        try:
            self._backward = self._session.apply(self._forward, REDO)
        except Refused as exc:
            self._refuse(f"“{self.text()}” cannot be redone. {exc}")

    def undo(self) -> None:
        try:
            self._forward = self._session.apply(self._backward, UNDO)
        except Refused as exc:
            self._refuse(f"“{self.text()}” cannot be undone. {exc}")

    def _refuse(self, message: str) -> None:
        self.setObsolete(True)  # QUndoStack deletes an obsolete command after undo/redo
        self._session.refused.emit(message)


class Session(QObject):
    changed = Signal(object)  # Changes: the one signal screens redraw from
    refused = Signal(str)  # an undo or redo the workshop's rules refused, and why
    votes_arrived = Signal(list)  # compatibility: the vote notices of a drain (also in `changed`)
    devices_joined = Signal(int)  # compatibility: phones joined in a drain (also in `changed`)

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.undo_stack = QUndoStack(self)
        ws = store.workshop()
        self.live = LiveState(ws.get("join_code", ""), int(ws.get("min_group_size") or 3))
        self.writer: VoteWriter | None = None
        # The phones' view is derived from the file: a poll the file says is open (the app was
        # closed or crashed mid-vote) takes votes again as soon as phone voting restarts, and
        # any later change to the polls (an edit, an undo) reaches the phones the same way.
        operations.derive(store, self.live)
        store.listeners.append(self._derive_live)
        # Tallies shared by every screen until the votes or the polls change: the panel, the
        # projector and the trust pulse each ask for the same one on every drain.
        self._tallies: dict[tuple[int, int, int], Tally] = {}
        store.listeners.append(self._forget_tallies)
        store.listeners.append(self.changed.emit)
        self._timer = QTimer(self)
        self._timer.setInterval(DRAIN_MS)
        self._timer.timeout.connect(self.drain)

    @property
    def title(self) -> str:
        return self.store.workshop().get("title") or self.store.path.stem

    def round_tally(self, poll: Poll, round_: int | None = None) -> Tally:
        """The tally of a poll round, computed once per change of its votes."""
        key = (poll.id, round_ or poll.round, hash(poll.options))
        if key not in self._tallies:
            self._tallies[key] = pollops.round_tally(self.store, poll, round_)
        return self._tallies[key]

    def _derive_live(self, changes: Changes) -> None:
        if changes.touches("polls", "workshop"):
            operations.derive(self.store, self.live)

    def _forget_tallies(self, changes: Changes) -> None:
        if changes.touches("ballots", "polls"):
            self._tallies.clear()

    def apply(self, edits: Sequence[Edit], origin: str = FACILITATOR) -> list[Edit]:
        """Apply a batch through the core operation (its rules included); returns the inverse."""
        return operations.apply_edits(self.store, self.live, edits, origin)

    def edit(self, edits: Sequence[Edit], text: str) -> list[Edit]:
        """Apply an undoable batch of edits; returns the inverse. Raises `Refused` with a reason."""
        backward = self.apply(edits)
        self.undo_stack.push(EditCommand(self, edits, backward, text))
        return backward

    # -- the vote feed ------------------------------------------------------------------------

    def start_writer(self) -> VoteWriter:
        if self.writer is None:
            self.writer = VoteWriter(self.store.path, self.live)
            self.writer.start()
            self._timer.start()
        return self.writer

    def stop_writer(self) -> None:
        if self.writer is not None:
            self.writer.stop()
            self.drain()
            self.writer = None
            self._timer.stop()

    def drain(self) -> None:
        if self.writer is None:
            return
        votes: list[dict[str, Any]] = []
        joined = 0
        notices = self.writer.notices
        while True:
            try:
                n = notices.get_nowait()
            except queue.Empty:
                break
            if n["type"] == "vote":
                votes.append(n)
            else:
                joined += 1
        if votes:
            for v in votes:
                self._tallies = {k: t for k, t in self._tallies.items() if k[:2] != (v["poll_id"], v["round"])}
            self.changed.emit(Changes.of({("ballots", int(v["id"])) for v in votes}, PHONE, event="votes",
                                         polls={int(v["poll_id"]) for v in votes}))
            self.votes_arrived.emit(votes)
        if joined:
            self.changed.emit(Changes(frozenset({"devices"}), PHONE, event="join"))
            self.devices_joined.emit(joined)

    def close(self) -> None:
        self.stop_writer()
        for listener in (self.changed.emit, self._derive_live, self._forget_tallies):
            if listener in self.store.listeners:
                self.store.listeners.remove(listener)
        self.store.close()

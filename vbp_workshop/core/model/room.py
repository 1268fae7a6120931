"""The room's view: which poll is on the phones and what they may see of it.

The GUI thread changes it (through the live operations, `operations.live.derive`); the vote
server and the vote writer read it from their own threads. Plain locks, no Qt.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from typing import Any

from vbp_workshop.core.model.poll import Poll


class LiveState:
    """The room's view: which poll is on the phones and what they may see of it."""

    def __init__(self, join_code: str = "", min_group_size: int = 3) -> None:
        self._lock = threading.Lock()
        self.join_code = join_code
        self.min_group_size = min_group_size
        self._polls: dict[int, Poll] = {}  # open polls, by id
        self._current: int | None = None  # the poll shown on phones
        self._result: dict[str, Any] | None = None  # revealed result for the current poll
        # One sitting of the workshop: phones keep their answers under it and forget another's.
        # A new one is made when a room starts voting afresh (`new_sitting`); stopping and
        # starting again within the sitting keeps it, so an answer not sent yet still goes.
        self.sitting = secrets.token_hex(8)
        self.version = 0
        self._subscribers: list[Callable[[], None]] = []

    @property
    def lock(self) -> threading.Lock:
        return self._lock

    def subscribe(self, callback: Callable[[], None]) -> None:
        """`callback` runs (on the changing thread) after every change; keep it tiny."""
        self._subscribers.append(callback)

    def unsubscribe(self, callback: Callable[[], None]) -> None:
        if callback in self._subscribers:
            self._subscribers.remove(callback)

    def _changed(self) -> None:
        self.version += 1
        for cb in list(self._subscribers):
            cb()

    def open_poll(self, poll: Poll) -> None:
        with self._lock:
            self._polls[poll.id] = poll
            self._current = poll.id
            self._result = None
        self._changed()

    def close_poll(self, poll_id: int) -> None:
        with self._lock:
            poll = self._polls.pop(poll_id, None)
            if poll is None and self._current != poll_id:
                return
        self._changed()

    def show_result(self, poll_id: int, result: dict[str, Any] | None) -> None:
        """Show `result` for `poll_id` on the phones (None: no result). Nobody is told when it is
        what the phones show already (the result is derived again after every change)."""
        with self._lock:
            current = poll_id if result is not None else self._current
            if current == self._current and result == self._result:
                return
            self._current, self._result = current, result
        self._changed()

    def new_sitting(self) -> str:
        """Begin a new sitting: phones clear what they kept from the last one."""
        with self._lock:
            self.sitting = secrets.token_hex(8)
        self._changed()
        return self.sitting

    @property
    def current(self) -> int | None:
        """The poll the phones are shown (open, or closed with its result), if any."""
        return self._current

    def point_at(self, poll_id: int) -> None:
        """Make `poll_id` the poll shown, without telling anyone yet: the result derived from the
        file next (`operations.live.derive_result`) is what the phones are sent."""
        with self._lock:
            if self._current != poll_id:
                self._current, self._result = poll_id, None

    def state(self) -> dict[str, Any]:
        """Everything the room's view holds, to copy into another process's `LiveState` (`load`)."""
        with self._lock:
            return {"join_code": self.join_code, "min_group_size": self.min_group_size, "sitting": self.sitting,
                    "polls": dict(self._polls), "current": self._current, "result": self._result}

    def load(self, state: dict[str, Any]) -> None:
        """Take another `LiveState`'s `state()` (the vote server's process mirrors the GUI's)."""
        with self._lock:
            self.join_code = str(state["join_code"])
            self.min_group_size = int(state["min_group_size"])
            self.sitting = str(state.get("sitting") or self.sitting)
            self._polls = dict(state["polls"])
            self._current = state["current"]
            self._result = state["result"]
        self._changed()

    def accepting(self, poll_id: int, round_: int) -> Poll | None:
        """The poll if it takes votes for this round now (call with or without the lock)."""
        poll = self._polls.get(poll_id)
        return poll if poll is not None and poll.round == round_ else None

    def open_polls(self) -> list[Poll]:
        with self._lock:
            return list(self._polls.values())

    def snapshot(self) -> dict[str, Any]:
        """What a phone is shown: the current poll (if open) and a revealed result."""
        with self._lock:
            poll = self._polls.get(self._current) if self._current is not None else None
            return {
                "version": self.version,
                "poll": poll.public() if poll else None,
                "closed_poll": self._current if poll is None else None,
                "result": self._result,
            }

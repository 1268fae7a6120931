"""The phones' side of an ideas activity: what they see (`IdeasLive`) and the writer that stores
their ideas and supports (`IdeaWriter`), on disk before a phone is answered.

Like the vote intake (`core/intake/votes.py`): the writer has its own thread and SQLite connection,
commits a batch in one transaction, and puts a notice for each stored item on `notices`, which
the GUI drains on a timer and announces as one change record (origin "phone", event "ideas").
The server thread never touches Qt. `derive` rebuilds `IdeasLive` from the file on the GUI
thread whenever the ideas change, so an edit or an undo reaches the phones the same way.
"""

from __future__ import annotations

import sqlite3
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.intake.batch_writer import BatchWriter, Written
from vbp_workshop.core.model.changes import LIVE, Update, now_iso
from vbp_workshop.core.model.room import LiveState
from vbp_workshop.core.model.text import clean_text
from vbp_workshop.core.steps import ideas


class IdeaRefused(Exception):
    """An idea or a support the room's rules do not take; the message is for the phone."""


@dataclass(frozen=True)
class Submit:
    activity_id: int
    device: str
    grp: str
    text: str  # cleaned, within the activity's length
    uid: str


@dataclass(frozen=True)
class Support:
    idea_id: int
    device: str


@dataclass(frozen=True)
class Stored:
    id: int
    duplicate: bool


class IdeasLive:
    """The open activity and the ideas the room may see (GUI thread writes, server reads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.version = 0
        self._activity: dict[str, Any] | None = None
        self._board: list[dict[str, Any]] = []
        self._visible: set[int] = set()
        self._subscribers: list[Callable[[], None]] = []

    def subscribe(self, callback: Callable[[], None]) -> None:
        self._subscribers.append(callback)

    def unsubscribe(self, callback: Callable[[], None]) -> None:
        if callback in self._subscribers:
            self._subscribers.remove(callback)

    def set(self, activity: dict[str, Any] | None, board: list[dict[str, Any]]) -> None:
        with self._lock:
            if activity == self._activity and board == self._board:
                return
            self._activity, self._board = activity, board
            self._visible = {int(i["id"]) for i in board}
            self.version += 1
        for cb in list(self._subscribers):
            cb()

    def state(self) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
        """(activity, board), to copy into another process's `IdeasLive` with `set`."""
        with self._lock:
            return self._activity, list(self._board)

    def accepting(self, activity_id: int) -> dict[str, Any] | None:
        with self._lock:
            a = self._activity
            return a if a is not None and a["id"] == activity_id else None

    def current(self) -> dict[str, Any] | None:
        with self._lock:
            return self._activity

    def supportable(self, idea_id: int) -> bool:
        with self._lock:
            return self._activity is not None and self._activity["supports"] and idea_id in self._visible

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            board = self._board if self._activity is not None and self._activity["supports"] else []
            return {"version": self.version, "activity": self._activity, "ideas": board}


def derive(store: Store, live: IdeasLive) -> None:
    """Set what the phones see from the file: the open activity and its visible ideas."""
    open_ = store.rows("idea_activities", "state = 'open'")
    if not open_:
        live.set(None, [])
        return
    a = open_[-1]
    live.set(ideas.public_activity(a), ideas.board(store, int(a["id"])))


def set_state(store: Store, activity_id: int, state: str) -> None:
    """Open or close an activity for the phones (a live action: the room has seen it, no undo).
    Opening one closes any other, so the phones have one question at a time."""
    if state not in ("open", "closed"):
        raise ValueError(state)
    stamp = now_iso()
    edits = []
    if state == "open":
        edits = [Update("idea_activities", int(r["id"]), {"state": "closed", "closed_at": stamp})
                 for r in store.rows("idea_activities", "state = 'open' AND id != ?", (activity_id,))]
        edits.append(Update("idea_activities", activity_id, {"state": "open", "opened_at": stamp}))
    else:
        edits.append(Update("idea_activities", activity_id, {"state": "closed", "closed_at": stamp}))
    store.apply(edits, LIVE, event="ideas_" + state)


def clean_idea(text: Any, max_len: int) -> str:
    """The idea as kept, or IdeaRefused with what to fix."""
    if not isinstance(text, str):
        raise IdeaRefused("Type your idea first.")
    clean = clean_text(text, single_line=True)
    if not clean:
        raise IdeaRefused("Type your idea first.")
    if len(clean) > max_len:
        raise IdeaRefused(f"Keep it to {max_len} characters (this one has {len(clean)}).")
    return clean


class IdeaWriter(BatchWriter[Submit | Support]):
    """Stores ideas and supports on its own thread (`BatchWriter`): acknowledged after COMMIT."""

    THREAD_NAME = "idea-writer"

    def __init__(self, path: Path, live: IdeasLive) -> None:
        super().__init__(path)
        self.live = live

    def _refusal(self, exc: Exception) -> bool:
        return isinstance(exc, IdeaRefused)

    def _write(self, conn: sqlite3.Connection, item: Submit | Support) -> Written:
        stored, notice = self._idea(conn, item) if isinstance(item, Submit) else self._support(conn, item)
        return stored, notice, None

    def _idea(self, conn: sqlite3.Connection, s: Submit) -> tuple[Stored, dict[str, Any] | None]:
        old = conn.execute("SELECT id FROM ideas WHERE activity_id = ? AND device = ? AND uid = ?",
                           (s.activity_id, s.device, s.uid)).fetchone()
        if old:  # a retry of an idea already on disk: acknowledged again, stored once
            return Stored(int(old[0]), True), None
        activity = self.live.accepting(s.activity_id)
        if activity is None:
            raise IdeaRefused("Ideas are closed for now. Thank you!")
        mine = conn.execute("SELECT COUNT(*) FROM ideas WHERE activity_id = ? AND device = ?",
                            (s.activity_id, s.device)).fetchone()[0]
        if mine >= activity["max_per_device"]:
            raise IdeaRefused(f"You have sent {mine} ideas, the most this question takes. Thank you!")
        stamp = now_iso()
        cur = conn.execute(
            "INSERT INTO ideas(activity_id, text, submitted, grp, device, uid, status, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, 'new', ?)",
            (s.activity_id, s.text, s.text, s.grp, s.device, s.uid, stamp))
        idea_id = int(cur.lastrowid or 0)
        return Stored(idea_id, False), {"type": "idea", "id": idea_id, "activity_id": s.activity_id,
                                        "at": stamp}

    def _support(self, conn: sqlite3.Connection, s: Support) -> tuple[Stored, dict[str, Any] | None]:
        if not self.live.supportable(s.idea_id):
            raise IdeaRefused("That idea cannot be supported now.")
        cur = conn.execute("INSERT OR IGNORE INTO idea_supports(idea_id, device, created_at) VALUES (?, ?, ?)",
                           (s.idea_id, s.device, now_iso()))
        if not cur.rowcount:
            return Stored(s.idea_id, True), None
        return Stored(s.idea_id, False), {"type": "support", "id": s.idea_id}


class IdeasRoom:
    """The ideas intake for one open workshop: its phones' view and its writer."""

    def __init__(self, path: Path) -> None:
        self.live = IdeasLive()
        self.writer = IdeaWriter(path, self.live)
        self._lock = threading.Lock()

    def ensure_started(self) -> IdeaWriter:
        """The running writer (started by whichever of the GUI or the server asks first)."""
        with self._lock:
            if self.writer.running:
                return self.writer
            if self.writer._thread.ident is not None:  # stopped once: threads do not restart
                old = self.writer
                self.writer = IdeaWriter(old.path, self.live)
                self.writer.notices = old.notices  # the GUI keeps draining the same queue
            self.writer.start()
            return self.writer

    def stop(self) -> None:
        with self._lock:
            self.writer.stop()


# One room per live state: the server finds the workshop's ideas room from the LiveState it was
# given, and the GUI from its session's, without either knowing the other.
_ROOMS: weakref.WeakKeyDictionary[LiveState, IdeasRoom] = weakref.WeakKeyDictionary()
_ROOMS_LOCK = threading.Lock()


def room(live: LiveState, path: Path) -> IdeasRoom:
    with _ROOMS_LOCK:
        found = _ROOMS.get(live)
        if found is None:
            found = _ROOMS[live] = IdeasRoom(Path(path))
        return found

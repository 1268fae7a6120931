"""The one vote intake: every phone ballot goes through here, and is on disk when it is acked.

- `LiveState` is what the room can see right now (the poll on the phones, whether its result is
  revealed). The GUI thread changes it; the server thread reads it. Plain locks, no Qt.
- `VoteWriter` owns a thread with its own SQLite connection. Ballots are queued, committed in
  batches (one fsync for many votes: "group commit"), and only then is each caller's future
  resolved. Each stored ballot is also put on `notices`, a queue the GUI drains on a timer —
  the server thread never touches Qt (STYLE.md: signals from a foreign thread crash PySide6).
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeGuard

from vbp_workshop.core.batch_writer import BatchWriter, Written
from vbp_workshop.core.polls import BallotError, Poll, encode

INT64_MAX = 2**63 - 1  # SQLite's INTEGER: a larger number cannot even be bound


def in_range(n: object) -> TypeGuard[int]:
    """A whole number SQLite can store and a phone may send (never a bool, a float or negative)."""
    return isinstance(n, int) and not isinstance(n, bool) and 0 <= n <= INT64_MAX


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class PollClosed(BallotError):
    """A vote for a poll (or round) that is not open."""


@dataclass(frozen=True)
class Vote:
    poll_id: int
    round: int
    voter: str
    grp: str
    answer: Any  # already validated and canonical
    ballot_uid: str
    source: str = "phone"
    seq: int | None = None  # the phone's own order of its ballots, if it sends one


@dataclass(frozen=True)
class Join:
    token_hash: str
    grp: str


@dataclass(frozen=True)
class Receipt:
    ballot_id: int
    replaced: bool
    duplicate: bool
    stale: bool = False  # an older answer re-sent after a newer one: acknowledged, not stored


class LiveState:
    """The room's view: which poll is on the phones and what they may see of it."""

    def __init__(self, join_code: str = "", min_group_size: int = 3) -> None:
        self._lock = threading.Lock()
        self.join_code = join_code
        self.min_group_size = min_group_size
        self._polls: dict[int, Poll] = {}  # open polls, by id
        self._current: int | None = None  # the poll shown on phones
        self._result: dict[str, Any] | None = None  # revealed result for the current poll
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
            return {"join_code": self.join_code, "min_group_size": self.min_group_size,
                    "polls": dict(self._polls), "current": self._current, "result": self._result}

    def load(self, state: dict[str, Any]) -> None:
        """Take another `LiveState`'s `state()` (the vote server's process mirrors the GUI's)."""
        with self._lock:
            self.join_code = str(state["join_code"])
            self.min_group_size = int(state["min_group_size"])
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


class VoteWriter(BatchWriter[Vote | Join]):
    """Commits ballots and joins on its own thread (`BatchWriter`); an acknowledged vote is on disk."""

    THREAD_NAME = "vote-writer"

    def __init__(self, path: Path, live: LiveState) -> None:
        super().__init__(path)
        self.live = live
        # Ballot ids each voter has had stored per (poll, round): a late re-send of one that was
        # since replaced is acknowledged but never brought back over the newer answer.
        self._stored_uids: dict[tuple[int, int, str], set[str]] = {}
        self._seqs: dict[tuple[int, int, str], int] = {}

    def vote(self, vote: Vote) -> Receipt:
        """Blocking convenience for callers on a plain thread (tests, hand entry tools)."""
        result: Receipt = self.submit(vote).result(timeout=30)
        return result

    # The live lock is held while the ballots are checked and written, so a poll cannot close
    # between the check and the write; it is released before COMMIT, so the state endpoint and
    # the event streams never wait for the disk. A poll closed meanwhile still sees these ballots
    # first: close_poll's own transaction waits for this COMMIT.
    def _guard(self) -> contextlib.AbstractContextManager[Any]:
        return self.live.lock

    def _refusal(self, exc: Exception) -> bool:
        return isinstance(exc, BallotError)

    def _write(self, conn: sqlite3.Connection, item: Vote | Join) -> Written:
        if isinstance(item, Join):
            pseudonym, notice = self._join(conn, item)
            return pseudonym, notice, None
        return self._store_vote(conn, item)

    def _join(self, conn: sqlite3.Connection, join: Join) -> tuple[str, dict[str, Any] | None]:
        row = conn.execute(
            "SELECT pseudonym FROM devices WHERE token_hash = ?", (join.token_hash,)
        ).fetchone()
        if row:
            conn.execute(
                "UPDATE devices SET grp = ? WHERE token_hash = ?", (join.grp, join.token_hash)
            )
            return str(row[0]), None
        pseudonym = "d-" + secrets.token_hex(6)
        conn.execute(
            "INSERT INTO devices(token_hash, pseudonym, grp, joined_at) VALUES (?, ?, ?, ?)",
            (join.token_hash, pseudonym, join.grp, now_iso()),
        )
        return pseudonym, {"type": "join"}

    def _store_vote(self, conn: sqlite3.Connection, v: Vote
                    ) -> tuple[Receipt, dict[str, Any] | None, Callable[[], None] | None]:
        """(receipt, notice for the GUI, what to remember once committed)."""
        if not (in_range(v.poll_id) and in_range(v.round) and (v.seq is None or in_range(v.seq))):
            raise BallotError("That answer names a poll that does not exist.")
        slot = (v.poll_id, v.round, v.voter)
        existing = conn.execute(
            "SELECT id, ballot_uid FROM ballots WHERE poll_id = ? AND round = ? AND voter = ?",
            (v.poll_id, v.round, v.voter),
        ).fetchone()
        if existing and existing[1] == v.ballot_uid:
            # A retry of a ballot already on disk: acknowledge again, change nothing.
            return Receipt(int(existing[0]), replaced=False, duplicate=True), None, None
        known_seq = self._seqs.get(slot)
        if existing and (v.ballot_uid in self._stored_uids.get(slot, ())
                         or (v.seq is not None and known_seq is not None and v.seq < known_seq)):
            # A late re-send of an answer since replaced (its ack was lost, the phone retried):
            # acknowledged, but the newer answer stays.
            return Receipt(int(existing[0]), replaced=False, duplicate=True, stale=True), None, None
        if self.live.accepting(v.poll_id, v.round) is None:
            raise PollClosed("This poll is closed. Your earlier answer, if any, still counts.")
        stamp = now_iso()
        answer = encode(v.answer)
        if existing:
            conn.execute(
                "UPDATE ballots SET answer = ?, grp = ?, ballot_uid = ?, updated_at = ? "
                "WHERE id = ?",
                (answer, v.grp, v.ballot_uid, stamp, existing[0]),
            )
            ballot_id, replaced = int(existing[0]), True
        else:
            cur = conn.execute(
                "INSERT INTO ballots(poll_id, round, voter, grp, source, weight, answer, "
                "ballot_uid, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?)",
                (v.poll_id, v.round, v.voter, v.grp, v.source, answer, v.ballot_uid, stamp, stamp),
            )
            ballot_id, replaced = int(cur.lastrowid or 0), False
        notice = {
            "type": "vote", "id": ballot_id, "poll_id": v.poll_id, "round": v.round,
            "voter": v.voter, "grp": v.grp, "source": v.source, "weight": 1,
            "answer": answer, "hidden": 0, "replaced": replaced, "at": stamp, "uid": v.ballot_uid,
        }

        def remember() -> None:
            self._stored_uids.setdefault(slot, set()).add(v.ballot_uid)
            if v.seq is not None:
                self._seqs[slot] = max(v.seq, self._seqs.get(slot, v.seq))
        return Receipt(ballot_id, replaced, duplicate=False), notice, remember

"""The one vote intake: every phone ballot goes through here, and is on disk when it is acked.

- `VoteWriter` checks each ballot against the room's view (`model.room.LiveState`) and owns a
  thread with its own SQLite connection. Ballots are queued, committed in batches (one fsync
  for many votes: "group commit"), and only then is each caller's future resolved. Each stored
  ballot is also put on `notices`, a queue the GUI drains on a timer — the server thread never
  touches Qt (signals emitted from a foreign thread crash PySide6).
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeGuard

from vbp_workshop.core.intake.batch_writer import BatchWriter, Written
from vbp_workshop.core.model.changes import now_iso
from vbp_workshop.core.model.poll import BallotError, encode
from vbp_workshop.core.model.room import LiveState

INT64_MAX = 2**63 - 1  # SQLite's INTEGER: a larger number cannot even be bound


def in_range(n: object) -> TypeGuard[int]:
    """A whole number SQLite can store and a phone may send (never a bool, a float or negative)."""
    return isinstance(n, int) and not isinstance(n, bool) and 0 <= n <= INT64_MAX


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

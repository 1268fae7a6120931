"""One open workshop in the GUI: the store, its undo stack, the live state and the vote feed.

One notification path: screens listen to `changed` (a `Changes` record: tables, rows, origin,
event) and decide what to redraw. Edits, undo, the live operations and the phones' votes all
arrive there. Votes come on the writer's queue (filled on another thread), are drained here on a
timer on the GUI thread and announced as one record per drain (origin "phone"): bursts coalesce.
The votes come from the vote server's own process (`server/process.py`) when phones vote, or from a
writer in this process (`start_writer`) for tests and tools.
"""

from __future__ import annotations

import json
import queue
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from vbp_workshop.core import operations
from vbp_workshop.core.file.keeper import Keeper, Mirror, MirrorState
from vbp_workshop.core.file.store import Store
from vbp_workshop.core.intake.votes import VoteWriter
from vbp_workshop.core.model.changes import FACILITATOR, LIVE, PHONE, REDO, UNDO, Changes, Edit
from vbp_workshop.core.model.poll import Poll
from vbp_workshop.core.model.room import LiveState
from vbp_workshop.core.model.tally import Tally
from vbp_workshop.core.operations import Refused
from vbp_workshop.core.polls import queries
from vbp_workshop.core.polls.round_result import RoundResult, round_result

DRAIN_MS = 25
CATCH_UP_MS = 600  # a result allowed to lag the votes is brought up to date this long after
RESULT_MS = 400  # the phones' revealed result follows the votes at most this often
# The spreads may trail a burst of votes by this long (a note beside the chart: they cost as much
# as the tally itself, measured 10 ms for 2,000 agreement ballots).
SPREAD_LAG_S = 0.5


def fingerprint(poll: Poll) -> tuple[Any, ...]:
    """What a result computed from a poll's ballots depends on besides the ballots."""
    return (poll.kind, poll.options, poll.privacy, repr(sorted(poll.settings.items())))


@dataclass(frozen=True)
class _Kept:
    value: RoundResult
    spreads_at: float  # when its spreads were computed (time.monotonic)


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

    def __init__(self, store: Store, parent: QObject | None = None, mirror: Mirror | None = None) -> None:
        super().__init__(parent)
        self.store = store
        # Save points: the file alone holds every change a couple of seconds after it (the WAL
        # checkpointed), and a file in a synced or network folder gets its local working copy
        # mirrored back (`mirror`). On its own thread: whoever commits, nobody waits for it.
        self.mirror = mirror
        self.keeper = Keeper(store.path, mirror)
        self.keeper.start()
        self.undo_stack = QUndoStack(self)
        ws = store.workshop()
        self.live = LiveState(ws.get("join_code", ""), queries.min_group(store))
        self.writer: VoteWriter | None = None
        self._feed: queue.SimpleQueue[dict[str, Any]] | None = None
        # The phones' view is derived from the file: a poll the file says is open (the app was
        # closed or crashed mid-vote) takes votes again as soon as phone voting restarts, and
        # any later change to the polls (an edit, an undo) reaches the phones the same way.
        operations.derive(store, self.live)
        # Each round's result (its tally, the group and sector splits, the spreads, the lines),
        # shared by every screen until the round's ballots change: the panel, the projector and
        # the trust pulse each ask for the same one on every drain and every click.
        self._results: dict[tuple[Any, ...], _Kept] = {}
        self._stale: set[tuple[Any, ...]] = set()  # computed before the latest votes of its round
        self._lagging: set[tuple[Any, ...]] = set()  # current, but its spreads trail the votes
        # Each tallied round's ballots by id, answers parsed, kept current from the drained vote
        # notices: a drain re-tallies without reading the file again (measured with 2,000 ballots:
        # reading them back cost ~30 ms of the GUI thread per drain, the tally itself ~6 ms).
        self._ballots: dict[tuple[int, int], dict[int, dict[str, Any]]] = {}
        # In this order: stale tallies are forgotten, then the phones' view is derived from the
        # file and the tallies as they are now, then the screens redraw from the same state.
        store.listeners.append(self._forget_tallies)
        store.listeners.append(self._derive_live)
        store.listeners.append(self.changed.emit)
        self._timer = QTimer(self)
        self._timer.setInterval(DRAIN_MS)
        self._timer.timeout.connect(self.drain)
        self._catch_up = QTimer(self)
        self._catch_up.setSingleShot(True)
        self._catch_up.setInterval(CATCH_UP_MS)
        self._catch_up.timeout.connect(self._announce_stale)
        # Votes after a reveal reach the phones' result at most this often (each change is one
        # message to every phone's stream) and always once more when they stop.
        self._result_timer = QTimer(self)
        self._result_timer.setSingleShot(True)
        self._result_timer.setInterval(RESULT_MS)
        self._result_timer.timeout.connect(self._result_settled)
        self._result_due = False

    @property
    def title(self) -> str:
        return self.store.workshop().get("title") or self.file.stem

    @property
    def file(self) -> Path:
        """The workshop file the facilitator opened (for a synced folder: not the working copy)."""
        return self.mirror.target if self.mirror is not None else self.store.path

    def mirror_status(self) -> MirrorState | None:
        return self.keeper.status()

    def result(self, poll: Poll, round_: int | None = None) -> RoundResult:
        """A poll round's result as every screen shows it (`core/polls/round_result.py`: the
        tally, the group and sector splits, the spreads, the divergence and their lines),
        computed once per change of the round's ballots (or of the poll's options and settings),
        from the ballots kept here. Shared: do not change what it holds.

        The spreads (a note beside the chart, not the chart) may trail a burst of votes by
        `SPREAD_LAG_S`: while votes arrive they are computed afresh at most that often (the
        tally and the splits always are), and once more when the votes stop."""
        r = round_ or poll.round
        key = (poll.id, r, fingerprint(poll))
        hit = self._results.get(key)
        if hit is not None and key not in self._stale:
            return hit.value
        ballots = self.round_ballots(poll, r)
        smallest = queries.min_group(self.store)
        now = time.monotonic()
        if hit is not None and hit.value.spreads and now - hit.spreads_at < SPREAD_LAG_S:
            value = round_result(poll, ballots, smallest, r, spreads=hit.value.spreads)
            self._results[key] = _Kept(value, hit.spreads_at)
            self._lagging.add(key)
            self._catch_up.start()  # when the votes stop, every screen asks again
        else:
            self._results[key] = _Kept(round_result(poll, ballots, smallest, r), now)
            self._lagging.discard(key)
        self._stale.discard(key)
        return self._results[key].value

    def round_tally(self, poll: Poll, round_: int | None = None) -> Tally:
        """The tally of a poll round (its `result`'s): what the live operations are handed."""
        return self.result(poll, round_).tally

    def round_ballots(self, poll: Poll, round_: int | None = None) -> list[dict[str, Any]]:
        """A poll round's ballots as the file holds them (answers parsed into "parsed"), kept
        current from the vote feed: for screens that redraw on every drain. Do not change them."""
        r = round_ or poll.round
        rows = self._ballots.get((poll.id, r))
        if rows is None:
            rows = self._ballots[(poll.id, r)] = {
                int(b["id"]): {**b, "parsed": json.loads(b["answer"])}
                for b in queries.ballots(self.store, poll.id, r)}
        return list(rows.values())

    def _derive_live(self, changes: Changes) -> None:
        # A hand count and a hidden answer change the result; a reworded rule or a newly chosen
        # ambition, the statement a consent poll shows.
        if changes.touches("polls", "workshop", "ballots", "rules", "ambitions"):
            operations.derive(self.store, self.live, self.round_tally)

    def _derive_result(self, polls: set[int]) -> None:
        """Votes drained: the phones' revealed result follows them (at most every RESULT_MS)."""
        if self.live.current not in polls:
            return
        if self._result_timer.isActive():
            self._result_due = True
            return
        self._result_due = False
        self._result_timer.start()
        operations.derive_result(self.store, self.live, self.round_tally)

    def _result_settled(self) -> None:
        if self._result_due:
            self._derive_result({self.live.current} if self.live.current is not None else set())

    def _forget_tallies(self, changes: Changes) -> None:
        if changes.touches("ballots") or (changes.origin != LIVE and changes.touches("polls", "workshop")):
            # Edits, hand counts, undo, a new minimum group size: read the file again. Opening,
            # closing and revealing change no ballot, so what was computed stays good (a click
            # then costs no re-read and no re-tally of thousands of ballots).
            self._results.clear()
            self._stale.clear()
            self._lagging.clear()
            self._ballots.clear()

    def _keep_ballots(self, votes: list[dict[str, Any]]) -> None:
        """Apply drained vote notices to the kept rounds (a replaced ballot keeps its id, its
        place and whether the facilitator hid it), and mark those rounds' results stale. A kept
        ballot is replaced, never changed in place: a result holds the ballots it was made from."""
        touched = set()
        for v in votes:
            where = (int(v["poll_id"]), int(v["round"]))
            touched.add(where)
            rows = self._ballots.get(where)
            if rows is None:
                continue  # not tallied yet: read from the file when first asked
            fresh = {"answer": v["answer"], "parsed": json.loads(v["answer"]), "grp": v["grp"],
                     "ballot_uid": v["uid"], "updated_at": v["at"]}
            old = rows.get(int(v["id"]))
            if old is not None:  # a new dict: a result computed before keeps the ballots it had
                rows[int(v["id"])] = {**old, **fresh}
            else:
                rows[int(v["id"])] = {"id": int(v["id"]), "poll_id": where[0], "round": where[1],
                                      "voter": v["voter"], "source": v["source"], "weight": v["weight"],
                                      "hidden": v["hidden"], "created_at": v["at"], **fresh}
        self._stale.update(k for k in self._results if k[:2] in touched)

    def apply(self, edits: Sequence[Edit], origin: str = FACILITATOR) -> list[Edit]:
        """Apply a batch through the core operation (its rules included); returns the inverse."""
        return operations.apply_edits(self.store, self.live, edits, origin)

    def edit(self, edits: Sequence[Edit], text: str, origin: str = FACILITATOR) -> list[Edit]:
        """Apply an undoable batch of edits; returns the inverse. Raises `Refused` with a reason.

        `origin` says who started it in the change record (the facilitator, or an import)."""
        backward = self.apply(edits, origin)
        self.undo_stack.push(EditCommand(self, edits, backward, text))
        return backward

    # -- the vote feed ------------------------------------------------------------------------

    def start_writer(self) -> VoteWriter:
        """A vote writer in this process, drained here (tests and tools that feed it directly)."""
        if self.writer is None:
            self.writer = VoteWriter(self.store.path, self.live)
            self.writer.start()
            self.listen(self.writer.notices)
        return self.writer

    def stop_writer(self) -> None:
        if self.writer is not None:
            self.writer.stop()
            self.drain()
            self.writer = None
        self.stop_listening()

    def listen(self, notices: queue.SimpleQueue[dict[str, Any]]) -> None:
        """Drain stored votes and joins from `notices` (filled on another thread, or by the
        vote server's process) on the GUI thread, every `DRAIN_MS`."""
        self._feed = notices
        self._timer.start()

    def stop_listening(self) -> None:
        self.drain()
        self._feed = None
        self._timer.stop()

    def _announce_stale(self) -> None:
        self._stale |= self._lagging  # the votes stopped: the next ask computes the spreads too
        self._lagging.clear()
        polls = {k[0] for k in self._stale}
        if polls:  # redraw once more: the lagging results are computed afresh
            self.changed.emit(Changes(frozenset({"ballots"}), PHONE, event="votes", polls=frozenset(polls)))

    def drain(self) -> None:
        if self._feed is None:
            return
        started = time.monotonic()
        votes: list[dict[str, Any]] = []
        joined = 0
        notices = self._feed
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
            self._keep_ballots(votes)
            self._derive_result({int(v["poll_id"]) for v in votes})
            self.changed.emit(Changes.of({("ballots", int(v["id"])) for v in votes}, PHONE, event="votes",
                                         polls={int(v["poll_id"]) for v in votes}))
        if joined:
            self.changed.emit(Changes(frozenset({"devices"}), PHONE, event="join"))
        # Coalesce more when redrawing costs more: the GUI thread stays at most two-thirds busy
        # with votes (measured: a drain of 2,000 agreement ballots costs 15-35 ms here).
        cost_ms = 1000 * (time.monotonic() - started)
        self._timer.setInterval(max(DRAIN_MS, round(1.5 * cost_ms)))

    def close(self) -> MirrorState | None:
        """Close the workshop: the last save point first. For a synced or network folder, the
        returned state says whether the last changes reached it (else, where they are kept)."""
        self._catch_up.stop()
        self._result_timer.stop()
        self.stop_writer()
        for listener in (self.changed.emit, self._derive_live, self._forget_tallies):
            if listener in self.store.listeners:
                self.store.listeners.remove(listener)
        self.keeper.stop()
        self.store.close()
        if self.mirror is None:
            return None
        self.mirror.release()
        return self.mirror.status()

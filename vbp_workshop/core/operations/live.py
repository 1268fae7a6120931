"""Live operations: open, close, reveal, a new round, a new join code.

They are committed at once and are not undoable (the room has seen them). Each is one batch
through the store, so it is one change record (origin "live", with its event) that every screen
hears; the phones' `LiveState` is then derived from what the file now says (`derive`), never
edited beside it — except the one gate that must come first: a closing poll stops taking votes
before its close is written.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace

from vbp_workshop.core.file.store import Store, new_join_code
from vbp_workshop.core.model.changes import (
    CLOSED,
    HIDDEN,
    JOIN_CODE,
    LIVE,
    NEW_ROUND,
    OPENED,
    REVEALED,
    Edit,
    Insert,
    Update,
    now_iso,
)
from vbp_workshop.core.model.poll import BallotError, Poll, settings_problem
from vbp_workshop.core.model.room import LiveState
from vbp_workshop.core.model.tally import Tally
from vbp_workshop.core.polls import queries

# Where "fill_from" polls take their options when they open with no ballots yet.
FILL_SOURCES = {"ambitions": ("ambitions", "text"), "pilots": ("pilots", "name"),
                "metrics": ("metrics", "name")}


def derive(store: Store, live: LiveState, tally_of: Callable[[Poll], Tally] | None = None) -> None:
    """Make the phones' view match the file: the join code, the polls open in it as the file
    defines them now (an open poll's reworded question reaches the phones too), and the result
    of the poll shown, if it is revealed, counted from the ballots as they are now (`derive_result`).

    `tally_of` gives a round's tally if the caller keeps one current (the GUI does, from the
    vote feed): else it is counted from the file."""
    code = str(store.workshop().get("join_code") or "")
    if code and code != live.join_code:
        with live.lock:
            live.join_code = code
    live.min_group_size = queries.min_group(store)
    now = {p.id: queries.with_statement(store, p) for p in queries.polls(store) if p.is_open}
    for old in live.open_polls():
        if old.id not in now:
            live.close_poll(old.id)
    shown = {p.id: p for p in live.open_polls()}
    for poll in now.values():
        was = shown.get(poll.id)
        # Revealing is not a new question: the result is derived below, so a flag that alone
        # changed does not re-send the poll to every phone (one broadcast per reveal, not three).
        if was is None or replace(was, revealed=poll.revealed) != poll or was.settings != poll.settings:
            live.open_poll(poll)
    derive_result(store, live, tally_of)


def derive_result(store: Store, live: LiveState, tally_of: Callable[[Poll], Tally] | None = None) -> bool:
    """The revealed result the phones see, derived from the file and the ballots as they are now:
    after a reveal, after every vote drained, a hand count, a hidden answer, a close. The one place
    the phones' result is made, so the phones, the projector and the window never disagree.
    True if what the phones are shown changed (they are told only then)."""
    current = live.current
    if current is None:
        return False
    row = store.row("polls", current)
    poll = Poll.from_row(row) if row is not None else None
    result = None
    if poll is not None and poll.revealed:
        t = tally_of(poll) if tally_of is not None else queries.round_tally(store, poll)
        result = queries.public_result(poll, t)
    before = live.version
    live.show_result(current, result)
    return live.version != before


def _round_edit(store: Store, poll_id: int, round_: int, **values: str) -> Edit:
    row = store.rows("poll_rounds", "poll_id = ? AND round = ?", (poll_id, round_))
    if row:
        return Update("poll_rounds", row[0]["id"], values)
    return Insert("poll_rounds", {"poll_id": poll_id, "round": round_, **values})


def _close_edits(store: Store, poll: Poll) -> list[Edit]:
    return [Update("polls", poll.id, {"state": "closed"}),
            _round_edit(store, poll.id, poll.round, closed_at=now_iso())]


def _fill_edits(store: Store, poll: Poll) -> list[Edit]:
    """A "fill_from" poll takes its options from the step's content when it opens unanswered."""
    source = FILL_SOURCES.get(str(poll.settings.get("fill_from", "")))
    if source is None or queries.answer_count(store, poll.id):
        return []
    table, column = source
    names = [r[column] for r in store.rows(table) if str(r[column]).strip()]
    return [Update("polls", poll.id, {"options": json.dumps(names, ensure_ascii=False)})] if names else []


def open_poll(store: Store, live: LiveState, poll_id: int) -> Poll:
    """Open a poll for votes, closing any other open poll (the room answers one at a time)."""
    poll = queries.get_poll(store, poll_id)
    fill = _fill_edits(store, poll)
    options = json.loads(str(fill[0].values["options"])) if fill else list(poll.options)  # type: ignore[union-attr]
    problem = settings_problem(poll.kind, options, poll.settings)
    if problem:
        raise BallotError(problem)
    others = [p for p in queries.polls(store) if p.is_open and p.id != poll_id]
    for other in others:
        live.close_poll(other.id)  # the gate first: no vote for it after this line
    edits: list[Edit] = [e for other in others for e in _close_edits(store, other)]
    edits += [*fill, Update("polls", poll_id, {"state": "open", "revealed": 0}),
              _round_edit(store, poll_id, poll.round, opened_at=now_iso(), closed_at="")]
    store.apply(edits, LIVE, event=OPENED)
    derive(store, live)
    return queries.get_poll(store, poll_id)


def close_poll(store: Store, live: LiveState, poll_id: int,
               tally_of: Callable[[Poll], Tally] | None = None) -> None:
    live.close_poll(poll_id)  # first: the writer refuses new votes from this moment
    poll = queries.get_poll(store, poll_id)
    store.apply(_close_edits(store, poll), LIVE, event=CLOSED)
    derive(store, live, tally_of)


def reveal(store: Store, live: LiveState, poll_id: int, shown: bool,
           tally_of: Callable[[Poll], Tally] | None = None) -> None:
    """Show (or hide) a poll's result on the phones. `tally_of` gives the round's tally if the
    caller keeps one current (the GUI does, from the vote feed): else it is counted from the file.
    The result itself is derived from the file (`derive_result`), as after every other change."""
    if shown:
        live.point_at(poll_id)  # the phones are shown this poll's result from now on
    store.apply([Update("polls", poll_id, {"revealed": int(shown)})], LIVE, event=REVEALED if shown else HIDDEN)
    derive_result(store, live, tally_of)


def new_round(store: Store, live: LiveState, poll_id: int) -> Poll:
    """Start a re-vote: the next round opens empty; earlier rounds stay for comparison."""
    poll = queries.get_poll(store, poll_id)
    if poll.is_open:
        close_poll(store, live, poll_id)
    store.apply([Update("polls", poll_id, {"round": poll.round + 1, "revealed": 0, "state": "draft"})],
                LIVE, event=NEW_ROUND)
    live.show_result(poll_id, None)
    return open_poll(store, live, poll_id)


def rotate_join_code(store: Store, live: LiveState) -> str:
    """A fresh join code (if the old one spread beyond the room); joined phones stay joined."""
    code = new_join_code()
    store.apply([Update("workshop", 1, {"join_code": code})], LIVE, event=JOIN_CODE)
    derive(store, live)
    return code

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


def derive(store: Store, live: LiveState) -> None:
    """Make the phones' view match the file: the join code, and the polls open in it as the file
    defines them now (an open poll's reworded question reaches the phones too)."""
    code = str(store.workshop().get("join_code") or "")
    if code and code != live.join_code:
        with live.lock:
            live.join_code = code
    live.min_group_size = queries.min_group(store)
    now = {p.id: p for p in queries.polls(store) if p.is_open}
    for old in live.open_polls():
        if old.id not in now:
            live.close_poll(old.id)
    shown = {p.id: p for p in live.open_polls()}
    for poll in now.values():
        was = shown.get(poll.id)
        # Revealing is not a new question: `reveal` shows the result itself, so a flag that alone
        # changed does not re-send the poll to every phone (one broadcast per reveal, not three).
        if was is None or replace(was, revealed=poll.revealed) != poll or was.settings != poll.settings:
            live.open_poll(poll)
            if poll.revealed:  # an open poll reworded while its result shows keeps showing it
                live.show_result(poll.id, queries.public_result(poll, queries.round_tally(store, poll)))


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


def close_poll(store: Store, live: LiveState, poll_id: int) -> None:
    live.close_poll(poll_id)  # first: the writer refuses new votes from this moment
    poll = queries.get_poll(store, poll_id)
    store.apply(_close_edits(store, poll), LIVE, event=CLOSED)
    derive(store, live)


def reveal(store: Store, live: LiveState, poll_id: int, shown: bool,
           tally_of: Callable[[Poll], Tally] | None = None) -> None:
    """Show (or hide) a poll's result on the phones. `tally_of` gives the round's tally if the
    caller keeps one current (the GUI does, from the vote feed): else it is counted from the file."""
    store.apply([Update("polls", poll_id, {"revealed": int(shown)})], LIVE, event=REVEALED if shown else HIDDEN)
    poll = queries.get_poll(store, poll_id)
    if not shown:
        live.show_result(poll_id, None)
        return
    t = tally_of(poll) if tally_of is not None else queries.round_tally(store, poll)
    live.show_result(poll_id, queries.public_result(poll, t))


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

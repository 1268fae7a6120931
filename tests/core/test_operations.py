"""Core operations: the rules every change goes through, whoever asks (a screen, undo, redo).

Each test here reproduces a defect of the first build and failed before its fix.
"""

from __future__ import annotations

import json
import sqlite3

import pytest

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.intake.votes import PollClosed, Vote, VoteWriter
from vbp_workshop.core.model.changes import UNDO, Changes, Delete, Update
from vbp_workshop.core.model.room import LiveState
from vbp_workshop.core.operations import Refused, apply_edits, frozen_reason
from vbp_workshop.core.operations.live import new_round, open_poll, reveal
from vbp_workshop.core.operations.polls import hand_count_edits, new_poll_edit
from vbp_workshop.core.polls import queries


@pytest.fixture
def live_writer(store: Store):
    live = LiveState(store.workshop()["join_code"])
    writer = VoteWriter(store.path, live)
    writer.start()
    yield live, writer
    writer.stop()


def _poll(store: Store, kind: str) -> int:
    return next(p.id for p in queries.polls(store) if p.kind == kind)


def test_options_are_frozen_once_any_round_has_answers(store: Store, live_writer) -> None:
    """Defect: options edited after round 1's votes (round 2 still empty) broke round 1's tally."""
    live, writer = live_writer
    pid = _poll(store, "single")
    open_poll(store, live, pid)
    writer.vote(Vote(pid, 1, "d-1", "", 2, "uid-000001"))  # the third option
    new_round(store, live, pid)  # round 2: no answers yet
    fewer = Update("polls", pid, {"options": json.dumps(["Only", "Two"])})
    with pytest.raises(Refused, match="Duplicate"):
        apply_edits(store, live, [fewer])
    poll = queries.get_poll(store, pid)
    assert len(poll.options) >= 3  # unchanged
    assert queries.round_tally(store, poll, 1).counts[2] == 1  # round 1 still tallies
    # A wording fix is still fine, and so is any change before the first answer.
    apply_edits(store, live, [Update("polls", pid, {"question": "Reworded?"})])
    assert queries.get_poll(store, pid).question == "Reworded?"
    other = _poll(store, "multiple")
    assert not frozen_reason(store, other)
    apply_edits(store, live, [Update("polls", other, {"options": json.dumps(["X", "Y"])})])


def test_a_scale_cannot_shrink_under_its_answers(store: Store, live_writer) -> None:
    live, writer = live_writer
    pid = _poll(store, "scale")
    open_poll(store, live, pid)
    writer.vote(Vote(pid, 1, "d-1", "", 9, "uid-000001"))
    with pytest.raises(Refused):
        apply_edits(store, live, [Update("polls", pid, {"settings": json.dumps({"min": 0, "max": 5})})])


def test_undo_of_an_options_edit_after_votes_is_refused(store: Store, live_writer) -> None:
    """The inverse of an edit goes through the same rule: options edited, votes cast, undo."""
    live, writer = live_writer
    pid = _poll(store, "single")
    backward = apply_edits(store, live, [Update("polls", pid, {"options": json.dumps(list("ABCDEF"))})])
    open_poll(store, live, pid)
    writer.vote(Vote(pid, 1, "d-1", "", 5, "uid-000001"))  # "F", which the undo would remove
    with pytest.raises(Refused):
        apply_edits(store, live, backward, UNDO)
    assert queries.round_tally(store, queries.get_poll(store, pid)).counts[5] == 1


def test_deleting_an_open_poll_closes_it_so_votes_are_refused_not_failed(store: Store, live_writer) -> None:
    """Defect: undoing "Add poll" while it was open left it open on the phones; the next vote
    for it failed its whole batch on a foreign key (500 for every phone in that batch)."""
    live, writer = live_writer
    added = new_poll_edit(1, "single", "Added?", ["Yes", "No"])
    undo_add = apply_edits(store, live, [added])
    assert isinstance(undo_add[0], Delete)
    pid = undo_add[0].id
    open_poll(store, live, pid)
    writer.vote(Vote(pid, 1, "d-1", "", 0, "uid-000001"))
    apply_edits(store, live, undo_add, UNDO)
    assert store.row("polls", pid) is None
    assert live.accepting(pid, 1) is None
    assert live.snapshot()["poll"] is None
    with pytest.raises(PollClosed):  # a clear refusal, never sqlite3.IntegrityError
        writer.vote(Vote(pid, 1, "d-2", "", 0, "uid-000002"))
    # A vote for another poll still goes through.
    other = _poll(store, "scale")
    open_poll(store, live, other)
    assert writer.vote(Vote(other, 1, "d-2", "", 3, "uid-000003")).ballot_id


def test_the_store_refuses_to_delete_an_open_poll_directly(store: Store) -> None:
    live = LiveState()
    pid = _poll(store, "single")
    open_poll(store, live, pid)
    from vbp_workshop.core.operations import poll_integrity

    with pytest.raises(Refused, match="close it"):
        store.apply([Delete("polls", pid)], check=poll_integrity)
    assert store.row("polls", pid) is not None


def test_a_points_hand_count_counts_people_not_options(store: Store) -> None:
    """Defect: each option's points were an entry of weight 1, so three options with points
    made three "respondents"; a count of people multiplied the points instead."""
    back = store.apply([new_poll_edit(4, "points", "Where?", ["A", "B", "C"], {"budget": 10})])
    poll = queries.get_poll(store, back[0].id)  # type: ignore[union-attr]
    entries = [("payer", {"0": 12, "1": 8, "2": 5}, 4)]  # 4 people placed 25 points
    store.apply(hand_count_edits(poll, poll.round, entries))
    t = queries.round_tally(store, poll)
    assert t.respondents == 4
    assert t.counts[:3] == [12, 8, 5]
    assert t.by_source == {"hand": 4}
    with pytest.raises(Exception, match="how many people"):
        hand_count_edits(poll, poll.round, [("", {"0": 3}, 0)])


def test_every_edit_says_which_rows_and_who(store: Store) -> None:
    seen: list[Changes] = []
    store.listeners.append(seen.append)
    backward = apply_edits(store, None, [Update("workshop", 1, {"title": "T"})])
    apply_edits(store, None, backward, UNDO)
    assert seen[0].rows == {("workshop", 1)} and seen[0].origin == "facilitator"
    assert seen[1].origin == "undo" and seen[1].ids_in("workshop") == {1}


def test_a_refused_batch_writes_nothing(store: Store, live_writer) -> None:
    live, writer = live_writer
    pid = _poll(store, "single")
    open_poll(store, live, pid)
    writer.vote(Vote(pid, 1, "d-1", "", 0, "uid-000001"))
    with pytest.raises(Refused):
        apply_edits(store, live, [Update("workshop", 1, {"title": "Changed"}),
                                  Update("polls", pid, {"kind": "multiple"})])
    assert store.workshop()["title"] != "Changed"
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("SELECT kind FROM polls WHERE id = ?", (pid,)).fetchone()[0] == "single"


def test_an_open_revealed_poll_reworded_keeps_its_result_on_the_phones(store: Store, live_writer) -> None:
    from vbp_workshop.core.operations import derive

    live, writer = live_writer
    pid = _poll(store, "scale")
    open_poll(store, live, pid)
    writer.vote(Vote(pid, 1, "d-1", "", 4, "uid-000001"))
    reveal(store, live, pid, True)
    assert live.snapshot()["result"]["respondents"] == 1
    apply_edits(store, live, [Update("polls", pid, {"question": "Reworded?"})])
    derive(store, live)
    snap = live.snapshot()
    assert snap["poll"]["question"] == "Reworded?" and snap["result"]["respondents"] == 1


def test_a_new_join_code_is_written_derived_and_announced(store: Store) -> None:
    from vbp_workshop.core.operations import rotate_join_code

    live = LiveState(store.workshop()["join_code"])
    seen: list[Changes] = []
    store.listeners.append(seen.append)
    old = live.join_code
    code = rotate_join_code(store, live)
    assert code != old and len(code) == 5 and not set(code) & set("01IO")
    assert store.workshop()["join_code"] == code == live.join_code
    assert [(c.event, c.origin, c.rows) for c in seen] == [("join_code", "live", frozenset({("workshop", 1)}))]


def test_a_step_field_is_merged_into_the_others(store: Store) -> None:
    from vbp_workshop.core.operations import step_field_edit

    store.apply([step_field_edit(store, 2, "risk_appetite", "low")])
    edit = step_field_edit(store, 2, "notes", "Café ✓")
    assert (edit.table, edit.id) == ("steps", 2) and "Café ✓" in edit.values["fields"]  # not \\u-escaped
    store.apply([edit])
    assert store.step_fields(2) == {"risk_appetite": "low", "notes": "Café ✓"}


def test_open_close_and_reveal_write_their_rounds_and_records(store: Store) -> None:
    from vbp_workshop.core.operations import close_poll, open_poll, reveal

    live = LiveState()
    seen: list[Changes] = []
    store.listeners.append(seen.append)
    first, second = _poll(store, "scale"), _poll(store, "fist")
    open_poll(store, live, first)
    open_poll(store, live, second)  # closes the first: the room answers one at a time
    assert queries.get_poll(store, first).state == "closed" and queries.get_poll(store, second).is_open
    assert [p.id for p in live.open_polls()] == [second]
    rounds = {r["poll_id"]: r for r in store.rows("poll_rounds")}
    # Times are kept to the millisecond: opening the second poll can close the first within the
    # millisecond it was opened, so "not before" is what holds (a strict "<" failed in CI).
    assert rounds[first]["closed_at"] and rounds[first]["opened_at"] <= rounds[first]["closed_at"]
    assert rounds[second]["closed_at"] == ""
    assert seen[-1].event == "open" and seen[-1].ids_in("polls") == {first, second}
    reveal(store, live, second, True)
    assert queries.get_poll(store, second).revealed and live.snapshot()["result"]["poll_id"] == second
    assert (seen[-1].event, seen[-1].origin) == ("reveal", "live")
    reveal(store, live, second, False)
    assert not queries.get_poll(store, second).revealed and live.snapshot()["result"] is None
    assert seen[-1].event == "hide"
    close_poll(store, live, second)
    assert live.open_polls() == [] and seen[-1].event == "close"
    assert store.rows("poll_rounds", "poll_id = ?", (second,))[0]["closed_at"] != ""
    open_poll(store, live, second)  # reopened: the same round, open again
    assert store.rows("poll_rounds", "poll_id = ?", (second,))[0]["closed_at"] == ""


def test_a_poll_filled_from_the_step_takes_its_options_when_it_opens_unanswered(store: Store) -> None:
    from vbp_workshop.core.model.changes import Insert
    from vbp_workshop.core.operations import open_poll

    store.apply([Insert("pilots", {"name": "Lipid clinics"}), Insert("pilots", {"name": "Pharmacist reviews"}),
                 Insert("pilots", {"name": "  "})])
    back = store.apply([new_poll_edit(4, "single", "Which pilot?", [], {"fill_from": "pilots"})])
    pid = back[0].id  # type: ignore[union-attr]
    assert open_poll(store, LiveState(), pid).options == ("Lipid clinics", "Pharmacist reviews")
    empty = store.apply([new_poll_edit(4, "single", "Which metric?", [], {"fill_from": "metrics"})])
    with pytest.raises(Exception, match="Add the options"):
        open_poll(store, LiveState(), empty[0].id)  # type: ignore[union-attr]


def test_a_new_round_starts_empty_hidden_and_announced(store: Store, live_writer) -> None:
    from vbp_workshop.core.operations import new_round, open_poll, reveal

    live, writer = live_writer
    pid = _poll(store, "scale")
    open_poll(store, live, pid)
    writer.vote(Vote(pid, 1, "d-1", "", 4, "uid-000001"))
    reveal(store, live, pid, True)
    seen: list[Changes] = []
    store.listeners.append(seen.append)
    poll = new_round(store, live, pid)
    assert (poll.round, poll.revealed, poll.state) == (2, False, "open")
    assert [(c.event, c.origin) for c in seen] == [("close", "live"), ("round", "live"), ("open", "live")]
    assert live.snapshot()["result"] is None and live.accepting(pid, 2) is not None
    rounds = store.rows("poll_rounds", "poll_id = ?", (pid,))
    marks = [(r["round"], r["opened_at"] != "", r["closed_at"] != "") for r in rounds]
    assert marks == [(1, True, True), (2, True, False)]
    reveal(store, live, pid, True)
    assert open_poll(store, live, pid).revealed is False  # opening hides the result again


def test_a_poll_the_file_says_is_open_is_closed_before_deletion_even_if_the_room_forgot(store: Store) -> None:
    from vbp_workshop.core.operations import open_poll

    pid = _poll(store, "scale")
    open_poll(store, LiveState(), pid)  # another session's room (a crash): the file says open
    apply_edits(store, LiveState(), [Delete("polls", pid)])
    assert store.row("polls", pid) is None


def test_the_frozen_reason_counts_answers(store: Store) -> None:
    from vbp_workshop.core.model.changes import Insert

    pid = _poll(store, "single")
    store.apply([Insert("ballots", {"poll_id": pid, "round": 1, "voter": "v1", "answer": "0"})])
    assert frozen_reason(store, pid).startswith("This poll already has 1 answer (in this")
    store.apply([Insert("ballots", {"poll_id": pid, "round": 1, "voter": "v2", "answer": "0", "weight": 4})])
    reason = frozen_reason(store, pid)
    assert reason.startswith("This poll already has 5 answers (in this") and reason.endswith("start a New round.")
    assert "type, options and scale are fixed" in reason


def test_the_live_state_follows_the_file(store: Store) -> None:
    from vbp_workshop.core.operations import derive, open_poll

    live = LiveState("OLD")
    pid, other = _poll(store, "scale"), _poll(store, "fist")
    open_poll(store, live, pid)
    store.apply([Update("workshop", 1, {"min_group_size": 5})])
    stale = LiveState("OLD")
    stale.open_poll(queries.get_poll(store, other))  # the room thinks another poll is open
    derive(store, stale)
    assert stale.join_code == store.workshop()["join_code"] and stale.min_group_size == 5
    assert [p.id for p in stale.open_polls()] == [pid]
    store.apply([Update("polls", pid, {"settings": json.dumps({"min": 0, "max": 7})})])
    derive(store, stale)
    assert stale.snapshot()["poll"]["max"] == 7  # a settings change is sent again
    version = stale.version
    derive(store, stale)
    assert stale.version == version  # nothing changed: the phones are not told anything


def test_options_filled_from_the_step_keep_their_accents(store: Store) -> None:
    from vbp_workshop.core.model.changes import Insert
    from vbp_workshop.core.operations import open_poll

    store.apply([Insert("pilots", {"name": "Clinique café"}), Insert("pilots", {"name": "Revue"})])
    back = store.apply([new_poll_edit(4, "single", "Which?", [], {"fill_from": "pilots"})])
    pid = back[0].id  # type: ignore[union-attr]
    open_poll(store, LiveState(), pid)
    assert "café" in store.row("polls", pid)["options"]


def test_a_reveal_reaches_the_phones_as_one_update(store: Store, live_writer) -> None:
    """A reveal changed the poll's flag, so deriving the phones' view re-sent the question and the
    result before the reveal sent the result again: three broadcasts to every phone, not one."""
    from vbp_workshop.core.operations import derive

    live, writer = live_writer
    store.listeners.append(lambda changes: derive(store, live))  # as the session does on every change
    pid = _poll(store, "scale")
    open_poll(store, live, pid)
    writer.vote(Vote(pid, 1, "d-1", "", 4, "uid-000001"))
    before = live.version
    reveal(store, live, pid, True)
    assert live.version == before + 1
    assert live.snapshot()["result"]["respondents"] == 1 and live.snapshot()["poll"]["id"] == pid
    reveal(store, live, pid, False)
    assert live.version == before + 2 and live.snapshot()["result"] is None


def test_text_typed_or_pasted_into_a_form_is_cleaned_where_it_enters(store: Store) -> None:
    """A "\\x0b" pasted into a name, or U+FFFE in a step field, made the workbook impossible."""
    from vbp_workshop.core.model.changes import Insert
    from vbp_workshop.core.operations import step_field_edit

    pasted = {"name": "North\x0bbridge\ufffe ICB\x01", "stakeholder": "payer"}
    back = apply_edits(store, None, [Insert("partners", pasted)])
    pid = back[0].id  # type: ignore[union-attr]
    assert store.row("partners", pid)["name"] == "Northbridge ICB"
    apply_edits(store, None, [step_field_edit(store, 2, "risk_appetite", "Low\x0b\nthen\tmore\ud800")])
    assert store.step_fields(2)["risk_appetite"] == "Low\nthen\tmore"  # tab and newline kept
    apply_edits(store, None, [Update("polls", _poll(store, "single"), {"options": json.dumps(["A\x01", "B"])})])
    assert queries.get_poll(store, _poll(store, "single")).options == ("A", "B")

"""The phones' live state and what the vote writer tells the GUI, field by field (these close
the gaps mutation testing found in core/intake/votes.py: nothing checked the snapshot's fields, the
notice's fields or a re-join)."""

from __future__ import annotations

import sqlite3

import pytest

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.intake.votes import Join, Vote, VoteWriter, token_hash
from vbp_workshop.core.model.poll import Poll
from vbp_workshop.core.model.room import LiveState
from vbp_workshop.core.operations.live import open_poll
from vbp_workshop.core.polls import queries


def _poll(id_: int, state: str = "open") -> Poll:
    return Poll(id=id_, kind="single", question=f"Q{id_}?", options=("A", "B"), state=state)


def test_the_snapshot_shows_the_open_poll_then_its_closing_then_its_result() -> None:
    live = LiveState("ABCDE", 4)
    assert (live.join_code, live.min_group_size, live.version) == ("ABCDE", 4, 0)
    assert live.snapshot() == {"version": 0, "poll": None, "closed_poll": None, "result": None}
    heard: list[int] = []
    live.subscribe(lambda: heard.append(live.version))
    live.open_poll(_poll(3))
    assert live.snapshot() == {"version": 1, "poll": _poll(3).public(), "closed_poll": None, "result": None}
    live.close_poll(3)
    assert live.snapshot() == {"version": 2, "poll": None, "closed_poll": 3, "result": None}
    live.close_poll(99)  # not open, not shown: nothing changes, nobody is told
    assert live.version == 2
    live.show_result(3, {"bars": []})
    assert live.snapshot() == {"version": 3, "poll": None, "closed_poll": 3, "result": {"bars": []}}
    live.show_result(3, None)
    assert live.snapshot()["result"] is None and live.snapshot()["closed_poll"] == 3
    assert heard == [1, 2, 3, 4]
    live.open_poll(_poll(5))  # a new poll clears the old result
    assert live.snapshot()["poll"]["id"] == 5 and live.snapshot()["result"] is None
    assert [p.id for p in live.open_polls()] == [5]
    assert live.accepting(5, 1) is not None and live.accepting(5, 2) is None and live.accepting(3, 1) is None


@pytest.fixture
def writer(store: Store):
    live = LiveState(store.workshop()["join_code"])
    w = VoteWriter(store.path, live)
    w.start()
    yield store, live, w
    w.stop()


def test_a_vote_notice_carries_every_field_the_gui_uses(writer) -> None:
    store, live, w = writer
    pid = next(p.id for p in queries.polls(store) if p.kind == "scale")
    open_poll(store, live, pid)
    first = w.vote(Vote(pid, 1, "d-1", "payer", 7, "uid-00000001"))
    n = w.notices.get_nowait()
    assert n.pop("at") and {k: n[k] for k in sorted(n)} == {
        "answer": "7", "grp": "payer", "hidden": 0, "id": first.ballot_id, "poll_id": pid,
        "replaced": False, "round": 1, "source": "phone", "type": "vote", "uid": "uid-00000001",
        "voter": "d-1", "weight": 1}
    again = w.vote(Vote(pid, 1, "d-1", "pharma", 2, "uid-00000002"))
    n = w.notices.get_nowait()
    assert again.ballot_id == first.ballot_id and again.replaced and n["replaced"] is True
    assert (n["answer"], n["grp"], n["uid"]) == ("2", "pharma", "uid-00000002")
    with sqlite3.connect(store.path) as conn:
        row = conn.execute("SELECT answer, grp, ballot_uid, source, weight, created_at <= updated_at "
                           "FROM ballots WHERE id = ?", (first.ballot_id,)).fetchone()
    assert row == ("2", "pharma", "uid-00000002", "phone", 1, 1)
    assert w.committed >= 2 and w.batches >= 2


def test_a_phone_that_joins_again_keeps_its_pseudonym_and_changes_group(writer) -> None:
    store, _live, w = writer
    h = token_hash("token-1")
    first = w.submit(Join(h, "payer")).result(timeout=10)
    assert first.startswith("d-") and len(first) == 14
    assert w.notices.get_nowait() == {"type": "join"}
    again = w.submit(Join(h, "pharma")).result(timeout=10)
    assert again == first and w.notices.empty()  # a re-join is not a new phone
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("SELECT pseudonym, grp, joined_at != '' FROM devices").fetchall() == [(first, "pharma", 1)]
    other = w.submit(Join(token_hash("token-2"), "")).result(timeout=10)
    assert other != first and queries.joined_devices(store) == 2

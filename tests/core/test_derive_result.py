"""The phones' revealed result is derived from the file after every change, not set once when
Reveal is pressed (issue 24 item 1), and a consent poll carries its statement to the phones."""

from __future__ import annotations

from vbp_workshop.core import operations
from vbp_workshop.core.file.store import Store
from vbp_workshop.core.intake.votes import Vote, VoteWriter
from vbp_workshop.core.model.changes import Insert, Update
from vbp_workshop.core.model.room import LiveState
from vbp_workshop.core.operations.live import close_poll, open_poll, reveal
from vbp_workshop.core.operations.polls import hand_count_edits, new_poll_edit
from vbp_workshop.core.polls import queries


def test_votes_after_a_reveal_reach_the_phones_result(store: Store) -> None:
    live = LiveState(store.workshop()["join_code"])
    writer = VoteWriter(store.path, live)
    writer.start()
    try:
        pid = next(p.id for p in queries.polls(store) if p.kind == "scale")
        open_poll(store, live, pid)
        for n in range(4):
            writer.vote(Vote(pid, 1, f"d-{n}", "", 8, f"uid-before-{n}"))
        reveal(store, live, pid, True)
        assert live.snapshot()["result"]["respondents"] == 4
        for n in range(5):
            writer.vote(Vote(pid, 1, f"d-late-{n}", "", 2, f"uid-after-{n}"))
        version = live.version
        assert operations.derive_result(store, live) is True  # what the GUI does on each drain
        assert live.snapshot()["result"]["respondents"] == 9 and live.version == version + 1
        assert operations.derive_result(store, live) is False  # nothing new: the phones are not told
        assert live.version == version + 1
        close_poll(store, live, pid)
        snap = live.snapshot()
        assert snap["closed_poll"] == pid and snap["result"]["respondents"] == 9
        reveal(store, live, pid, False)
        assert live.snapshot()["result"] is None
    finally:
        writer.stop()


def test_a_hand_count_after_the_reveal_reaches_the_phones(store: Store) -> None:
    live = LiveState(store.workshop()["join_code"])
    pid = next(p.id for p in queries.polls(store) if p.kind == "scale")
    open_poll(store, live, pid)
    reveal(store, live, pid, True)
    assert live.snapshot()["result"]["respondents"] == 0
    poll = queries.get_poll(store, pid)
    operations.apply_edits(store, live, hand_count_edits(poll, 1, [("", 7, 3)]), "facilitator")
    operations.derive(store, live)  # what the session does on every change record
    assert live.snapshot()["result"]["respondents"] == 3


def test_a_consent_poll_on_a_rule_carries_the_rule(store: Store) -> None:
    live = LiveState(store.workshop()["join_code"])
    rule_id = store.apply([Insert("rules", {"text": "Decisions by consent", "pos": 1})], "facilitator")[0].id
    back = store.apply([new_poll_edit(3, "fist", "Can you live with it?", [], {}, f"rule:{rule_id}")],
                       "facilitator")
    pid = back[0].id
    open_poll(store, live, pid)
    assert live.snapshot()["poll"]["statement"] == "Decisions by consent"
    store.apply([Update("rules", rule_id, {"text": "Decisions by consent of all partners"})], "facilitator")
    operations.derive(store, live)
    assert live.snapshot()["poll"]["statement"] == "Decisions by consent of all partners"

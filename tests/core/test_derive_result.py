"""The phones' revealed result is derived from the file after every change, not set once when
Reveal is pressed (issue 24 item 1), and a consent poll carries its statement to the phones."""

from __future__ import annotations

from vbp_workshop.core import operations, pollops
from vbp_workshop.core.store import Insert, Store, Update
from vbp_workshop.core.votes import LiveState, Vote, VoteWriter


def test_votes_after_a_reveal_reach_the_phones_result(store: Store) -> None:
    live = LiveState(store.workshop()["join_code"])
    writer = VoteWriter(store.path, live)
    writer.start()
    try:
        pid = next(p.id for p in pollops.polls(store) if p.kind == "scale")
        pollops.open_poll(store, live, pid)
        for n in range(4):
            writer.vote(Vote(pid, 1, f"d-{n}", "", 8, f"uid-before-{n}"))
        pollops.reveal(store, live, pid, True)
        assert live.snapshot()["result"]["respondents"] == 4
        for n in range(5):
            writer.vote(Vote(pid, 1, f"d-late-{n}", "", 2, f"uid-after-{n}"))
        version = live.version
        assert operations.derive_result(store, live) is True  # what the GUI does on each drain
        assert live.snapshot()["result"]["respondents"] == 9 and live.version == version + 1
        assert operations.derive_result(store, live) is False  # nothing new: the phones are not told
        assert live.version == version + 1
        pollops.close_poll(store, live, pid)
        snap = live.snapshot()
        assert snap["closed_poll"] == pid and snap["result"]["respondents"] == 9
        pollops.reveal(store, live, pid, False)
        assert live.snapshot()["result"] is None
    finally:
        writer.stop()


def test_a_hand_count_after_the_reveal_reaches_the_phones(store: Store) -> None:
    live = LiveState(store.workshop()["join_code"])
    pid = next(p.id for p in pollops.polls(store) if p.kind == "scale")
    pollops.open_poll(store, live, pid)
    pollops.reveal(store, live, pid, True)
    assert live.snapshot()["result"]["respondents"] == 0
    poll = pollops.get_poll(store, pid)
    operations.apply_edits(store, live, pollops.hand_count_edits(poll, 1, [("", 7, 3)]), "facilitator")
    operations.derive(store, live)  # what the session does on every change record
    assert live.snapshot()["result"]["respondents"] == 3


def test_a_consent_poll_on_a_rule_carries_the_rule(store: Store) -> None:
    live = LiveState(store.workshop()["join_code"])
    rule_id = store.apply([Insert("rules", {"text": "Decisions by consent", "pos": 1})], "facilitator")[0].id
    back = store.apply([pollops.new_poll_edit(3, "fist", "Can you live with it?", [], {}, f"rule:{rule_id}")],
                       "facilitator")
    pid = back[0].id
    pollops.open_poll(store, live, pid)
    assert live.snapshot()["poll"]["statement"] == "Decisions by consent"
    store.apply([Update("rules", rule_id, {"text": "Decisions by consent of all partners"})], "facilitator")
    operations.derive(store, live)
    assert live.snapshot()["poll"]["statement"] == "Decisions by consent of all partners"

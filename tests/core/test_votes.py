"""The vote intake: on disk before the ack, idempotent retries, closed polls refused, rounds,
hand counts, and live poll operations."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.intake.votes import Join, PollClosed, Vote, VoteWriter, token_hash
from vbp_workshop.core.model.poll import BallotError
from vbp_workshop.core.model.room import LiveState
from vbp_workshop.core.operations.live import close_poll, new_round, open_poll, reveal
from vbp_workshop.core.operations.polls import apply_result_edits, hand_count_edits
from vbp_workshop.core.polls import queries


@pytest.fixture
def live_writer(store: Store):
    live = LiveState(store.workshop()["join_code"])
    writer = VoteWriter(store.path, live)
    writer.start()
    yield live, writer
    writer.stop()


def single_poll(store: Store) -> int:
    return next(p.id for p in queries.polls(store, 3) if p.kind == "single")


def committed(path: Path, poll_id: int) -> list[tuple[str, str]]:
    """What another connection sees on disk."""
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        return list(conn.execute("SELECT voter, answer FROM ballots WHERE poll_id = ? ORDER BY id", (poll_id,)))
    finally:
        conn.close()


def test_an_acknowledged_vote_is_already_on_disk(store: Store, live_writer) -> None:
    live, writer = live_writer
    pid = single_poll(store)
    open_poll(store, live, pid)
    receipt = writer.vote(Vote(pid, 1, "d-1", "pharma", 2, "uid-000001"))
    assert committed(store.path, pid) == [("d-1", "2")]
    assert not receipt.replaced and not receipt.duplicate
    notice = writer.notices.get_nowait()
    assert notice["poll_id"] == pid and notice["answer"] == "2"


def test_a_retry_is_stored_once_and_a_change_replaces(store: Store, live_writer) -> None:
    live, writer = live_writer
    pid = single_poll(store)
    open_poll(store, live, pid)
    writer.vote(Vote(pid, 1, "d-1", "", 0, "uid-000001"))
    again = writer.vote(Vote(pid, 1, "d-1", "", 0, "uid-000001"))
    assert again.duplicate
    changed = writer.vote(Vote(pid, 1, "d-1", "", 3, "uid-000002"))
    assert changed.replaced
    assert committed(store.path, pid) == [("d-1", "3")]


def test_votes_on_a_closed_poll_are_refused_but_a_retry_of_a_stored_one_is_acked(store: Store, live_writer) -> None:
    live, writer = live_writer
    pid = single_poll(store)
    with pytest.raises(PollClosed):
        writer.vote(Vote(pid, 1, "d-1", "", 0, "uid-000001"))
    open_poll(store, live, pid)
    writer.vote(Vote(pid, 1, "d-1", "", 0, "uid-000001"))
    close_poll(store, live, pid)
    assert writer.vote(Vote(pid, 1, "d-1", "", 0, "uid-000001")).duplicate  # lost ack, retried
    with pytest.raises(PollClosed, match="closed"):
        writer.vote(Vote(pid, 1, "d-2", "", 0, "uid-000002"))
    assert len(committed(store.path, pid)) == 1
    row = store.rows("poll_rounds", "poll_id = ?", (pid,))[0]
    assert row["opened_at"] and row["closed_at"]


def test_a_new_round_opens_empty_and_keeps_the_first(store: Store, live_writer) -> None:
    live, writer = live_writer
    pid = single_poll(store)
    open_poll(store, live, pid)
    writer.vote(Vote(pid, 1, "d-1", "", 0, "uid-000001"))
    poll = new_round(store, live, pid)
    assert poll.round == 2 and poll.is_open
    with pytest.raises(PollClosed):  # a phone still showing round 1
        writer.vote(Vote(pid, 1, "d-2", "", 1, "uid-000002"))
    writer.vote(Vote(pid, 2, "d-1", "", 1, "uid-000003"))
    assert queries.round_tally(store, poll, 1).counts[0] == 1
    assert queries.round_tally(store, poll, 2).counts[1] == 1


def test_opening_one_poll_closes_the_other(store: Store, live_writer) -> None:
    live, _writer = live_writer
    a, b = [p.id for p in queries.polls(store, 2)][:2]
    open_poll(store, live, a)
    open_poll(store, live, b)
    assert [p.id for p in live.open_polls()] == [b]
    assert queries.get_poll(store, a).state == "closed"


def test_a_poll_with_no_options_cannot_open(store: Store, live_writer) -> None:
    live, _ = live_writer
    pid = next(p.id for p in queries.polls(store, 1) if p.kind == "points")  # fills from ambitions: none yet
    with pytest.raises(BallotError, match="Add the options"):
        open_poll(store, live, pid)
    from vbp_workshop.core.model.changes import Insert

    store.apply([Insert("ambitions", {"text": "One"}), Insert("ambitions", {"text": "Two"})])
    assert list(open_poll(store, live, pid).options) == ["One", "Two"]


def test_joining_gives_a_pseudonym_and_remembers_the_device(store: Store, live_writer) -> None:
    _live, writer = live_writer
    first = writer.submit(Join(token_hash("tok"), "pharma")).result(5)
    again = writer.submit(Join(token_hash("tok"), "payer")).result(5)
    assert first == again and first.startswith("d-")
    row = store.rows("devices")[0]
    assert row["grp"] == "payer" and row["token_hash"] != "tok"


def test_many_threads_voting_store_every_vote_exactly_once(store: Store, live_writer) -> None:
    live, writer = live_writer
    pid = single_poll(store)
    open_poll(store, live, pid)
    errors: list[BaseException] = []

    def phone(n: int) -> None:
        try:
            for k in range(20):
                writer.vote(Vote(pid, 1, f"d-{n}", "", k % 4, f"uid-{n:04d}-{k:04d}"))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=phone, args=(n,)) for n in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    rows = committed(store.path, pid)
    assert len(rows) == 30 and {a for _, a in rows} == {"3"}  # each phone's last answer
    assert writer.batches < writer.committed  # votes were group-committed


def test_hand_counts_are_validated_and_mix_with_phone_votes(store: Store, live_writer) -> None:
    live, writer = live_writer
    poll = queries.get_poll(store, single_poll(store))
    with pytest.raises(BallotError, match="Entry 2"):
        hand_count_edits(poll, 1, [("", 0, 3), ("", 9, 2)])
    with pytest.raises(BallotError, match="whole number"):
        hand_count_edits(poll, 1, [("", 0, -1)])
    store.apply(hand_count_edits(poll, 1, [("provider", 0, 12), ("pharma", 1, 0)]))
    open_poll(store, live, poll.id)
    writer.vote(Vote(poll.id, 1, "d-1", "pharma", 0, "uid-000001"))
    t = queries.round_tally(store, poll)
    assert t.counts[0] == 13 and t.by_source == {"hand": 12, "phone": 1}


def test_reveal_shows_the_result_to_phones_without_names(demo: Store) -> None:
    live = LiveState("ABCDE")
    poll = next(p for p in queries.polls(demo) if p.kind == "single" and queries.ballots(demo, p.id, 1))
    reveal(demo, live, poll.id, True)
    snap = live.snapshot()
    # Respondents as counted straight from the file: a phone is one, a hand count its weight.
    rows = queries.ballots(demo, poll.id, 1)
    assert rows and snap["result"]["respondents"] == sum(b["weight"] or 1 for b in rows)
    text = str(snap)
    for person in demo.rows("participants"):
        if person["display_name"]:
            assert person["display_name"] not in text
    reveal(demo, live, poll.id, False)
    assert live.snapshot()["result"] is None


def test_consent_and_matrix_results_fill_the_step_content(demo: Store) -> None:
    rule_poll = next(p for p in queries.polls(demo) if p.target == "rule:1")
    edits = apply_result_edits(demo, rule_poll)
    assert edits and "Adopted" in edits[0].values["consent"]
    matrix = next(p for p in queries.polls(demo) if p.target == "pilots")
    pilots = {e.values["impact"] for e in apply_result_edits(demo, matrix)}
    assert len(pilots) == 4


def test_divergence_ranking_puts_the_most_divided_poll_first(demo: Store) -> None:
    ranking = queries.divergence_ranking(demo)
    assert ranking
    values = [d for _, d, _ in ranking]
    assert values == sorted(values, reverse=True)


def test_an_unexpected_error_fails_only_its_batch_and_the_writer_goes_on(store: Store, live_writer,
                                                                        monkeypatch) -> None:
    live, writer = live_writer
    pid = single_poll(store)
    open_poll(store, live, pid)
    reported: list[BaseException] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: reported.append(args.exc_value))
    with pytest.raises(TypeError):
        writer.vote(Vote(pid, 1, "d-1", "", object(), "uid-000001"))  # not JSON: a bug upstream
    assert reported and isinstance(reported[0], TypeError)
    with pytest.raises(TypeError):
        writer.vote(Vote(pid, 1, "d-3", "", object(), "uid-000003"))
    assert len(reported) == 1 and writer.item_errors == 2  # reported once per kind, counted each time
    assert writer.vote(Vote(pid, 1, "d-2", "", 1, "uid-000002")).ballot_id  # still voting
    assert committed(store.path, pid) == [("d-2", "1")]


def test_a_poison_ballot_fails_alone_and_the_honest_ones_in_its_batch_are_stored(store: Store, live_writer,
                                                                                 monkeypatch) -> None:
    """Numbers past 64 bits cannot even be bound by SQLite; the writer must fail that ballot only."""
    live, writer = live_writer
    pid = single_poll(store)
    open_poll(store, live, pid)
    monkeypatch.setattr(threading, "excepthook", lambda args: None)
    gate = threading.Event()
    writer.submit(Join(token_hash("t"), "")).add_done_callback(lambda _f: None)
    writer.before_commit = lambda: gate.wait(5)  # hold the first batch so the rest queue up as one
    first = writer.submit(Vote(pid, 1, "d-0", "", 1, "uid-000000"))
    honest = [writer.submit(Vote(pid, 1, f"d-{i}", "", 1, f"uid-{i:06d}")) for i in range(1, 11)]
    poison = [writer.submit(Vote(2**70, 1, "d-x", "", 1, "uid-poison1")),
              writer.submit(Vote(pid, 2**64, "d-y", "", 1, "uid-poison2")),
              writer.submit(Vote(pid, 1, "d-z", "", object(), "uid-poison3"))]
    honest += [writer.submit(Vote(pid, 1, f"d-{i}", "", 2, f"uid-{i:06d}")) for i in range(11, 21)]
    writer.before_commit = None
    gate.set()
    first.result(10)
    assert all(not f.result(10).duplicate for f in honest)
    for f in poison:
        with pytest.raises((BallotError, TypeError)):
            f.result(10)
    stored = committed(store.path, pid)
    assert sorted(v for v, _ in stored if v.startswith("d-")) == sorted(f"d-{i}" for i in range(21))
    assert writer.batches <= 4  # the poison really shared a batch with honest ballots


def test_a_late_resend_of_an_older_ballot_never_replaces_the_newer(store: Store, live_writer) -> None:
    live, writer = live_writer
    pid = single_poll(store)
    open_poll(store, live, pid)
    writer.vote(Vote(pid, 1, "d-1", "", 0, "uid-older01"))
    writer.vote(Vote(pid, 1, "d-1", "", 3, "uid-newer01"))
    late = writer.vote(Vote(pid, 1, "d-1", "", 0, "uid-older01"))  # its ack was lost; the phone retried
    assert late.stale and late.duplicate and not late.replaced
    assert committed(store.path, pid) == [("d-1", "3")]
    # With the phone's own sequence number, even an older ballot never seen before is kept out.
    writer.vote(Vote(pid, 1, "d-2", "", 1, "uid-seq00005", seq=5))
    assert writer.vote(Vote(pid, 1, "d-2", "", 2, "uid-seq00004", seq=4)).stale
    assert writer.vote(Vote(pid, 1, "d-2", "", 3, "uid-seq00006", seq=6)).replaced
    assert committed(store.path, pid) == [("d-1", "3"), ("d-2", "3")]


def test_the_live_lock_is_free_while_the_writer_commits(store: Store, live_writer) -> None:
    """A slow disk (a COMMIT held for 1.5 s) must not stall readers of the live state."""
    live, writer = live_writer
    pid = single_poll(store)
    open_poll(store, live, pid)
    in_commit, release = threading.Event(), threading.Event()

    def slow_disk() -> None:
        in_commit.set()
        release.wait(1.5)
    writer.before_commit = slow_disk
    fut = writer.submit(Vote(pid, 1, "d-1", "", 1, "uid-000001"))
    assert in_commit.wait(5)
    import time

    t0 = time.perf_counter()
    assert live.snapshot()["poll"]["id"] == pid
    took = time.perf_counter() - t0
    assert not fut.done()  # still committing
    release.set()
    fut.result(10)
    assert took < 0.5, took


def test_the_room_view_copied_to_another_live_state_is_the_same(store: Store) -> None:
    """The vote server's process mirrors the GUI's LiveState with state()/load()."""
    live = LiveState()
    pid = single_poll(store)
    open_poll(store, live, pid)
    reveal(store, live, pid, True)
    mirror = LiveState()
    heard: list[int] = []
    mirror.subscribe(lambda: heard.append(mirror.version))
    mirror.load(live.state())
    assert heard == [1]  # its phones are told
    assert live.join_code and (mirror.join_code, mirror.min_group_size) == (live.join_code, live.min_group_size)
    poll = queries.get_poll(store, pid)
    assert mirror.accepting(pid, poll.round) == live.accepting(pid, poll.round) is not None
    snap, original = mirror.snapshot(), live.snapshot()
    assert {k: v for k, v in snap.items() if k != "version"} == {k: v for k, v in original.items() if k != "version"}
    assert snap["result"] is not None
    close_poll(store, live, pid)
    mirror.load(live.state())
    assert mirror.accepting(pid, poll.round) is None and mirror.open_polls() == []


def test_a_coroutine_gets_its_answer_and_a_refusal_as_its_own_error(store: Store, live_writer) -> None:
    import asyncio

    live, writer = live_writer
    pid = single_poll(store)
    open_poll(store, live, pid)

    async def go() -> tuple[list[object], int]:
        loop = asyncio.get_running_loop()
        wakes = 0
        real = loop.call_soon_threadsafe

        def counted(*args: object, **kwargs: object) -> object:
            nonlocal wakes
            wakes += 1
            return real(*args, **kwargs)  # type: ignore[arg-type]

        loop.call_soon_threadsafe = counted  # type: ignore[method-assign]
        waits = [writer.submit_async(Vote(pid, 1, f"d-async-{n}", "", n % 2, f"uid-async-{n:04d}"))
                 for n in range(40)]
        waits.append(writer.submit_async(Vote(pid + 999, 1, "d-async-x", "", 0, "uid-async-xxxx")))
        gone = writer.submit_async(Vote(pid, 1, "d-async-gone", "", 1, "uid-async-gone"))
        gone.cancel()  # that phone went away: the others still get their answers
        # A bounded wait: answers that never come fail the test instead of hanging it.
        results = await asyncio.wait_for(asyncio.gather(*waits, return_exceptions=True), 10)
        return results, wakes

    results, wakes = asyncio.run(go())
    receipts, errors = results[:40], results[40:]
    assert all(not isinstance(r, BaseException) and r.ballot_id > 0 for r in receipts)
    assert isinstance(errors[0], PollClosed)
    assert len({r.ballot_id for r in receipts}) == 40  # type: ignore[union-attr]
    assert wakes <= writer.batches  # one wake-up of the loop per batch, not one per ballot
    assert len(committed(store.path, pid)) >= 40


def test_a_phone_can_change_its_answer_after_the_writer_restarts(store: Store) -> None:
    """The writer remembers replaced ballot ids in memory; a new writer (voting stopped and
    started again) has none, and a phone's new answer must still replace its stored one."""
    live = LiveState(store.workshop()["join_code"])
    pid = single_poll(store)
    open_poll(store, live, pid)
    first = VoteWriter(store.path, live)
    first.start()
    stored = first.vote(Vote(pid, 1, "d-restart", "", 0, "uid-restart-1"))
    first.stop()
    second = VoteWriter(store.path, live)
    second.start()
    try:
        changed = second.vote(Vote(pid, 1, "d-restart", "", 2, "uid-restart-2"))
    finally:
        second.stop()
    assert changed.replaced and changed.ballot_id == stored.ballot_id
    assert committed(store.path, pid)[-1] == ("d-restart", "2")


def test_an_item_that_fails_after_writing_leaves_nothing_and_its_batch_is_stored(store: Store, live_writer,
                                                                                 monkeypatch) -> None:
    """A batch is first written straight through; when an item fails there — even after its
    own rows were written — the batch is written again with each item alone: the failed item
    leaves no row, every other item of the batch is stored once."""
    live, writer = live_writer
    pid = single_poll(store)
    open_poll(store, live, pid)
    monkeypatch.setattr(threading, "excepthook", lambda args: None)
    real = VoteWriter._store_vote

    def fails_after_writing(self: VoteWriter, conn: object, v: Vote) -> object:
        out = real(self, conn, v)  # type: ignore[arg-type]
        if v.ballot_uid == "uid-partial":
            raise RuntimeError("a bug after the row was written")
        return out

    monkeypatch.setattr(VoteWriter, "_store_vote", fails_after_writing)
    gate = threading.Event()
    writer.before_commit = lambda: gate.wait(5)  # hold the first batch so the rest queue up as one
    first = writer.submit(Vote(pid, 1, "d-first", "", 1, "uid-first0"))
    rest = [writer.submit(Vote(pid, 1, f"d-p{i}", "", 1, f"uid-p{i:05d}")) for i in range(10)]
    bad = writer.submit(Vote(pid, 1, "d-partial", "", 2, "uid-partial"))
    rest += [writer.submit(Vote(pid, 1, f"d-q{i}", "", 0, f"uid-q{i:05d}")) for i in range(10)]
    writer.before_commit = None
    gate.set()
    first.result(10)
    assert all(f.result(10).ballot_id for f in rest)
    with pytest.raises(RuntimeError):
        bad.result(10)
    voters = [v for v, _ in committed(store.path, pid)]
    assert "d-partial" not in voters
    assert sorted(v for v in voters if v.startswith(("d-p", "d-q"))) == sorted(
        [f"d-p{i}" for i in range(10)] + [f"d-q{i}" for i in range(10)])
    assert writer.batches <= 3  # the failing item really shared a batch with the others

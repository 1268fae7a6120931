"""The session keeps each tallied round's ballots current from the drained vote notices: the tally
it shares is the file's tally (new ballots, changed answers, a hidden answer kept hidden), and a
drain does not read the ballots back from the file."""

from __future__ import annotations

from typing import Any

from vbp_workshop.core import pollops
from vbp_workshop.core.store import Update
from vbp_workshop.core.votes import Vote
from vbp_workshop.ui.main_window import MainWindow


def drained(session: Any, qtbot: Any, n: int) -> None:
    """Wait until the drain timer has taken every stored vote's notice (`n` were stored)."""
    assert session.writer.committed >= n
    qtbot.waitUntil(session.writer.notices.empty, timeout=5000)


def test_the_shared_tally_follows_the_votes_without_reading_the_file(demo_window: MainWindow, qtbot,
                                                                     monkeypatch) -> None:
    session = demo_window.session
    assert session is not None
    pid = next(p.id for p in pollops.polls(session.store) if p.kind == "single")
    pollops.open_poll(session.store, session.live, pid)
    poll = pollops.get_poll(session.store, pid)
    before = session.round_tally(poll)  # read from the file once
    writer = session.start_writer()
    reads: list[int] = []
    real = pollops.ballots
    monkeypatch.setattr(pollops, "ballots", lambda *a: reads.append(1) or real(*a))
    for n in range(6):
        writer.vote(Vote(pid, poll.round, f"d-keep-{n}", "provider", n % len(poll.options), f"uid-keep-a{n}"))
    for n in range(3):  # three phones change their answer: same ballot id, new answer
        writer.vote(Vote(pid, poll.round, f"d-keep-{n}", "payer", (n + 1) % len(poll.options), f"uid-keep-b{n}"))
    drained(session, qtbot, 9)
    kept = session.round_tally(poll)
    assert reads == []  # the drains re-tallied from the kept ballots
    assert kept.respondents == before.respondents + 6
    assert kept == pollops.tally(poll, real(session.store, pid, poll.round))


def test_a_hidden_answer_stays_hidden_when_its_phone_answers_again(demo_window: MainWindow, qtbot) -> None:
    session = demo_window.session
    assert session is not None
    pid = next(p.id for p in pollops.polls(session.store) if p.kind == "text")
    pollops.open_poll(session.store, session.live, pid)
    poll = pollops.get_poll(session.store, pid)
    writer = session.start_writer()
    receipt = writer.vote(Vote(pid, poll.round, "d-hide", "", "A rude first answer", "uid-hide-1"))
    drained(session, qtbot, 1)
    session.edit([Update("ballots", receipt.ballot_id, {"hidden": 1})], "Hide answer")
    assert "A rude first answer" not in [a for _, a in session.round_tally(poll).answers]
    writer.vote(Vote(pid, poll.round, "d-hide", "", "A ruder second answer", "uid-hide-2"))
    drained(session, qtbot, 1)
    answers = [a for _, a in session.round_tally(poll).answers]
    assert "A ruder second answer" not in answers  # the facilitator hid this phone's answer
    assert session.round_tally(poll) == pollops.round_tally(session.store, poll)


def test_the_group_split_on_the_projector_follows_the_votes_without_reading_the_file(
        demo_window: MainWindow, qtbot, monkeypatch) -> None:
    session = demo_window.session
    assert session is not None
    pid = next(p.id for p in pollops.polls(session.store) if p.kind == "single" and p.privacy != "anonymous_nogroup")
    pollops.open_poll(session.store, session.live, pid)
    poll = pollops.get_poll(session.store, pid)
    session.group_tallies(poll)  # the round's ballots read from the file once
    writer = session.start_writer()
    reads: list[int] = []
    real = pollops.ballots
    monkeypatch.setattr(pollops, "ballots", lambda *a: reads.append(1) or real(*a))
    for n in range(8):
        writer.vote(Vote(pid, poll.round, f"d-split-{n}", "pharma", n % len(poll.options), f"uid-split-{n}"))
    drained(session, qtbot, 8)
    groups = session.group_tallies(poll)
    assert reads == []  # the split is tallied from the kept ballots, as the plain result is
    assert groups == pollops.group_tallies(session.store, poll)
    assert groups["pharma"].respondents >= 8

"""One way to change a workshop, one way to hear about it: change records drive every screen.

- A poll opened from anywhere (the rules workspace's consent vote too) reaches the projector.
- The phones' live state is derived from the file: an open poll reworded reaches the phones.
- Votes from phones arrive as one change record per drain (origin "phone") on `changed`.
- A new join code is an operation whose record reaches the projector and the voting bar.
"""

from __future__ import annotations

from vbp_workshop.core.intake.votes import Vote
from vbp_workshop.core.model.changes import Changes, Update
from vbp_workshop.core.operations.live import open_poll
from vbp_workshop.core.polls import queries
from vbp_workshop.ui.main_window import MainWindow


def test_a_consent_vote_opened_from_the_rules_goes_on_the_projector(demo_window: MainWindow) -> None:
    room = demo_window.view.room
    projector = room.open_projector()
    page = demo_window.view.show_page("step3")
    page.rules.view.setCurrentIndex(page.rules.model.index(5, 1))
    page.consent_vote()
    poll = page.polls.poll
    assert poll is not None and poll.is_open
    assert room.poll_id == poll.id  # the first build left the projector on the previous poll
    assert projector.question.text() == poll.question


def test_an_open_poll_reworded_reaches_the_phones(demo_window: MainWindow) -> None:
    session = demo_window.session
    pid = next(p.id for p in queries.polls(session.store) if p.kind == "scale")
    open_poll(session.store, session.live, pid)
    session.edit([Update("polls", pid, {"question": "Reworded for the room?"})], "Edit poll")
    assert session.live.snapshot()["poll"]["question"] == "Reworded for the room?"
    session.undo_stack.undo()
    assert session.live.snapshot()["poll"]["question"] != "Reworded for the room?"


def test_votes_arrive_as_one_change_record_per_drain(demo_window: MainWindow, qtbot) -> None:
    session = demo_window.session
    pid = next(p.id for p in queries.polls(session.store) if p.kind == "scale")
    open_poll(session.store, session.live, pid)
    seen: list[Changes] = []
    session.changed.connect(seen.append)
    writer = session.start_writer()
    session._timer.stop()  # no drain until all five are stored: then one drain takes them all
    for n in range(5):
        writer.vote(Vote(pid, 1, f"d-{n}", "", 3, f"uid-onepath-{n}"))  # returns once committed
    assert [c for c in seen if c.origin == "phone"] == []
    session.drain()
    phone = [c for c in seen if c.origin == "phone"]
    assert len(phone) == 1, "five stored votes, one drain: one change record"
    assert phone[0].event == "votes" and phone[0].polls == {pid} and len(phone[0].ids_in("ballots")) == 5


def test_a_new_join_code_is_an_operation_every_screen_hears(demo_window: MainWindow) -> None:
    session, room = demo_window.session, demo_window.view.room
    projector = room.open_projector()
    room.start_voting("127.0.0.1", host="127.0.0.1", port=0)  # port 0: any free port
    try:
        seen: list[Changes] = []
        session.changed.connect(seen.append)
        old = session.live.join_code
        code = room.new_join_code()
        assert code != old and session.live.join_code == code == session.store.workshop()["join_code"]
        assert [c.event for c in seen] == ["join_code"] and seen[0].origin == "live"
        assert projector.code.text() == code
    finally:
        room.stop_voting()


def test_an_import_says_it_was_an_import(demo_window: MainWindow, dialogs, tmp_path) -> None:
    from vbp_workshop.core.workbook.imports import read_participants
    from vbp_workshop.ui.workbook import confirm_participants

    session = demo_window.session
    partner = session.store.rows("partners")[0]["name"]
    csv = tmp_path / "people.csv"
    csv.write_text(f"Name,Organisation,Role\nAsha Patel,{partner},GP\n", encoding="utf-8")
    seen: list[Changes] = []
    session.changed.connect(seen.append)
    dialogs.answers.append(True)  # "Import them now?" — yes
    confirm_participants(session, dialogs, csv, read_participants(csv, session.store))
    assert [c.origin for c in seen] == ["import"] and seen[0].touches("participants")
    session.undo_stack.undo()
    assert seen[-1].origin == "undo"

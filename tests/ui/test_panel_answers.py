"""The facilitator's list of open answers follows the votes in place: a new answer is added, a
changed one rewritten, a hidden one marked, and the rows already there are not rebuilt."""

from __future__ import annotations

from PySide6.QtCore import Qt

from vbp_workshop.core.intake.votes import Vote
from vbp_workshop.core.model.changes import Update
from vbp_workshop.core.operations.live import open_poll
from vbp_workshop.core.polls import queries
from vbp_workshop.ui.main_window import MainWindow


def texts(answers) -> list[str]:
    return [answers.item(i).text() for i in range(answers.count())]


def test_open_answers_follow_the_votes_in_place(demo_window: MainWindow, qtbot) -> None:
    session, view = demo_window.session, demo_window.view
    assert session is not None and view is not None
    poll = next(p for p in queries.polls(session.store) if p.kind == "text")
    open_poll(session.store, session.live, poll.id)
    page = view.show_page(f"step{poll.step}")
    page.show_polls()
    panel = page.polls
    panel.select(poll.id)
    answers = panel.result.answers
    before = answers.count()
    first = [answers.item(i) for i in range(before)]
    writer = session.start_writer()
    receipt = writer.vote(Vote(poll.id, 1, "d-ans-1", "pharma", "Shared data agreement first", "uid-ans-1"))
    writer.vote(Vote(poll.id, 1, "d-ans-2", "payer", "Agree the outcome measures", "uid-ans-2"))
    qtbot.waitUntil(lambda: answers.count() == before + 2, timeout=5000)
    assert [answers.item(i) for i in range(before)] == first  # the rows there were kept, not rebuilt
    writer.vote(Vote(poll.id, 1, "d-ans-1", "pharma", "A data sharing agreement first", "uid-ans-3"))
    qtbot.waitUntil(lambda: "A data sharing agreement first" in texts(answers), timeout=5000)
    assert answers.count() == before + 2 and "Shared data agreement first" not in texts(answers)
    session.edit([Update("ballots", receipt.ballot_id, {"hidden": 1})], "Hide answer")
    row = next(answers.item(i) for i in range(answers.count())
               if answers.item(i).data(Qt.ItemDataRole.UserRole) == receipt.ballot_id)
    assert row.text() == "(hidden) A data sharing agreement first"
    assert texts(answers) == [("(hidden) " if b["hidden"] else "") + b["answer"].strip('"')
                              for b in queries.ballots(session.store, poll.id, 1)]
    session.undo_stack.undo()
    assert row.text() == "A data sharing agreement first"

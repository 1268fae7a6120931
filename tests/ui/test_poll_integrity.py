"""Defects reproduced through the real window: each test failed before its fix.

- (a) a poll's options edited after it had votes broke its tally;
- (b) undoing "Add poll" while that poll was open failed every phone's vote in the batch;
- (d) a hand count for a points poll over-counted its respondents.
"""

from __future__ import annotations

import json

import pytest

from vbp_workshop.core.intake.votes import PollClosed, Vote
from vbp_workshop.core.operations.polls import new_poll_edit
from vbp_workshop.core.polls import queries
from vbp_workshop.ui.main_window import MainWindow


def _panel(window: MainWindow, kind: str):
    for step in range(1, 6):
        page = window.view.show_page(f"step{step}")
        page.show_polls()
        panel = page.polls
        found = [p for p in panel.polls() if p.kind == kind and len(p.options) >= 3]
        if found:
            panel.select(found[0].id)
            return panel, found[0].id
    raise AssertionError(f"the demo has no {kind} poll")


def test_options_cannot_change_after_an_earlier_rounds_votes(demo_window: MainWindow, monkeypatch) -> None:
    from vbp_workshop.ui.polls import editor as poll_editor

    session = demo_window.session
    panel, pid = _panel(demo_window, "single")
    panel.buttons["open"].click()
    writer = session.start_writer()
    last = len(panel.poll.options) - 1
    writer.vote(Vote(pid, panel.poll.round, "d-x", "", last, "uid-integrity-1"))
    panel.ctx.dialogs.answers.append(True)  # "Start a new round?" — yes
    panel.live.new_round()  # the new round has no answers yet; the first one has
    seen: list[str] = []

    def exec_(editor) -> int:
        seen.append(editor.frozen.text() if hasattr(editor, "frozen") else "")
        editor.options.setPlainText("Only one\nAnd two")
        return 1

    monkeypatch.setattr(poll_editor.PollEditor, "exec", exec_)
    panel.edits.edit_poll()
    poll = queries.get_poll(session.store, pid)
    assert len(poll.options) == last + 1  # unchanged
    assert "Duplicate" in seen[0]  # the editor said why before the facilitator typed
    assert panel.ctx.dialogs.shown[-1][0] == "error" and "Duplicate" in panel.ctx.dialogs.shown[-1][2]
    first = queries.round_tally(session.store, poll, 1)  # raised IndexError before
    assert first.counts[last] >= 1


def test_undo_of_add_poll_while_it_is_open_never_fails_the_vote_batch(demo_window: MainWindow) -> None:
    session = demo_window.session
    panel, _ = _panel(demo_window, "single")
    back = session.edit([new_poll_edit(panel.step, "single", "Added?", ["Yes", "No"])], "Add poll")
    pid = back[0].id  # type: ignore[union-attr]
    panel.select(pid)
    panel.buttons["open"].click()
    writer = session.start_writer()
    writer.vote(Vote(pid, 1, "d-1", "", 0, "uid-added-1"))
    session.undo_stack.undo()  # undo "Add poll" while the room is voting on it
    assert session.store.row("polls", pid) is None
    assert session.live.accepting(pid, 1) is None
    late = writer.submit(Vote(pid, 1, "d-2", "", 1, "uid-added-2"))
    with pytest.raises(PollClosed):  # was sqlite3.IntegrityError: FOREIGN KEY constraint failed
        late.result(timeout=10)
    session.undo_stack.redo()  # the poll comes back closed, with its vote
    poll = queries.get_poll(session.store, pid)
    assert poll.state == "closed" and queries.round_tally(session.store, poll).respondents == 1


def test_a_points_hand_count_counts_the_people_who_placed_them(demo_window: MainWindow) -> None:
    from vbp_workshop.ui.polls.hand_count import HandCountDialog

    session = demo_window.session
    panel, pid = _panel(demo_window, "points")
    before = queries.round_tally(session.store, panel.poll)
    dialog = HandCountDialog(panel.poll, panel)
    for (_key, spin), n in zip(dialog.cells, (12, 8, 5), strict=False):
        spin.setValue(n)
    dialog.people.setValue(4)  # 4 people placed 25 points
    assert panel.live.record_hand_count(dialog.entries())
    after = queries.round_tally(session.store, queries.get_poll(session.store, pid))
    assert after.respondents - before.respondents == 4
    assert [a - b for a, b in zip(after.counts[:3], before.counts[:3], strict=True)] == [12, 8, 5]
    assert json.loads(session.store.rows("ballots", "poll_id = ? AND source = 'hand'", (pid,))[-1]["answer"]) == {
        "0": 12, "1": 8, "2": 5}


def test_an_undo_the_rules_refuse_says_why_and_changes_nothing(demo_window: MainWindow) -> None:
    from vbp_workshop.core.model.changes import Update

    session = demo_window.session
    panel, _ = _panel(demo_window, "single")
    back = session.edit([new_poll_edit(panel.step, "single", "Fresh?", ["Yes", "No"])], "Add poll")
    pid = back[0].id  # type: ignore[union-attr]
    panel.select(pid)
    more = ["Yes", "No", "One more"]
    session.edit([Update("polls", pid, {"options": json.dumps(more)})], "Edit poll")
    panel.buttons["open"].click()
    writer = session.start_writer()
    writer.vote(Vote(pid, panel.poll.round, "d-late", "", len(more) - 1, "uid-integrity-undo"))
    shown = len(panel.ctx.dialogs.shown)
    session.undo_stack.undo()  # would take "One more" away from under its vote
    assert list(queries.get_poll(session.store, pid).options) == more
    kind, _title, text = panel.ctx.dialogs.shown[shown]
    assert kind == "error" and "“Edit poll” cannot be undone" in text and "Duplicate" in text
    assert not session.undo_stack.canRedo()  # the refused step left the stack; nothing to redo


def test_a_multiple_choice_hand_count_counts_the_people_who_voted(demo_window: MainWindow) -> None:
    from vbp_workshop.ui.polls.hand_count import HandCountDialog

    session = demo_window.session
    panel, pid = _panel(demo_window, "multiple")
    before = queries.round_tally(session.store, panel.poll)
    dialog = HandCountDialog(panel.poll, panel)
    assert not dialog.people.isHidden()
    for (_key, spin), n in zip(dialog.cells, (7, 5, 2), strict=False):
        spin.setValue(n)
    dialog.people.setValue(9)  # 9 people raised 14 hands
    assert panel.live.record_hand_count(dialog.entries())
    after = queries.round_tally(session.store, queries.get_poll(session.store, pid))
    assert after.respondents - before.respondents == 9  # was 14: one per hand
    assert [a - b for a, b in zip(after.counts[:3], before.counts[:3], strict=True)] == [7, 5, 2]


def test_an_agreement_hand_count_counts_each_person_once(demo_window: MainWindow) -> None:
    from vbp_workshop.ui.polls.hand_count import HandCountDialog

    session = demo_window.session
    panel, pid = _panel(demo_window, "agreement")
    before = queries.round_tally(session.store, panel.poll)
    dialog = HandCountDialog(panel.poll, panel)
    cells = dict(dialog.cells)
    for (statement, lvl), n in {(0, 4): 6, (0, 5): 3, (1, 2): 2, (1, 4): 5, (2, 1): 1}.items():
        cells[(statement, lvl)].setValue(n)
    assert panel.live.record_hand_count(dialog.entries())
    after = queries.round_tally(session.store, queries.get_poll(session.store, pid))
    # 9 people rated the first statement, 7 the second: 9 people (was 17, one per hand).
    assert after.respondents - before.respondents == 9
    assert after.distribution[0][3] - before.distribution[0][3] == 6
    assert after.distribution[1][1] - before.distribution[1][1] == 2

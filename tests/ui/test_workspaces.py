"""Each workspace's tables: edit, undo, redo, and the edit is in the file after reopening.
Plus the poll list, crash hook, geometry, rounds."""

from __future__ import annotations

import sys

import pytest

from vbp_workshop.core.polls import queries
from vbp_workshop.core.polls.tally import headline
from vbp_workshop.ui.main_window import MainWindow
from vbp_workshop.ui.shared.record_table import RecordTable

PAGES = ["setup", "step1", "step2", "step3", "step4", "step5", "actions"]


def editable_text_cells(window: MainWindow, key: str) -> list[tuple[RecordTable, int, str]]:
    page = window.view.show_page(key)
    found = []
    for table in page.findChildren(RecordTable):
        for col, c in enumerate(table.model.spec.columns):
            if c.editable and c.kind == "text" and table.model.rowCount():
                found.append((table, col, c.key))
                break
    return found


@pytest.mark.parametrize("key", PAGES)
def test_every_table_edits_undoes_redoes_and_persists(demo_window: MainWindow, key: str) -> None:
    session = demo_window.session
    path = session.store.path
    cells = editable_text_cells(demo_window, key)
    assert cells, f"{key} has no editable table"
    expected = {}
    for n, (table, col, field) in enumerate(cells):
        model = table.model
        row = model.row_at(0)
        old = row[field]
        new = f"Edited {key} {n}"
        assert model.setData(model.index(0, col), new)
        assert session.store.row(model.spec.table, row["id"])[field] == new
        session.undo_stack.undo()
        assert session.store.row(model.spec.table, row["id"])[field] == old
        session.undo_stack.redo()
        assert model.data(model.index(0, col)) == new
        expected[(model.spec.table, row["id"], field)] = new
    demo_window.close_workshop()
    assert demo_window.open_path(path)
    for (table, id_, field), value in expected.items():
        assert demo_window.session.store.row(table, id_)[field] == value


def test_step_text_fields_and_checklists_persist(demo_window: MainWindow, qtbot) -> None:
    from vbp_workshop.ui.shared.bound_text import BoundText

    session = demo_window.session
    page = demo_window.view.show_page("step5")
    page.tabs.setCurrentIndex(2)
    field = next(b for b in page.findChildren(BoundText) if b.key == "case_study")
    field.edit.setPlainText("Our case study")
    field.commit()
    assert session.store.step_fields(5)["case_study"] == "Our case study"
    guide = page.guide
    guide.checks[4].setChecked(True)
    assert 4 in guide.ticked()
    session.undo_stack.undo()
    assert 4 not in guide.ticked()
    session.undo_stack.undo()
    # The demo is a design day: nothing to claim yet, so its case study is empty again.
    assert session.store.step_fields(5).get("case_study", "") == ""
    assert field.text() == ""


def test_poll_list_add_duplicate_move_delete_and_undo(demo_window: MainWindow) -> None:
    session = demo_window.session
    page = demo_window.view.show_page("step5")
    page.show_polls()
    panel = page.polls
    before = [p.id for p in panel.polls()]
    panel.list.setCurrentRow(0)
    panel.edits.duplicate()
    after = panel.polls()
    assert len(after) == len(before) + 1 and after[-1].question.endswith("(copy)")
    panel.list.setCurrentRow(len(after) - 1)
    panel.edits.move_poll(-1)
    assert panel.polls()[-2].question.endswith("(copy)")
    copy = panel.poll
    panel.edits.delete()
    assert copy.id not in [p.id for p in panel.polls()]
    session.undo_stack.undo()
    assert copy.id in [p.id for p in panel.polls()]


def test_the_poll_editor_refuses_an_incomplete_poll(demo_window: MainWindow) -> None:
    from vbp_workshop.ui.polls.editor import PollEditor

    editor = PollEditor(None, demo_window)
    editor.kind.setCurrentIndex(editor.kind.findData("single"))
    editor.question.setText("Which?")
    editor.options.setPlainText("Only one")
    editor.accept()
    assert "Add the options" in editor.problem.text() and not editor.result()
    editor.options.setPlainText("One\nTwo")
    editor.accept()
    assert editor.result() and editor.values()["options"] == ["One", "Two"]


def test_the_crash_hook_reports_and_the_workshop_is_safe(demo_window: MainWindow, qtbot, monkeypatch) -> None:
    """An error on another thread (where the vote writer's crashes happen) reaches the dialog,
    shown from the GUI thread. The modal box's exec() is replaced (a test cannot click it)."""
    import threading

    from vbp_workshop.ui import crash

    shown: list[tuple[str, bool]] = []

    def exec_(box) -> int:
        shown.append((box.detailedText(), threading.current_thread() is threading.main_thread()))
        return 0

    monkeypatch.setattr(crash.QMessageBox, "exec", exec_)
    saved = sys.excepthook, threading.excepthook
    try:
        crash.install(dialog=True)

        def fail() -> None:
            raise ValueError("boom on a worker")

        worker = threading.Thread(target=fail, name="vote-writer")
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda: bool(shown), timeout=5000)
        text, on_gui_thread = shown[-1]
        assert "In thread vote-writer" in text and "ValueError: boom on a worker" in text
        assert on_gui_thread  # never a widget from the worker thread
        assert demo_window.session.store.rows("partners")  # still open and usable
    finally:
        sys.excepthook, threading.excepthook = saved
        if crash._timer is not None:
            crash._timer.stop()


def test_window_geometry_is_remembered(qtbot, settings, dialogs) -> None:
    first = MainWindow(settings, dialogs)
    qtbot.addWidget(first)
    first.show()
    first.resize(640, 470)  # within the offscreen screen (800×800), which restoreGeometry clamps to
    first.close()
    second = MainWindow(settings, dialogs)
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (640, 470)


def test_rounds_compare_side_by_side(demo_window: MainWindow) -> None:
    page = demo_window.view.show_page("step1")
    page.show_polls()
    panel = page.polls
    fist = next(p for p in panel.polls() if p.kind == "fist" and p.round == 2)
    panel.select(fist.id)
    assert panel.result.compare.isEnabled()
    panel.result.compare.setChecked(True)
    assert panel.result.stack.currentWidget() is panel.result.group_chart
    assert "Change between rounds" in panel.result.divergence.text()
    panel.result.round_box.setCurrentIndex(1)  # round 1
    panel.result.compare.setChecked(False)
    assert "4 with concerns" in headline(queries.round_tally(demo_window.session.store, fist, 1))


def test_the_trust_pulse_ranks_the_gaps(demo_window: MainWindow) -> None:
    page = demo_window.view.show_page("step2")
    pulse = page.tab("Trust pulse")
    lines = pulse.gaps.text().splitlines()
    assert lines[0].startswith("1. ") and "gap +" in lines[0]
    gaps = [float(line.split("gap ")[1]) for line in lines if line[0].isdigit()]
    assert gaps == sorted(gaps, reverse=True)


def test_a_consent_vote_fills_the_rule_when_it_closes(demo_window: MainWindow, qtbot) -> None:
    from vbp_workshop.core.intake.votes import Vote

    session = demo_window.session
    page = demo_window.view.show_page("step3")
    rules = page.rules
    rules.view.setCurrentIndex(rules.model.index(5, 1))  # rule 6: no consent vote yet
    rule = rules.model.row_at(5)
    assert rule["consent"] == ""
    page.consent_vote()
    panel = page.polls
    assert page.tab("Polls") is panel and panel.isVisible() and panel.poll.target == f"rule:{rule['id']}"
    assert session.live.accepting(panel.poll.id, 1) is not None
    writer = session.start_writer()
    for n, level in enumerate([4, 5, 3, 2, 5]):
        writer.vote(Vote(panel.poll.id, 1, f"d-{n}", "provider", level, f"uid-{n:08d}"))
    qtbot.waitUntil(lambda: "5 responses" in panel.heading.count.text(), timeout=5000)
    panel.buttons["close"].click()
    consent = session.store.row("rules", rule["id"])["consent"]
    assert consent.startswith("Not adopted") and "1 with concerns" in consent
    assert rules.model.data(rules.model.index(5, 2)) == consent
    session.undo_stack.undo()
    assert session.store.row("rules", rule["id"])["consent"] == ""


def test_a_bad_date_is_explained_and_not_saved(demo_window: MainWindow) -> None:
    from vbp_workshop.ui.shared.bound_text import BoundText

    page = demo_window.view.show_page("setup")
    field = next(b for b in page.findChildren(BoundText) if b.key == "date")
    field.edit.setText("next Tuesday")
    field.commit()
    assert "not a date" in field.problem.text() and not field.problem.isHidden()
    assert field.text() == "next Tuesday"  # what was typed is kept
    assert demo_window.session.store.workshop()["date"] == "2026-11-24"
    field.edit.setText("2026-11-25")
    field.commit()
    assert field.problem.isHidden() and demo_window.session.store.workshop()["date"] == "2026-11-25"


def test_progress_from_the_worker_thread_reaches_the_dialog(demo_window: MainWindow, qtbot) -> None:
    """The progress a slow job reports on its thread moves the dialog on the GUI thread (the
    first build set progress up and never looked at it)."""
    import threading

    step, done = threading.Event(), threading.Event()
    results: list[object] = []

    def work(progress) -> str:
        progress(0.5)
        step.wait(10)
        progress(0.9)
        done.wait(10)
        return "finished"

    task = demo_window.tasks.run("Working…", work, results.append)
    assert task.dialog is not None
    qtbot.waitUntil(lambda: task.dialog.value() == 50, timeout=5000)
    step.set()
    qtbot.waitUntil(lambda: task.dialog.value() == 90, timeout=5000)
    done.set()
    qtbot.waitUntil(lambda: results == ["finished"], timeout=5000)

"""The facilitator's hands: what they type is kept, new rows take the cursor, buttons say what
can be done now, and nothing shows a box for a missing glyph or a tick for an empty table."""

from __future__ import annotations

import ast
import threading
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics
from PySide6.QtWidgets import QApplication, QLineEdit, QTabWidget

from vbp_workshop.core.intake.votes import Vote
from vbp_workshop.core.model.changes import Insert
from vbp_workshop.core.polls import queries
from vbp_workshop.core.steps.template import new_workshop
from vbp_workshop.ui.main_window import MainWindow
from vbp_workshop.ui.shared.record_table import RecordTable

UI = Path(__file__).resolve().parents[2] / "vbp_workshop" / "ui"


def fresh_window(window: MainWindow, tmp_path: Path) -> MainWindow:
    new_workshop(tmp_path / "fresh.vbpw", "Fresh").close()
    assert window.open_path(tmp_path / "fresh.vbpw")
    return window


def table(page, name: str) -> RecordTable:
    return next(t for t in page.findChildren(RecordTable) if t.model.spec.table == name)


def test_add_partner_puts_the_cursor_in_the_new_rows_first_cell(demo_window: MainWindow, qtbot) -> None:
    page = demo_window.view.show_page("setup")
    partners = table(page, "partners")
    tabs = page.findChild(QTabWidget)
    tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.tabText(i) == "Partners"))
    assert partners.view.isVisible()
    before = partners.model.rowCount()
    button = partners.buttons["add"]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and partners.view.isAncestorOf(editor)  # editing, not on the button
    assert partners.view.currentIndex().row() == before and partners.view.currentIndex().column() == 0
    qtbot.keyClicks(editor, "Acme Health")  # the default name is selected: typing replaces it
    assert editor.text() == "Acme Health"
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the view commits on its next turn
    qtbot.waitUntil(lambda: partners.view.state() != partners.view.State.EditingState, timeout=3000)
    names = [p["name"] for p in demo_window.session.store.rows("partners")]
    assert len(names) == before + 1 and names[-1] == "Acme Health"  # typing added no more rows


def test_log_an_action_edits_the_new_action(demo_window: MainWindow, qtbot) -> None:
    demo_window.view.show_page("step2")
    from tests.ui.test_export_menu import action

    action(demo_window, "Log an action…").trigger()
    page = demo_window.view.show_page("actions")
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and page.table.view.isAncestorOf(editor)
    row = page.table.model.row_at(page.table.view.currentIndex().row())
    assert row["step"] == 2 and page.table.model.spec.columns[page.table.view.currentIndex().column()].key == "what"


def test_columns_fit_their_content(demo_window: MainWindow) -> None:
    page = demo_window.view.show_page("setup")
    people = table(page, "participants")
    view = people.view
    for i in range(people.model.columnCount() - 1):
        need = max(view.sizeHintForColumn(i), view.horizontalHeader().sectionSizeHint(i))
        cap = people.model.spec.columns[i].width or 320
        assert view.columnWidth(i) >= min(need, cap), people.model.spec.columns[i].title
        assert view.columnWidth(i) <= need + 8  # not wider than it needs


def test_typed_dot_vote_options_are_kept_when_the_poll_opens(window: MainWindow, tmp_path: Path,
                                                             monkeypatch) -> None:
    from vbp_workshop.ui.polls.editor import PollEditor

    win = fresh_window(window, tmp_path)
    store = win.session.store
    win.session.edit([Insert("ambitions", {"text": "A statement from the step"})], "Add")
    page = win.view.show_page("step1")
    page.show_polls()
    panel = page.polls
    dots = next(p for p in panel.polls() if p.kind == "points")
    assert dots.settings.get("fill_from") == "ambitions"
    panel.select(dots.id)

    def typed(editor: PollEditor) -> int:
        assert editor.fill_note.isVisibleTo(editor) and "ambition" in editor.fill_note.text()
        editor.options.setPlainText("Our first option\nOur second option")
        return 1

    monkeypatch.setattr(PollEditor, "exec", typed)
    panel.edits.edit_poll()
    panel.buttons["open"].click()
    poll = queries.get_poll(store, dots.id)
    assert poll.is_open and list(poll.options) == ["Our first option", "Our second option"]


def test_an_untouched_dot_vote_still_takes_the_steps_statements(window: MainWindow, tmp_path: Path) -> None:
    win = fresh_window(window, tmp_path)
    win.session.edit([Insert("ambitions", {"text": "One"}), Insert("ambitions", {"text": "Two"})], "Add")
    page = win.view.show_page("step1")
    page.show_polls()
    dots = next(p for p in page.polls.polls() if p.kind == "points")
    page.polls.select(dots.id)
    page.polls.buttons["open"].click()
    assert list(queries.get_poll(win.session.store, dots.id).options) == ["One", "Two"]


def test_open_voting_stays_disabled_while_votes_arrive(demo_window: MainWindow, qtbot) -> None:
    page = demo_window.view.show_page("step3")
    page.show_polls()
    panel = page.polls
    pid = next(p.id for p in panel.polls() if p.kind == "scale")
    panel.select(pid)
    panel.buttons["open"].click()
    assert not panel.buttons["open"].isEnabled() and panel.buttons["close"].isEnabled()
    writer = demo_window.session.start_writer()
    t = threading.Thread(target=lambda: [writer.vote(Vote(pid, 1, f"d-{n}", "", 3, f"uid-h-{n:04d}"))
                                         for n in range(5)])
    t.start()
    t.join()
    qtbot.waitUntil(lambda: "responses" in panel.heading.count.text() and panel.result.current_tally().respondents >= 5,
                    timeout=10000)
    assert not panel.buttons["open"].isEnabled()  # the chart-only refresh did not re-enable it
    panel.buttons["close"].click()
    assert panel.buttons["open"].isEnabled() and not panel.buttons["close"].isEnabled()


def test_an_empty_contributions_table_shows_no_success_tick(window: MainWindow, tmp_path: Path) -> None:
    win = fresh_window(window, tmp_path)
    page = win.view.show_page("step2")
    assert not page.balance.text().startswith("✔")
    assert page.balance.property("class") == "hint"


def test_the_summary_shows_no_empty_brackets(window: MainWindow, tmp_path: Path) -> None:
    from vbp_workshop.ui.steps.summary import summary_html

    win = fresh_window(window, tmp_path)
    win.session.edit([Insert("actions", {"kind": "decision", "what": "Go ahead", "owner": ""})], "Add")
    html = summary_html(win.view.ctx)
    assert "Go ahead" in html and "()" not in html and "·  ·" not in html


def test_every_symbol_the_window_shows_is_in_a_font_here(qapp) -> None:
    """A character no installed font has shows as a box (the ⓘ did)."""
    families = QFontDatabase.families()
    assert families
    metrics = [QFontMetrics(QFont(f)) for f in families]
    missing = set()
    for path in UI.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                for ch in {c for c in node.value if ord(c) > 0x2000}:
                    if not any(m.inFontUcs4(ord(ch)) for m in metrics):
                        missing.add(f"{ch} U+{ord(ch):04X} in {path.name}")
    assert not missing, sorted(missing)


def test_clicking_a_checklist_items_text_ticks_it(demo_window: MainWindow, qtbot) -> None:
    from vbp_workshop.ui.shared.labels import CheckText

    page = demo_window.view.show_page("step3")
    tabs = page.tabs
    tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.tabText(i) == "Joint working"))
    text = next(t for t in page.tab("Joint working").findChildren(CheckText) if t.isVisible())
    box = text.buddy()
    was = box.isChecked()
    qtbot.mouseClick(text, Qt.MouseButton.LeftButton)
    assert box.isChecked() != was
    fields = demo_window.session.store.step_fields(3)["joint_working"]
    assert fields[box.objectName()[3:]] == (not was)  # the tick is saved like the box's own

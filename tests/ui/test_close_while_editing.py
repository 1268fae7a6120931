"""Closing while typing keeps what was typed (issue 24 item 3): an editor open in a table cell,
text typed into it, then every way out of the workshop — the window's close button, Ctrl+Q,
File › Close workshop, opening another workshop. The text is in the file afterwards, and no
error was raised on the way out."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QLineEdit

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.steps.demo import build_demo
from vbp_workshop.ui import crash
from vbp_workshop.ui.main_window import MainWindow

TYPED = "Agree the data-sharing schedule"


def type_in_a_cell(window: MainWindow, qtbot) -> tuple[Path, int]:
    """Open the actions page, put the cursor in the first action's "What" cell, type, and leave the
    editor open. Returns the file and the action's id."""
    page = window.view.show_page("actions")
    table = page.table
    model = table.model
    what = next(i for i, c in enumerate(model.spec.columns) if c.key == "what")
    index = model.index(0, what)
    table.view.setFocus()
    table.view.setCurrentIndex(index)
    table.view.edit(index)
    editor = table.view.viewport().findChild(QLineEdit)
    assert editor is not None and editor.isVisible()
    editor.selectAll()
    qtbot.keyClicks(editor, TYPED)
    assert editor.text() == TYPED
    return window.session.store.path, model.row_at(0)["id"]


def close_button(window: MainWindow, tmp_path: Path) -> None:
    window.close()


def ctrl_q(window: MainWindow, tmp_path: Path) -> None:
    quit_action = window.findChild(QAction, "quit")
    assert quit_action.shortcut().matches(quit_action.shortcut())  # Ctrl+Q is this action's key
    quit_action.trigger()


def file_close_workshop(window: MainWindow, tmp_path: Path) -> None:
    window.findChild(QAction, "close").trigger()


def open_another(window: MainWindow, tmp_path: Path) -> None:
    build_demo(tmp_path / "other.vbpw").close()
    assert window.open_path(tmp_path / "other.vbpw")


@pytest.mark.parametrize("leave", [close_button, ctrl_q, file_close_workshop, open_another])
def test_closing_while_typing_in_a_cell_keeps_the_text(demo_window: MainWindow, qtbot, tmp_path, leave) -> None:
    errors_before = len(crash.errors)
    path, action_id = type_in_a_cell(demo_window, qtbot)
    leave(demo_window, tmp_path)
    QApplication.processEvents()
    QApplication.sendPostedEvents(None, 0)  # deferred deletes: the editor goes too
    QApplication.processEvents()
    assert demo_window.session is None or demo_window.session.store.path != path
    store = Store.open(path)
    try:
        assert store.row("actions", action_id)["what"] == TYPED
    finally:
        store.close()
    assert len(crash.errors) == errors_before


def test_a_refused_cell_asks_before_closing(demo_window: MainWindow, qtbot, dialogs) -> None:
    """Text the cell refuses (a date that is not one) is not lost silently: the close asks."""
    page = demo_window.view.show_page("actions")
    table = page.table
    due = next(i for i, c in enumerate(table.model.spec.columns) if c.key == "due")
    index = table.model.index(0, due)
    table.view.setFocus()
    table.view.setCurrentIndex(index)
    table.view.edit(index)
    editor = table.view.viewport().findChild(QLineEdit)
    assert editor is not None
    editor.selectAll()
    qtbot.keyClicks(editor, "next Tuesday-ish")
    dialogs.answers.append(1)  # "Go back to it"
    assert demo_window.close_workshop() is False
    assert demo_window.session is not None  # still open, the text still in its cell
    assert any("cannot be saved" in text for kind, _title, text in dialogs.shown if kind == "choose")
    dialogs.answers.append(0)  # "Close without it"
    assert demo_window.close_workshop() is True

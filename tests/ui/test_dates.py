"""Dates in the real window: a UK date ("24/11/2026") is taken as well as ISO, every date is shown
as the system's locale writes it, and a refused date stays in its field to be corrected (it was
refused, ISO only, and the cell wiped)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QLineEdit

from vbp_workshop.ui.main_window import MainWindow
from vbp_workshop.ui.shared.bound_text import BoundText

UK = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
US = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


@pytest.fixture
def locale() -> Iterator[Any]:
    before = QLocale()
    yield QLocale.setDefault
    QLocale.setDefault(before)


def open_editor(table: Any) -> QLineEdit | None:
    """The cell editor open now (a closed one lingers until deleted: never that one)."""
    found = [e for e in table.view.viewport().findChildren(QLineEdit) if e.isVisible()]
    return found[0] if len(found) == 1 else None


def type_into_cell(table: Any, qtbot: Any, row: int, column: int, text: str) -> QLineEdit:
    view = table.view
    index = table.model.index(row, column)
    view.setFocus()
    view.setCurrentIndex(index)
    view.edit(index)
    qtbot.waitUntil(lambda: open_editor(table) is not None, timeout=3000)
    editor = open_editor(table)
    assert editor is not None
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    return editor


def test_an_action_due_date_typed_the_uk_way(demo_window: MainWindow, qtbot: Any, locale: Any) -> None:
    locale(UK)
    demo_window.resize(1366, 768)
    page = demo_window.view.show_page("actions")
    table = page.table  # type: ignore[attr-defined]
    due = [c.key for c in table.model.spec.columns].index("due")
    row_id = table.model.row_at(0)["id"]
    type_into_cell(table, qtbot, 0, due, "24/11/2026")
    store = demo_window.session.store
    qtbot.waitUntil(lambda: store.row("actions", row_id)["due"] == "2026-11-24", timeout=3000)
    assert table.model.index(0, due).data() == "24/11/2026"  # shown as the locale writes it
    # A date that does not exist: refused, said why, and the text stays in the cell's editor.
    first = type_into_cell(table, qtbot, 0, due, "31/02/2027")
    qtbot.waitUntil(lambda: (e := open_editor(table)) is not None and e is not first, timeout=3000)
    editor = open_editor(table)
    assert editor is not None and editor.text() == "31/02/2027" and editor.hasFocus()
    assert "not a date" in table.message.text() and table.message.isVisible()
    assert store.row("actions", row_id)["due"] == "2026-11-24"
    editor.setText("1/3/2027")  # corrected: the first of March
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: store.row("actions", row_id)["due"] == "2027-03-01", timeout=3000)
    assert table.model.index(0, due).data() == "01/03/2027"
    locale(US)  # the same date, as a US system writes it, and read back as the same day
    table.model.reload()
    assert table.model.index(0, due).data() == "3/1/27"
    type_into_cell(table, qtbot, 0, due, "3/2/27")
    qtbot.waitUntil(lambda: store.row("actions", row_id)["due"] == "2027-03-02", timeout=3000)


def test_the_workshop_date_takes_a_uk_date_and_keeps_a_refused_one(window: MainWindow, qtbot: Any,
                                                                   locale: Any, tmp_path: Path) -> None:
    locale(UK)  # before the window's pages are built: they show dates as the locale writes them
    from vbp_workshop.core.steps.demo import build_demo

    build_demo(tmp_path / "uk.vbpw").close()
    demo_window = window
    assert demo_window.open_path(tmp_path / "uk.vbpw")
    page = demo_window.view.show_page("setup")
    field = next(b for b in page.findChildren(BoundText) if b.key == "date")
    assert field.text() == "24/11/2026" and field.edit.placeholderText() == "e.g. 24/11/2026"
    field.edit.setFocus()
    field.edit.selectAll()
    qtbot.keyClicks(field.edit, "25/11/2026")
    qtbot.keyClick(field.edit, Qt.Key.Key_Return)
    assert demo_window.session.store.workshop()["date"] == "2026-11-25"
    field.edit.selectAll()
    qtbot.keyClicks(field.edit, "32/11/2026")
    qtbot.keyClick(field.edit, Qt.Key.Key_Return)
    assert field.text() == "32/11/2026" and "not a date" in field.problem.text()  # kept, not wiped
    assert demo_window.session.store.workshop()["date"] == "2026-11-25"

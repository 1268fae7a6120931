"""Help for a first-time facilitator: getting started, the shortcuts as the menus have them, and
a one-page run sheet of the day as a PDF (read back with pdftotext)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QTextBrowser

from tests.conftest import need_tool
from tests.ui.test_export_menu import action
from vbp_workshop.ui.main_window import MainWindow


def shown_text(window: MainWindow, name: str) -> str:
    dialog = window.findChild(QDialog, name)
    assert dialog is not None and dialog.isVisible()
    return dialog.findChild(QTextBrowser, "help_text").toPlainText()


def test_getting_started_walks_through_the_five_moves(demo_window: MainWindow) -> None:
    action(demo_window, "Getting started").trigger()
    text = shown_text(demo_window, "getting_started_window")
    for step in ("Prepare", "Phones", "A poll", "Reveal", "Export"):
        assert step in text
    # It names menu items that exist.
    for item in ("Export to Excel…", "Print run sheet…", "Import participants…", "Open the demo workshop"):
        assert item in text and action(demo_window, item)


def test_the_shortcut_list_is_read_from_the_menus(demo_window: MainWindow) -> None:
    action(demo_window, "Keyboard shortcuts").trigger()
    text = shown_text(demo_window, "shortcuts_window")
    native = QKeySequence.SequenceFormat.NativeText
    assert "Export to Excel…" in text and QKeySequence("Ctrl+E").toString(native) in text
    assert "Projector window" in text and "F5" in text
    # A shortcut added to a menu shows up: the list cannot drift from the actions.
    extra = QAction("Something new", demo_window)
    extra.setShortcut(QKeySequence("Ctrl+Alt+J"))
    demo_window.menuBar().actions()[0].menu().addAction(extra)
    action(demo_window, "Keyboard shortcuts").trigger()
    text = shown_text(demo_window, "shortcuts_window")
    assert "File › Something new" in text and QKeySequence("Ctrl+Alt+J").toString(native) in text


def test_the_run_sheet_is_a_one_page_pdf_of_the_agenda(demo_window: MainWindow, dialogs, tmp_path: Path) -> None:
    pdftotext = need_tool("pdftotext")
    out = tmp_path / "run sheet.pdf"
    dialogs.answers = [str(out)]
    action(demo_window, "Print run sheet…").trigger()
    assert out.exists() and out.read_bytes().startswith(b"%PDF")
    assert dialogs.shown[-1][:2] == ("info", "Run sheet written")
    text = subprocess.run([pdftotext, "-layout", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    agenda = demo_window.session.store.rows("agenda")
    for item in agenda:
        assert item["title"].split(" — ")[0] in text, item["title"]
        assert f"{item['planned_min']} min" in text
    total = sum(int(a["planned_min"]) for a in agenda)
    assert f"{total // 60} h {total % 60:02d} min" in text
    pages = subprocess.run([need_tool("pdfinfo"), str(out)], capture_output=True, text=True, check=True).stdout
    assert [line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:")] == ["1"], pages

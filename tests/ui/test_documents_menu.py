"""File › Export documents…, driven through the real menu action: the record and the Word files on the
background-work helper's thread, the charts and the hand-out's pages on the GUI thread, the result
reported there; Cancel writes nothing."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import docx
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from tests.ui.test_export_menu import action, task_threads, wait_idle
from vbp_workshop import core
from vbp_workshop.ui import handout
from vbp_workshop.ui.main_window import MainWindow

NAMES = ("Northbridge Heart Health Partnership - draft PID.docx",
         "Northbridge Heart Health Partnership - executive summary.docx",
         "Northbridge Heart Health Partnership - hand-out.pdf")


def test_export_documents_from_the_menu_writes_all_three_off_the_gui_thread(
        demo_window: MainWindow, dialogs, qtbot, tmp_path: Path, monkeypatch) -> None:
    threads: dict[str, str] = {}
    real_charts, real_write = handout.render_charts, handout.write_handout

    def charts(store: Any) -> Any:
        threads["charts"] = threading.current_thread().name
        return real_charts(store)

    def write(*args: Any, **kw: Any) -> Any:
        threads["pdf"] = threading.current_thread().name
        return real_write(*args, **kw)

    real_record = core.documents.read_record

    def record(*args: Any, **kw: Any) -> Any:
        threads["record"] = threading.current_thread().name
        return real_record(*args, **kw)

    monkeypatch.setattr(core.documents, "read_record", record)
    monkeypatch.setattr(handout, "render_charts", charts)
    monkeypatch.setattr(handout, "write_handout", write)
    out = tmp_path / "docs"
    out.mkdir()
    dialogs.answers = [str(out)]  # the folder; the names question left to its default (counted)
    action(demo_window, "Export documents…").trigger()
    wait_idle(demo_window, qtbot)
    assert ("choose", "Participants' names") in [(k, t) for k, t, _ in dialogs.shown]
    kind, title, text = dialogs.shown[-1]
    assert (kind, title) == ("info", "Documents written"), dialogs.shown[-1]
    assert sorted(p.name for p in out.iterdir()) == sorted(NAMES)
    assert all(name in text for name in NAMES)
    assert threads["charts"] == threading.main_thread().name  # widgets and printing: on the GUI thread
    assert threads["pdf"] == threading.main_thread().name
    assert threads["record"].startswith("vbp-task")  # the record and the Word files: on the worker
    pid = docx.Document(str(out / NAMES[0]))
    assert any(p.style.name == "Heading 1" for p in pid.paragraphs)
    assert b"Dr Amira Khan" not in (out / NAMES[2]).read_bytes()
    assert not task_threads()


def test_cancel_stops_the_documents_and_writes_nothing(demo_window: MainWindow, dialogs, qtbot, tmp_path: Path,
                                                       monkeypatch) -> None:
    started, release = threading.Event(), threading.Event()
    real = core.documents.read_record

    def held(*args: Any, **kw: Any) -> Any:
        started.set()
        release.wait(30)
        return real(*args, **kw)

    monkeypatch.setattr(core.documents, "read_record", held)
    dialogs.answers = [str(tmp_path)]
    action(demo_window, "Export documents…").trigger()
    task = demo_window.tasks.tasks[0]
    assert started.wait(10)
    qtbot.waitUntil(lambda: task.dialog is not None and task.dialog.isVisible(), timeout=5000)
    cancel = next(b for b in task.dialog.findChildren(QPushButton) if b.text() == "Cancel")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    release.set()
    wait_idle(demo_window, qtbot)
    assert task.state == "cancelled"
    assert not [p for p in tmp_path.iterdir() if p.suffix in (".docx", ".pdf")]
    assert not list(tmp_path.glob(".*.tmp.*"))
    assert not [s for s in dialogs.shown if s[0] == "error"]


def test_choosing_no_folder_does_nothing(demo_window: MainWindow, dialogs) -> None:
    dialogs.answers = [""]
    action(demo_window, "Export documents…").trigger()
    assert not demo_window.tasks.tasks and not dialogs.shown


"""File › Export to Excel and the imports, driven through the real menu actions: the workbook is
written on a worker thread, errors and results come back on the GUI thread, Cancel and quitting
mid-export leave no file and no running thread."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from vbp_workshop.core.workbook import export as core_export
from vbp_workshop.ui.main_window import MainWindow


def action(window: MainWindow, text: str) -> QAction:
    """The menu action a person would click, found by its visible text."""
    found = [a for a in window.findChildren(QAction) if a.text().replace("&", "") == text]
    assert len(found) == 1, [a.text() for a in window.findChildren(QAction)]
    return found[0]


def wait_idle(window: MainWindow, qtbot) -> None:
    qtbot.waitUntil(lambda: not window.tasks.tasks, timeout=60000)


def task_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("vbp-task")]


def test_export_from_the_menu_writes_the_workbook_pseudonymised_by_default(demo_window: MainWindow, dialogs,
                                                                           qtbot, tmp_path: Path) -> None:
    out = tmp_path / "outcome.xlsx"
    dialogs.answers = [str(out)]  # the save dialog; the names question is left to its default
    action(demo_window, "Export to Excel…").trigger()
    assert demo_window.tasks.busy or out.exists()
    wait_idle(demo_window, qtbot)
    kinds = [(k, t) for k, t, _ in dialogs.shown]
    assert ("choose", "Participants' names") in kinds
    assert dialogs.shown[-1][:2] == ("info", "Workbook written") and str(out) in dialogs.shown[-1][2]
    wb = load_workbook(out, read_only=True)
    try:
        assert {"Summary", "Participants", "Agenda"} <= set(wb.sheetnames)
        people = list(wb["Participants"].iter_rows(values_only=True))
    finally:
        wb.close()
    assert people[0][0] == "Participant (pseudonymised)"
    demo_names = {p["display_name"] for p in demo_window.session.store.rows("participants")} - {""}
    assert demo_names and not demo_names & {r[0] for r in people}
    assert people[1][0] == "Participant 001"


def test_export_includes_names_only_when_asked(demo_window: MainWindow, dialogs, qtbot, tmp_path: Path) -> None:
    out = tmp_path / "named.xlsx"
    dialogs.answers = [str(out), 1]
    action(demo_window, "Export to Excel…").trigger()
    wait_idle(demo_window, qtbot)
    wb = load_workbook(out, read_only=True)
    try:
        first = list(wb["Participants"].iter_rows(values_only=True))[1][0]
    finally:
        wb.close()
    assert first == demo_window.session.store.rows("participants")[0]["display_name"]


@pytest.mark.parametrize("error", [RuntimeError("disk on fire"), KeyboardInterrupt()])
def test_an_error_inside_the_worker_is_shown_on_the_gui_thread_and_the_file_is_untouched(
        demo_window: MainWindow, dialogs, qtbot, tmp_path: Path, monkeypatch, capsys, error: BaseException) -> None:
    out = tmp_path / "outcome.xlsx"
    out.write_bytes(b"the previous workbook")
    where: list[str] = []
    real = core_export.export_workbook

    def failing(store: Any, path: Path, **kw: Any) -> Path:
        where.append(threading.current_thread().name)

        def progress(f: float) -> None:
            kw["progress"](f)
            if f >= 0.2:
                raise error
        return real(store, path, include_names=kw["include_names"], progress=progress, cancel=kw["cancel"])

    monkeypatch.setattr(core_export, "export_workbook", failing)
    dialogs.answers = [str(out)]
    action(demo_window, "Export to Excel…").trigger()
    wait_idle(demo_window, qtbot)
    assert where and where[0].startswith("vbp-task")  # it ran on the worker …
    kind, title, text = dialogs.shown[-1]  # … and the dialog came on the GUI thread (ScriptedDialogs checks)
    assert (kind, title) == ("error", "Workbook not written") and type(error).__name__ in text
    assert not dialogs.off_thread
    assert out.read_bytes() == b"the previous workbook"
    assert not list(tmp_path.glob("*.tmp.xlsx"))
    assert type(error).__name__ in capsys.readouterr().err  # the traceback is logged


def test_a_known_export_problem_reads_as_its_message(demo_window: MainWindow, dialogs, qtbot, tmp_path: Path) -> None:
    (tmp_path / ".~lock.held.xlsx#").write_text("x")
    dialogs.answers = [str(tmp_path / "held.xlsx")]
    action(demo_window, "Export to Excel…").trigger()
    wait_idle(demo_window, qtbot)
    assert dialogs.shown[-1][0] == "error" and "open in LibreOffice" in dialogs.shown[-1][2]


def held_export(monkeypatch) -> tuple[threading.Event, threading.Event]:
    """The real export, held at its first progress report until released (or cancelled)."""
    started, release = threading.Event(), threading.Event()
    real = core_export.export_workbook

    def held(store: Any, path: Path, **kw: Any) -> Path:
        report: Callable[[float], None] = kw["progress"]

        def progress(f: float) -> None:
            started.set()
            while not release.is_set():
                report(f)  # raises Cancelled once the facilitator cancelled
                time.sleep(0.01)
            report(f)
        return real(store, path, include_names=kw["include_names"], progress=progress, cancel=kw["cancel"])

    monkeypatch.setattr(core_export, "export_workbook", held)
    return started, release


def test_cancel_stops_the_export_and_writes_nothing(demo_window: MainWindow, dialogs, qtbot, tmp_path: Path,
                                                    monkeypatch) -> None:
    started, _release = held_export(monkeypatch)
    out = tmp_path / "outcome.xlsx"
    dialogs.answers = [str(out)]
    action(demo_window, "Export to Excel…").trigger()
    task = demo_window.tasks.tasks[0]
    assert started.wait(10)
    qtbot.waitUntil(lambda: task.dialog is not None and task.dialog.isVisible(), timeout=5000)
    from PySide6.QtWidgets import QPushButton

    cancel = next(b for b in task.dialog.findChildren(QPushButton) if b.text() == "Cancel")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)  # the progress dialog's Cancel button
    wait_idle(demo_window, qtbot)
    assert task.state == "cancelled"
    assert not out.exists() and not list(tmp_path.glob("*.tmp.xlsx"))
    assert not [s for s in dialogs.shown if s[0] == "error"]
    assert not task_threads()


def test_quitting_mid_export_cancels_waits_and_exits_cleanly(demo_window: MainWindow, dialogs, qtbot,
                                                              tmp_path: Path, monkeypatch) -> None:
    started, _release = held_export(monkeypatch)
    out = tmp_path / "outcome.xlsx"
    dialogs.answers = [str(out)]
    action(demo_window, "Export to Excel…").trigger()
    assert started.wait(10) and task_threads()
    action(demo_window, "Quit").trigger()  # closes the window while the worker is mid-export
    assert not demo_window.isVisible() and demo_window.session is None
    assert not task_threads()
    assert not out.exists() and not list(tmp_path.glob("*.tmp.xlsx"))
    assert not demo_window.tasks.tasks
    qtbot.wait(100)  # nothing is delivered after the window closed
    assert not [s for s in dialogs.shown if s[1] == "Workbook written"]


def test_the_demo_is_built_off_the_gui_thread_and_opens(window: MainWindow, qtbot, tmp_path: Path,
                                                       monkeypatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    action(window, "Open the demo workshop").trigger()
    qtbot.waitUntil(lambda: window.session is not None, timeout=30000)
    path = window.session.store.path
    assert path.is_relative_to(tmp_path / "data")
    parts = path.relative_to(tmp_path / "data").parts
    assert len(parts) == 3 and parts[1] == "demos", parts  # <data>/<app>/demos: the app named once


def test_import_participants_from_the_menu_asks_first_and_cancel_imports_nothing(
        demo_window: MainWindow, dialogs, qtbot, tmp_path: Path) -> None:
    f = tmp_path / "people.csv"
    f.write_text("Name,Partner,Role\nAnn,HeartVoice Patient Network,Patient rep\nBob,Unknown Org,CEO\n"
                 "Cy,unknown org,CFO\nDi,,\n")
    session = demo_window.session
    before = len(session.store.rows("participants"))
    dialogs.answers = [str(f), None]  # Cancel
    action(demo_window, "Import participants…").trigger()
    wait_idle(demo_window, qtbot)
    assert len(session.store.rows("participants")) == before
    kind, _title, text = dialogs.shown[-1]
    assert kind == "checklist"
    # Each problem once: the two rows of the unknown organisation are one line, however spelt.
    assert text.count("is not a partner") == 1 and "rows 3, 4" in text
    assert "Add “Unknown Org” as a partner and import its 2 participants" in text
    dialogs.answers = [str(f), []]  # Import, without adding the organisation
    action(demo_window, "Import participants…").trigger()
    wait_idle(demo_window, qtbot)
    assert len(session.store.rows("participants")) == before + 2  # Ann, and Di with no partner
    session.undo_stack.undo()
    assert len(session.store.rows("participants")) == before


def test_an_unknown_organisation_can_be_added_as_a_partner_from_the_import(
        demo_window: MainWindow, dialogs, qtbot, tmp_path: Path) -> None:
    f = tmp_path / "people.csv"
    f.write_text("Name,Partner,Role\nAnn,HeartVoice Patient Network,Patient rep\nBob,Unknown Org,CEO\n"
                 "Cy,Unknown Org,CFO\n")
    store = demo_window.session.store
    before = len(store.rows("participants"))
    dialogs.answers = [str(f), [0]]
    action(demo_window, "Import participants…").trigger()
    wait_idle(demo_window, qtbot)
    new = [p for p in store.rows("partners") if p["name"] == "Unknown Org"]
    assert len(new) == 1
    people = {p["display_name"]: p["partner_id"] for p in store.rows("participants")}
    assert len(store.rows("participants")) == before + 3 and people["Bob"] == people["Cy"] == new[0]["id"]
    assert store.rows("alignment", "partner_id = ?", (new[0]["id"],))  # a partner like any other
    demo_window.session.undo_stack.undo()  # one undo takes back the partner and its people
    assert not [p for p in store.rows("partners") if p["name"] == "Unknown Org"]
    assert len(store.rows("participants")) == before


def test_import_actuals_from_a_foreign_file_says_why(demo_window: MainWindow, dialogs, qtbot, tmp_path: Path) -> None:
    f = tmp_path / "notes.xlsx"
    f.write_text("not a workbook")
    dialogs.answers = [str(f)]
    action(demo_window, "Import metric actuals…").trigger()
    wait_idle(demo_window, qtbot)
    assert dialogs.shown[-1][0] == "error" and "not an Excel workbook" in dialogs.shown[-1][2]


def test_import_actuals_from_the_menu_says_what_is_new_what_is_corrected_and_what_to_check(
        demo_window: MainWindow, dialogs, qtbot, tmp_path: Path) -> None:
    import openpyxl

    from vbp_workshop.core.workbook.export import ACTUALS_SHEET, export_workbook

    store = demo_window.session.store
    first = store.rows("actuals", order="id")[0]
    out = export_workbook(store, tmp_path / "filled.xlsx")
    wb = openpyxl.load_workbook(out)
    ws = wb[ACTUALS_SHEET]
    ws.cell(2, 4).value = "48,5"  # a correction of the first value, typed with a decimal comma
    last = int(ws.tables["MetricActuals"].ref.split(":")[1][1:])
    ws.delete_rows(last + 1, 5)
    ws.cell(last + 1, 1, first["metric_id"])
    ws.cell(last + 1, 3, "2028-03-31")
    ws.cell(last + 1, 4, 10 * 585)  # a slip of ten (or more): to be confirmed
    wb.save(out)
    dialogs.answers = [str(out), True]  # the file, then "yes" to the confirmation
    action(demo_window, "Import metric actuals…").trigger()
    wait_idle(demo_window, qtbot)
    kind, title, text = dialogs.shown[-1]
    assert (kind, title) == ("confirm", "Import actual values?")
    assert "1 new actual value and 1 correction" in text
    assert "Please check" in text and "times off" in text
    same = store.rows("actuals", "metric_id = ? AND date = ?", (first["metric_id"], first["date"]))
    assert [a["value"] for a in same] == [48.5]
    demo_window.session.undo_stack.undo()  # the import is one undoable step
    same = store.rows("actuals", "metric_id = ? AND date = ?", (first["metric_id"], first["date"]))
    assert [a["value"] for a in same] == [first["value"]]

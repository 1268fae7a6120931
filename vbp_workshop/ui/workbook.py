"""Export to Excel and the two imports, from the File menu, with the slow part off the GUI thread.

Each reads the workshop on the worker through its own read-only snapshot (a Store belongs to
its thread), and applies edits on the GUI thread through the session, so an import is one undo.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from vbp_workshop.ui.dialogs import DialogService
from vbp_workshop.ui.session import Session
from vbp_workshop.ui.tasks import Progress, Task, TaskRunner

NAMES_OPTIONS = ["Pseudonymise (recommended)", "Include names"]


def unexpected(title: str, exc: BaseException, trace: str, dialogs: DialogService) -> None:
    """An error no one planned for: say what it was; the traceback goes to the log."""
    print(trace, file=sys.stderr)
    dialogs.error(title, f"{title}: an unexpected error stopped it.\n\n{type(exc).__name__}: {exc}")


def ask_export_path(session: Session, dialogs: DialogService) -> Path | None:
    suggested = str(session.store.path.with_suffix(".xlsx"))
    path = dialogs.save_file("Export to Excel", suggested, "Excel workbooks (*.xlsx)")
    if not path:
        return None
    out = Path(path)
    return out if out.suffix.lower() == ".xlsx" else out.with_suffix(".xlsx")


def ask_include_names(session: Session, dialogs: DialogService) -> bool | None:
    """False (the default: names pseudonymised), True, or None when the facilitator cancels."""
    if not any(p["display_name"] for p in session.store.rows("participants")):
        return False
    answer = dialogs.choose(
        "Participants' names",
        "The workbook goes to every partner. List participants as Participant 001, 002 … "
        "(recommended), or with their names?\n\nVotes never carry names either way.",
        NAMES_OPTIONS, default=0)
    return None if answer is None else answer == 1


def export_done_text(path: Path, seconds: float) -> str:
    return f"The workbook is at\n{path}\n\nWritten in {seconds:.1f} s."


def start_export(tasks: TaskRunner, session: Session, out: Path, include_names: bool,
                 dialogs: DialogService) -> Task:
    from vbp_workshop.core.export import ExportError, export_workbook
    from vbp_workshop.core.store import snapshot_store

    db = session.store.path

    def work(progress: Progress) -> Path:
        with snapshot_store(db) as store:
            return export_workbook(store, out, include_names=include_names, progress=progress)

    def failed(exc: BaseException, trace: str) -> None:
        if isinstance(exc, ExportError):
            dialogs.error("Workbook not written", str(exc))
        else:
            unexpected("Workbook not written", exc, trace, dialogs)

    task: Task

    def done(path: Path) -> None:
        dialogs.info("Workbook written", export_done_text(path, task.seconds))

    task = tasks.run("Writing the workbook…", work, done, on_error=failed)
    return task


def export_dialog(tasks: TaskRunner, session: Session, dialogs: DialogService) -> Task | None:
    out = ask_export_path(session, dialogs)
    if out is None:
        return None
    names = ask_include_names(session, dialogs)
    if names is None:
        return None
    return start_export(tasks, session, out, names, dialogs)


# -- imports ----------------------------------------------------------------------------------------


def import_participants(tasks: TaskRunner, session: Session, dialogs: DialogService) -> Task | None:
    from vbp_workshop.core.imports import ImportError_, read_participants
    from vbp_workshop.core.store import snapshot_store

    path = dialogs.open_file("Import participants", "Spreadsheets (*.xlsx *.csv);;All files (*)")
    if not path:
        return None
    db, source = session.store.path, Path(path)

    def work(_progress: Progress) -> Any:
        with snapshot_store(db) as store:
            return read_participants(source, store)

    def failed(exc: BaseException, trace: str) -> None:
        if isinstance(exc, ImportError_):
            dialogs.error("Nothing imported", str(exc))
        else:
            unexpected("Nothing imported", exc, trace, dialogs)

    return tasks.run(f"Reading “{source.name}”…", work,
                     lambda result: confirm_participants(session, dialogs, source, result), on_error=failed)


def confirm_participants(session: Session, dialogs: DialogService, source: Path, result: Any) -> None:
    from vbp_workshop.core.imports import participant_edits

    text = f"{len(result.rows)} participants can be imported from “{source.name}”."
    problems = list(dict.fromkeys(result.problems))  # each problem once
    if problems:
        text += f"\n\n{len(problems)} rows cannot be used:\n" + "\n".join(problems[:15])
        if len(problems) > 15:
            text += f"\n… and {len(problems) - 15} more."
    if not result.rows:
        dialogs.error("Nothing imported", text)
        return
    if dialogs.confirm("Import participants?", text + "\n\nImport them now?"):
        session.edit(participant_edits(result.rows), f"Import {len(result.rows)} participants")


def import_actuals(tasks: TaskRunner, session: Session, dialogs: DialogService) -> Task | None:
    from vbp_workshop.core.imports import ImportError_, read_actuals
    from vbp_workshop.core.store import snapshot_store

    path = dialogs.open_file("Import metric actuals", "Excel workbooks (*.xlsx);;All files (*)")
    if not path:
        return None
    db, source = session.store.path, Path(path)

    def work(_progress: Progress) -> Any:
        with snapshot_store(db) as store:
            return read_actuals(source, store)

    def failed(exc: BaseException, trace: str) -> None:
        if isinstance(exc, ImportError_):
            dialogs.error("Nothing imported", str(exc))
        else:
            unexpected("Nothing imported", exc, trace, dialogs)

    def apply(rows: list[dict[str, Any]]) -> None:
        from vbp_workshop.core.imports import actual_edits

        edits = actual_edits(session.store, rows)  # against the file as it is now, on this thread
        if not edits:
            dialogs.info("Nothing new", "The workbook has no actual values that are not here already.")
            return
        if dialogs.confirm("Import actual values?", f"{len(edits)} new actual values will be added to "
                           "step 5. Import them?"):
            session.edit(edits, f"Import {len(edits)} actual values")

    return tasks.run(f"Reading “{source.name}”…", work, apply, on_error=failed)

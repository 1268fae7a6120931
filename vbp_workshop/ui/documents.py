"""File › Export documents…: the draft PID, the executive summary and the hand-out, into a folder.

The slow part runs on the background-work helper with progress and Cancel, as the workbook
does: the record is read from a snapshot of the file, the Word files are written (python-docx)
to temporary files and the hand-out's content is laid out. Then, on the GUI thread, the charts
are drawn (widgets) and the hand-out printed (QTextDocument needs a Qt thread), and all three
are moved into place.
"""

from __future__ import annotations

from pathlib import Path

from vbp_workshop.ui.session import Session
from vbp_workshop.ui.shared.dialogs import DialogService
from vbp_workshop.ui.tasks import Cancelled, Progress, Task, TaskRunner
from vbp_workshop.ui.workbook import NAMES_OPTIONS, unexpected


def ask_include_names(session: Session, dialogs: DialogService) -> bool | None:
    """False (the default: nobody named), True, or None when the facilitator cancels."""
    if not any(p["display_name"] for p in session.store.rows("participants")):
        return False
    answer = dialogs.choose(
        "Participants' names",
        "The hand-out goes to every participant. Count the people from each partner (recommended), "
        "or list them by name?\n\nVotes never carry names either way.", NAMES_OPTIONS, default=0)
    return None if answer is None else answer == 1


def start_documents(tasks: TaskRunner, session: Session, folder: Path, include_names: bool,
                    dialogs: DialogService) -> Task:
    from vbp_workshop.core.documents import DocumentsCancelled, DocumentsError, Pending, prepare_documents
    from vbp_workshop.core.file.store import snapshot_store

    db = session.store.path
    kept: list[Pending] = []

    def work(progress: Progress) -> Pending:
        with snapshot_store(db) as store:
            try:
                pending = prepare_documents(store, folder, include_names=include_names, progress=progress,
                                            cancel=lambda: progress.cancelled)
            except DocumentsCancelled:
                raise Cancelled from None
        kept.append(pending)
        return pending

    def failed(exc: BaseException, trace: str) -> None:
        if isinstance(exc, DocumentsError):
            dialogs.error("Documents not written", str(exc))
        else:
            unexpected("Documents not written", exc, trace, dialogs)

    task: Task

    def done(pending: Pending) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QApplication

        from vbp_workshop.ui.handout import handout_writer, render_charts

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:  # the charts and the hand-out's pages: here, on the GUI thread (a fraction of a second)
            paths = pending.finish(handout_writer(render_charts(session.store)))
        except DocumentsError as exc:
            dialogs.error("Documents not written", str(exc))
            return
        finally:
            QApplication.restoreOverrideCursor()
        names = "\n".join(f"• {p.name}" for p in paths)
        dialogs.info("Documents written", f"In {folder}:\n{names}\n\nWritten in {task.seconds:.1f} s. "
                     "The PID and the summary are drafts: the partners edit them in Word.")

    task = tasks.run("Writing the documents…", work, done, on_error=failed)
    # Closing the window before the result is delivered: the temporary Word files go too.
    def forget(_state: str) -> None:
        for pending in kept:
            pending.discard()

    task.ended.connect(forget)
    return task


def documents_dialog(tasks: TaskRunner, session: Session, dialogs: DialogService) -> Task | None:
    folder = dialogs.choose_folder("Export documents into a folder", str(session.store.path.parent))
    if not folder:
        return None
    names = ask_include_names(session, dialogs)
    if names is None:
        return None
    return start_documents(tasks, session, Path(folder), names, dialogs)

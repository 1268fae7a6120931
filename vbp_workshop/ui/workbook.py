"""Export to Excel off the GUI thread (with progress), and the two imports, from the File menu."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from vbp_workshop.ui.dialogs import DialogService
from vbp_workshop.ui.session import Session


class ExportJob(QObject):
    """Runs the export on a worker thread with its own read-only view of the file.

    The worker uses its own SQLite connection (a Store cannot cross threads) and reports
    progress and the outcome through Qt signals queued to the GUI thread.
    """

    progress = Signal(int)
    done = Signal(str)
    failed = Signal(str)

    def __init__(self, db_path: Path, out: Path, include_names: bool) -> None:
        super().__init__()
        self.db_path, self.out, self.include_names = db_path, out, include_names

    def run(self) -> None:
        from vbp_workshop.core.export import ExportError, export_workbook
        from vbp_workshop.core.store import snapshot_store

        try:
            with snapshot_store(self.db_path) as store:
                export_workbook(store, self.out, include_names=self.include_names,
                                progress=lambda f: self.progress.emit(int(f * 100)))
        except (ExportError, OSError) as exc:
            self.failed.emit(str(exc))
            return
        self.done.emit(str(self.out))


def run_export(parent: QWidget | None, session: Session, out: Path, include_names: bool,
               dialogs: DialogService) -> tuple[QThread, ExportJob]:
    thread = QThread(parent)
    job = ExportJob(session.store.path, out, include_names)
    job.moveToThread(thread)
    progress = QProgressDialog("Writing the workbook…", "", 0, 100, parent)
    progress.setCancelButton(None)
    progress.setMinimumDuration(400)
    job.progress.connect(progress.setValue)
    job.done.connect(lambda path: dialogs.info("Workbook written", f"The workbook is at\n{path}"))
    job.failed.connect(lambda msg: dialogs.error("Workbook not written", msg))
    for signal in (job.done, job.failed):
        signal.connect(progress.close)
        signal.connect(thread.quit)
    thread.started.connect(job.run)
    thread.finished.connect(job.deleteLater)
    thread.start()
    return thread, job


def export_dialog(parent: QWidget, session: Session, dialogs: DialogService) -> Any:
    suggested = str(session.store.path.with_suffix(".xlsx"))
    path = dialogs.save_file("Export to Excel", suggested, "Excel workbooks (*.xlsx)")
    if not path:
        return None
    out = Path(path)
    if out.suffix.lower() != ".xlsx":
        out = out.with_suffix(".xlsx")
    names = dialogs.confirm("Participants' names",
                            "Include participants' names in the workbook?\n\nNo (recommended) "
                            "lists them as Participant 001, 002 …; votes never carry names either way.") \
        if _has_names(session) else False
    return run_export(parent, session, out, names, dialogs)


def _has_names(session: Session) -> bool:
    return bool(session.store.scalar("SELECT COUNT(*) FROM participants WHERE display_name != ''"))


def import_participants(session: Session, dialogs: DialogService) -> None:
    from vbp_workshop.core.imports import ImportError_, participant_edits, read_participants

    path = dialogs.open_file("Import participants", "Spreadsheets (*.xlsx *.csv);;All files (*)")
    if not path:
        return
    try:
        result = read_participants(Path(path), session.store)
    except ImportError_ as exc:
        dialogs.error("Nothing imported", str(exc))
        return
    text = f"{len(result.rows)} participants can be imported from “{Path(path).name}”."
    if result.problems:
        text += f"\n\n{len(result.problems)} rows cannot be used:\n" + "\n".join(result.problems[:15])
        if len(result.problems) > 15:
            text += f"\n… and {len(result.problems) - 15} more."
    if not result.rows:
        dialogs.error("Nothing imported", text)
        return
    if dialogs.confirm("Import participants?", text + "\n\nImport them now?"):
        session.edit(participant_edits(result.rows), f"Import {len(result.rows)} participants")


def import_actuals(session: Session, dialogs: DialogService) -> None:
    from vbp_workshop.core.imports import ImportError_, actual_edits, read_actuals

    path = dialogs.open_file("Import metric actuals", "Excel workbooks (*.xlsx);;All files (*)")
    if not path:
        return
    try:
        rows = read_actuals(Path(path), session.store)
    except ImportError_ as exc:
        dialogs.error("Nothing imported", str(exc))
        return
    edits = actual_edits(session.store, rows)
    if not edits:
        dialogs.info("Nothing new", "The workbook has no actual values that are not here already.")
        return
    if dialogs.confirm("Import actual values?", f"{len(edits)} new actual values will be added to "
                       "step 5. Import them?"):
        session.edit(edits, f"Import {len(edits)} actual values")


"""Export to Excel and the two imports, from the File menu, with the slow part off the GUI thread.

Each reads the workshop on the worker through its own read-only snapshot (a Store belongs to
its thread), and applies edits on the GUI thread through the session, so an import is one undo.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from vbp_workshop.core.model.changes import IMPORT
from vbp_workshop.core.model.words import plural
from vbp_workshop.ui.session import Session
from vbp_workshop.ui.shared.dialogs import DialogService
from vbp_workshop.ui.tasks import Cancelled, Progress, Task, TaskRunner

NAMES_OPTIONS = ["Pseudonymise (recommended)", "Include names"]


def unexpected(title: str, exc: BaseException, trace: str, dialogs: DialogService) -> None:
    """An error no one planned for: say what it was; the traceback goes to the log."""
    print(trace, file=sys.stderr)
    dialogs.error(title, f"{title}: an unexpected error stopped it.\n\n{type(exc).__name__}: {exc}")


def ask_export_path(session: Session, dialogs: DialogService) -> Path | None:
    suggested = str(session.file.with_suffix(".xlsx"))
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
    from vbp_workshop.core.file.store import snapshot_store
    from vbp_workshop.core.workbook import export
    from vbp_workshop.core.workbook.export import ExportError

    db = session.store.path

    def work(progress: Progress) -> Path:
        with snapshot_store(db) as store:
            try:  # Cancel is asked between sheets and inside long ones, and at each progress report
                return export.export_workbook(store, out, include_names=include_names, progress=progress,
                                              cancel=lambda: progress.cancelled)
            except export.ExportCancelled:
                raise Cancelled from None

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
    from vbp_workshop.core.file.store import snapshot_store
    from vbp_workshop.core.workbook.imports import ImportError_, read_participants

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


def unknown_organisations(result: Any) -> list[tuple[str, list[dict[str, Any]]]]:
    """The organisations that are not partners yet, one per organisation however it was spelt
    (the first spelling, cleaned), with the rows held back for it."""
    from vbp_workshop.core.model.text import clean_text, name_key

    unknown: dict[str, tuple[str, list[dict[str, Any]]]] = {}
    for name, rows in result.unknown_partners.items():
        key = name_key(name)
        first, held = unknown.get(key, (clean_text(name)[:200], []))
        unknown[key] = (first, held + rows)
    return list(unknown.values())


def import_text(source: Path, result: Any) -> str:
    """What the file holds: how many can be imported, then each problem once; rows held back
    for an unknown organisation are one line per organisation."""
    text = f"{plural(len(result.rows), 'participant')} can be imported from “{source.name}”."
    unknown_rows = {r["row"] for rows in result.unknown_partners.values() for r in rows}
    problems = [p for p in dict.fromkeys(result.problems)
                if not any(p.startswith(f"Row {n}:") for n in unknown_rows)]
    unknown = unknown_organisations(result)
    for name, rows in unknown:
        numbers = ", ".join(str(r["row"]) for r in rows[:12]) + (" …" if len(rows) > 12 else "")
        problems.append(f"“{name}” is not a partner of this workshop (row{'s' if len(rows) > 1 else ''} "
                        f"{numbers}).")
    if problems:
        held = len(unknown_rows) + len(problems) - len(unknown)
        text += f"\n\n{plural(held, 'row')} cannot be used as they are:\n" + "\n".join(problems[:15])
        if len(problems) > 15:
            text += f"\n… and {len(problems) - 15} more."
    return text


def confirm_participants(session: Session, dialogs: DialogService, source: Path, result: Any) -> None:
    from vbp_workshop.core.model.changes import Insert
    from vbp_workshop.core.model.domain import Stakeholder
    from vbp_workshop.core.steps.template import ensure_partner_rows
    from vbp_workshop.core.workbook.imports import participant_edits

    unknown = unknown_organisations(result)
    text = import_text(source, result)
    if not result.rows and not unknown:
        dialogs.error("Nothing imported", text)
        return
    offers = [f"Add “{name}” as a partner and import its {plural(len(rows), 'participant')}"
              for name, rows in unknown]
    if offers:
        ticked = dialogs.checklist("Import participants?", text, offers, "Import")
    else:
        ticked = [] if dialogs.confirm("Import participants?", text + "\n\nImport them now?") else None
    if ticked is None:
        return
    edits = participant_edits(result.rows)
    added = 0
    next_id = session.store.next_id("partners")
    for i in ticked:
        name, rows = unknown[i]
        pid = next_id + added
        added += 1
        edits = [Insert("partners", {"id": pid, "name": name, "stakeholder": Stakeholder.OTHER.value}),
                 *ensure_partner_rows(session.store, pid), *edits,
                 *participant_edits([{"display_name": r["display_name"], "role": r["role"], "partner_id": pid}
                                     for r in rows])]
    people = len(result.rows) + sum(len(unknown[i][1]) for i in ticked)
    if not people:
        return
    label = f"Import {plural(people, 'participant')}" + (f" and {plural(added, 'partner')}" if added else "")
    session.edit(edits, label, origin=IMPORT)


def import_actuals(tasks: TaskRunner, session: Session, dialogs: DialogService) -> Task | None:
    from vbp_workshop.core.file.store import snapshot_store
    from vbp_workshop.core.workbook.imports import ImportError_, read_actuals

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

    def apply(rows: Any) -> None:
        from vbp_workshop.core.model.changes import Insert
        from vbp_workshop.core.workbook.imports import actual_edits

        edits = actual_edits(session.store, rows)  # against the file as it is now, on this thread
        if not edits:
            dialogs.info("Nothing new", "The workbook has no actual values that are not here already.")
            return
        new = sum(isinstance(e, Insert) for e in edits)
        parts = [plural(new, "new actual value")] if new else []
        if len(edits) > new:
            parts.append(plural(len(edits) - new, "correction") + " of a value already recorded")
        text = " and ".join(parts) + " will go into step 5."
        warnings = list(getattr(rows, "warnings", []))
        if warnings:  # values far off their metric's range, rows replaced by a later row: say each once
            shown = warnings[:12]
            text += "\n\nPlease check:\n" + "\n".join(f"• {w}" for w in shown)
            if len(warnings) > len(shown):
                text += f"\n… and {len(warnings) - len(shown)} more."
        if dialogs.confirm("Import actual values?", text + "\n\nImport them?"):
            session.edit(edits, f"Import {plural(len(edits), 'actual value')}", origin=IMPORT)

    return tasks.run(f"Reading “{source.name}”…", work, apply, on_error=failed)

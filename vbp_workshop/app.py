"""Command line and application start-up.

    vbp-workshop                      the start screen
    vbp-workshop FILE.vbpw            open a workshop
    vbp-workshop --demo               a fresh copy of the built-in demo
    vbp-workshop demo OUT.vbpw        write the demo workshop to a file (no display needed)
    vbp-workshop export FILE -o X.xlsx   write the outcome workbook (no display needed)
    vbp-workshop export FILE --documents DIR   the draft PID, executive summary and hand-out

The headless commands need no display: `demo` and the workbook import no Qt; the hand-out's
charts are drawn by Qt on its offscreen platform.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import cast

from vbp_workshop import __version__


def _gui_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="vbp-workshop",
        description="Run a value-based partnership workshop: five steps, live phone voting, "
                    "Excel outcome. Also: 'vbp-workshop demo OUT.vbpw' and "
                    "'vbp-workshop export FILE.vbpw -o OUT.xlsx'.")
    p.add_argument("file", nargs="?", help="a workshop file (.vbpw) to open")
    p.add_argument("--demo", action="store_true", help="open a fresh copy of the demo workshop")
    p.add_argument("--no-crash-dialog", action="store_true",
                   help="print unexpected errors instead of showing a dialog (for automation)")
    p.add_argument("--version", action="version", version=f"VBP Workshop {__version__}")
    return p


def cmd_demo(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="vbp-workshop demo", description="Write the demo workshop to a file.")
    p.add_argument("out", help="where to write it (a new .vbpw file)")
    args = p.parse_args(argv)
    from vbp_workshop.core.file.store import WorkshopFileError
    from vbp_workshop.core.steps.demo import build_demo

    out = Path(args.out)
    if out.exists():
        print(f"vbp-workshop: {out} already exists; choose a new file name.", file=sys.stderr)
        return 2
    try:
        build_demo(out).close()
    except (OSError, WorkshopFileError) as exc:
        print(f"vbp-workshop: cannot write the demo: {exc}", file=sys.stderr)
        return 1
    print(f"Demo workshop written to {out}")
    return 0


def cmd_export(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="vbp-workshop export",
                                description="Write the outcome workbook and/or the partnership's documents.")
    p.add_argument("file", help="the workshop file (.vbpw)")
    p.add_argument("-o", "--output", help="the workbook to write (.xlsx)")
    p.add_argument("--documents", metavar="DIR",
                   help="write the draft PID, the executive summary (Word) and the hand-out (PDF) into DIR")
    p.add_argument("--names", action="store_true",
                   help="include participants' names (pseudonymised by default)")
    args = p.parse_args(argv)
    if not args.output and not args.documents:
        p.error("say what to write: -o OUT.xlsx, --documents DIR, or both")
    from vbp_workshop.core.file.store import Store, WorkshopFileError
    from vbp_workshop.core.workbook.export import ExportError, export_workbook

    try:
        store = Store.open(args.file)
    except WorkshopFileError as exc:
        print(f"vbp-workshop: {exc}", file=sys.stderr)
        return 1
    try:
        if args.output:
            export_workbook(store, Path(args.output), include_names=args.names)
            print(f"Workbook written to {args.output}")
        if args.documents:
            for path in _write_documents(store, Path(args.documents), args.names):
                print(f"Written: {path}")
    except ExportError as exc:
        print(f"vbp-workshop: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:
        from vbp_workshop.core.documents import DocumentsError

        if not isinstance(exc, DocumentsError):
            raise
        print(f"vbp-workshop: {exc}", file=sys.stderr)
        return 1
    finally:
        store.close()
    return 0


def _write_documents(store: object, folder: Path, names: bool) -> list[Path]:
    """The documents with no display: the hand-out's charts are drawn on Qt's offscreen platform."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from vbp_workshop import ui  # noqa: F401  (binds pyqtgraph to PySide6 first)
    from vbp_workshop.core.documents import prepare_documents
    from vbp_workshop.core.file.store import Store
    from vbp_workshop.ui.handout import handout_writer, render_charts

    assert isinstance(store, Store)
    app = QApplication.instance() or QApplication(sys.argv[:1])  # kept until the hand-out is written
    pending = prepare_documents(store, folder, include_names=names)  # refuses a missing folder first
    written = pending.finish(handout_writer(render_charts(store)))
    app.processEvents()  # the charts' widgets are deleted before the application goes
    return written


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "demo":
        return cmd_demo(argv[1:])
    if argv and argv[0] == "export":
        return cmd_export(argv[1:])
    args = _gui_parser().parse_args(argv)
    try:
        import PySide6  # noqa: F401
    except ImportError as exc:  # before Qt: a plain message, not a traceback
        print(f"vbp-workshop: the desktop window needs PySide6 ({exc}). "
              "Install it with: pip install PySide6-Essentials", file=sys.stderr)
        return 1
    return run_gui(args.file, demo=args.demo, crash_dialog=not args.no_crash_dialog)


def run_gui(file: str | None, *, demo: bool = False, crash_dialog: bool = True) -> int:
    from PySide6.QtWidgets import QApplication

    from vbp_workshop.server.oslimits import raise_nofile

    raise_nofile()  # a GUI app starts with 256 open files on macOS: too few for a room of phones

    from vbp_workshop import ui  # noqa: F401  (binds pyqtgraph to PySide6 first)
    from vbp_workshop.core.steps.template import resource_path
    from vbp_workshop.ui import crash
    from vbp_workshop.ui.main_window import MainWindow
    from vbp_workshop.ui.qtcheck import check_binding
    from vbp_workshop.ui.settings import Settings

    app = cast(QApplication, QApplication.instance() or QApplication(sys.argv[:1]))  # ours: a GUI app
    problem = check_binding()
    if problem:
        print(f"vbp-workshop: {problem}", file=sys.stderr)
        return 1
    app.setApplicationName("VBP Workshop")
    app.setOrganizationName("VBP Workshop")
    app.setApplicationVersion(__version__)
    app.setStyleSheet(resource_path("style.qss").read_text("utf-8"))
    crash.install(dialog=crash_dialog)
    window = MainWindow(Settings())
    window.show()
    if demo:
        window.open_demo()
    elif file:
        window.open_path(file)
    quit_ms = os.environ.get("VBP_AUTOMATION_QUIT_MS", "")
    if quit_ms.isdigit():  # for automated start-up checks: say what opened, then quit
        from PySide6.QtCore import QTimer

        def report_and_quit() -> None:  # the demo is built on a worker: report once it opened
            if demo and window.session is None and window.tasks.tasks:  # not yet delivered
                QTimer.singleShot(5, report_and_quit)
                return
            print(f"opened: {window.session.title if window.session else 'start screen'}", flush=True)
            window.close()

        QTimer.singleShot(int(quit_ms), report_and_quit)
    return int(app.exec())

"""Command line and application start-up.

    vbp-workshop                      the start screen
    vbp-workshop FILE.vbpw            open a workshop
    vbp-workshop --demo               a fresh copy of the built-in demo
    vbp-workshop demo OUT.vbpw        write the demo workshop to a file (no display needed)
    vbp-workshop export FILE -o X.xlsx   write the outcome workbook (no display needed)

The headless commands import no Qt, so they work on a machine with no display.
"""

from __future__ import annotations

import argparse
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
    p = argparse.ArgumentParser(prog="vbp-workshop export", description="Write the outcome workbook.")
    p.add_argument("file", help="the workshop file (.vbpw)")
    p.add_argument("-o", "--output", required=True, help="the workbook to write (.xlsx)")
    p.add_argument("--names", action="store_true",
                   help="include participants' names (pseudonymised by default)")
    args = p.parse_args(argv)
    from vbp_workshop.core.file.store import Store, WorkshopFileError
    from vbp_workshop.core.workbook.export import ExportError, export_workbook

    try:
        store = Store.open(args.file)
    except WorkshopFileError as exc:
        print(f"vbp-workshop: {exc}", file=sys.stderr)
        return 1
    try:
        export_workbook(store, Path(args.output), include_names=args.names)
    except ExportError as exc:
        print(f"vbp-workshop: {exc}", file=sys.stderr)
        return 1
    finally:
        store.close()
    print(f"Workbook written to {args.output}")
    return 0


def vote_server_child() -> int:
    """The vote server's own process: started by the app as itself plus this argument, frozen
    (the bundle's executable) or not (`python -m vbp_workshop`) alike."""
    from vbp_workshop import logfile
    from vbp_workshop.server import child

    logfile.setup("vote-server.log")
    return child.main()


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "--vote-server-child":  # hidden: server/process.py's CHILD_ARGUMENT
        return vote_server_child()
    if argv and argv[0] == "demo":
        return cmd_demo(argv[1:])
    if argv and argv[0] == "export":
        return cmd_export(argv[1:])
    from vbp_workshop import logfile

    logfile.setup()  # before anything can fail: a windowed build has no console to print on
    args = _gui_parser().parse_args(argv)
    try:
        import PySide6  # noqa: F401
    except ImportError as exc:  # before Qt: a plain message (a native box when windowed), not a traceback
        logfile.fatal(f"the desktop window needs PySide6 ({exc}). Install it with: pip install PySide6-Essentials")
        return 1
    return run_gui(args.file, demo=args.demo, crash_dialog=not args.no_crash_dialog)


def run_gui(file: str | None, *, demo: bool = False, crash_dialog: bool = True) -> int:
    from PySide6.QtWidgets import QApplication

    from vbp_workshop.server.oslimits import raise_nofile

    raise_nofile()  # a GUI app starts with 256 open files on macOS: too few for a room of phones

    from vbp_workshop import ui  # noqa: F401  (binds pyqtgraph to PySide6 first)
    from vbp_workshop.ui import crash, style
    from vbp_workshop.ui.file_open import FileOpenFilter
    from vbp_workshop.ui.main_window import MainWindow
    from vbp_workshop.ui.qtcheck import check_binding
    from vbp_workshop.ui.settings import Settings

    app = cast(QApplication, QApplication.instance() or QApplication(sys.argv[:1]))  # ours: a GUI app
    problem = check_binding()
    if problem:
        from vbp_workshop import logfile

        logfile.fatal(problem)
        return 1
    app.setApplicationName("VBP Workshop")
    app.setOrganizationName("VBP Workshop")
    app.setApplicationVersion(__version__)
    style.apply(app)  # font sizes from the platform's default font
    crash.install(dialog=crash_dialog)
    window = MainWindow(Settings())
    window.show()
    # macOS: a .vbpw double-clicked in Finder arrives as an event (also the one that started us).
    opener = FileOpenFilter(window.open_path, app)
    app.installEventFilter(opener)
    if demo:
        window.open_demo()
    elif file:
        window.open_path(file)
    from vbp_workshop.ui import automation

    automation.install(window, demo)  # VBP_AUTOMATION_*: start-up checks for tests and CI
    return int(app.exec())

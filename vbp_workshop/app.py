"""Command line and application start-up.

    vbp-workshop                      the start screen
    vbp-workshop FILE.vbpw            open a workshop
    vbp-workshop --demo               a fresh copy of the built-in demo
    vbp-workshop demo OUT.vbpw        write the demo workshop to a file (no display needed)
    vbp-workshop export FILE -o X.xlsx   write the outcome workbook (no display needed)
    vbp-workshop export FILE --documents DIR   the draft PID, executive summary and hand-out
    vbp-workshop network              the addresses phones would be offered, ranked, and why

The headless commands work on a machine with no display: `demo`, `network` and the workbook
import no Qt; the documents' hand-out draws its charts with Qt on its offscreen platform. An
unknown command exits with 2 and the window, started where there is no display, with 3: a
message either way, never Qt's abort.
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
                    "Excel outcome. Also: 'vbp-workshop demo OUT.vbpw', "
                    "'vbp-workshop export FILE.vbpw -o OUT.xlsx' and 'vbp-workshop network'.")
    p.add_argument("file", nargs="?", help="a workshop file (.vbpw) to open")
    p.add_argument("--demo", action="store_true", help="open a fresh copy of the demo workshop")
    p.add_argument("--no-crash-dialog", action="store_true",
                   help="print unexpected errors instead of showing a dialog (for automation)")
    p.add_argument("--version", action="version", version=f"VBP Workshop {__version__}")
    return p


def cmd_demo(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="vbp-workshop demo", description="Write the demo workshop to a file.")
    p.add_argument("out", help="where to write it (a new .vbpw file): the design day")
    p.add_argument("--review-day", metavar="FILE", help="also write its review day, six months on, started from it")
    args = p.parse_args(argv)
    from vbp_workshop.core.file.store import WorkshopFileError
    from vbp_workshop.core.steps.demo import build_demo, build_review_demo

    out = Path(args.out)
    review = Path(args.review_day) if args.review_day else None
    for path in (out, review):
        if path is not None and path.exists():
            print(f"vbp-workshop: {path} already exists; choose a new file name.", file=sys.stderr)
            return 2
    try:
        design = build_demo(out)
        try:
            if review is not None:
                build_review_demo(design, review).close()
        finally:
            design.close()
    except (OSError, WorkshopFileError) as exc:
        print(f"vbp-workshop: cannot write the demo: {exc}", file=sys.stderr)
        return 1
    print(f"Demo workshop written to {out}" + (f"; its review day to {review}" if review else ""))
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


def vote_server_child() -> int:
    """The vote server's own process: started by the app as itself plus this argument, frozen
    (the bundle's executable) or not (`python -m vbp_workshop`) alike."""
    from vbp_workshop import logfile
    from vbp_workshop.server import child

    logfile.setup("vote-server.log")
    return child.main()


def cmd_network(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="vbp-workshop network",
                                description="The addresses the app would offer the phones, best first, with "
                                            "each adapter's name and the reason for the order (for IT).")
    p.add_argument("--json", action="store_true", help="print them as JSON")
    args = p.parse_args(argv)
    from vbp_workshop.server import network

    found = network.adapters(network.windows_descriptions())
    offers = network.rank(found)
    if args.json:
        import json

        print(json.dumps([{"address": o.address, "adapter": o.adapter, "description": o.description,
                           "kind": o.kind, "rank": i + 1, "reason": o.reason} for i, o in enumerate(offers)],
                         indent=2))
        return 0
    print(f"Addresses VBP Workshop offers the phones, best first (port {network.DEFAULT_PORT}):\n")
    width = max(len(o.address) for o in offers)
    for i, o in enumerate(offers, 1):
        adapter = f"{o.adapter} ({o.description})" if o.description else o.adapter
        print(f"{i:2}. {o.address:<{width}}  {adapter}  [{o.kind}]")
        print(f"    {o.reason}")
    silent = sorted(a.name for a in found if not a.addresses)
    if silent:
        print(f"\nAdapters with no IPv4 address (not offered): {', '.join(silent)}")
    return 0


COMMANDS = {"demo": cmd_demo, "export": cmd_export, "network": cmd_network}


def display_problem(env: dict[str, str] | None = None, platform: str = sys.platform) -> str:
    """Why the window cannot open here, or "" (Qt would abort the process instead of saying so).

    Only Linux and the BSDs need a display server named in the environment; QT_QPA_PLATFORM set
    (offscreen, vnc, …) means the caller chose one."""
    env = dict(os.environ if env is None else env)
    if platform in ("win32", "darwin") or env.get("QT_QPA_PLATFORM"):
        return ""
    if env.get("WAYLAND_DISPLAY"):
        return ""
    display = env.get("DISPLAY", "")
    if not display:
        return ("there is no display here (neither DISPLAY nor WAYLAND_DISPLAY is set), so the window "
                "cannot open. Start it from a desktop session; 'vbp-workshop demo', 'export' and "
                "'network' work without one.")
    if not _x_reachable(display):
        return (f"the display {display} cannot be reached, so the window cannot open. Start it from a "
                "desktop session; 'vbp-workshop demo', 'export' and 'network' work without one.")
    return ""


def _x_reachable(display: str) -> bool:
    """Is an X server listening for DISPLAY? (A local socket, or TCP for host:N; a second at most.)"""
    import socket

    host, _, rest = display.rpartition(":")
    number = rest.split(".")[0]
    if not number.isdigit():
        return True  # a form we do not know: let Qt try
    if host in ("", "unix"):
        path = f"/tmp/.X11-unix/X{number}"  # noqa: S108  (the X server's own socket)
        for address in (path, "\0" + path):  # the file, or Linux's abstract socket of the same name
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                s.settimeout(1.0)
                try:
                    s.connect(address)
                    return True
                except OSError:
                    continue
        return False
    if host.startswith("/"):  # macOS XQuartz's launchd socket
        return Path(host).exists()
    try:
        socket.create_connection((host, 6000 + int(number)), timeout=1.0).close()
    except OSError:
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "--vote-server-child":  # hidden: server/process.py's CHILD_ARGUMENT
        return vote_server_child()
    if argv and argv[0] in COMMANDS:
        return COMMANDS[argv[0]](argv[1:])
    from vbp_workshop import logfile

    logfile.setup()  # before anything can fail: a windowed build has no console to print on
    args = _gui_parser().parse_args(argv)
    if args.file and _looks_like_a_command(args.file):
        print(f"vbp-workshop: unknown command '{args.file}'. Commands: {', '.join(COMMANDS)}; or give a "
              "workshop file (.vbpw) to open. See 'vbp-workshop --help'.", file=sys.stderr)
        return 2
    problem = display_problem()
    if problem:
        print(f"vbp-workshop: {problem}", file=sys.stderr)
        return 3
    try:
        import PySide6  # noqa: F401
    except ImportError as exc:  # before Qt: a plain message (a native box when windowed), not a traceback
        logfile.fatal(f"the desktop window needs PySide6 ({exc}). Install it with: pip install PySide6-Essentials")
        return 1
    return run_gui(args.file, demo=args.demo, crash_dialog=not args.no_crash_dialog)


def _looks_like_a_command(arg: str) -> bool:
    """A bare word that is no file here ("netwrok", "help"), not a workshop to open."""
    return (not Path(arg).exists() and not Path(arg).suffix and os.sep not in arg and "/" not in arg
            and arg.replace("-", "").replace("_", "").isalnum())


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

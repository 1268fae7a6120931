"""Crash hooks: every uncaught error is shown (or printed), and the workshop is never lost —
every edit was committed when it was made."""

from __future__ import annotations

import logging
import queue
import sys
import threading
import traceback
from types import TracebackType

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

_pending: queue.SimpleQueue[str] = queue.SimpleQueue()
_timer: QTimer | None = None
errors: list[str] = []  # every report, for tests and automation


def _report(text: str, dialog: bool) -> None:
    errors.append(text)
    logging.getLogger("vbp_workshop").error("Unexpected error:\n%s", text.rstrip())
    if sys.stderr is not None:  # a windowed build has none; the log has it
        print(text, file=sys.stderr)
    if dialog and QApplication.instance() is not None:
        box = QMessageBox(QMessageBox.Icon.Critical, "Something went wrong",
                          "VBP Workshop hit an unexpected error. Your workshop is safe: every "
                          "change you finished (a cell or field left, a button pressed) was saved "
                          "when you made it. You can keep working, or restart.")
        box.setDetailedText(text)
        box.exec()


def install(dialog: bool = True) -> None:
    """Install the hooks. Errors on other threads are handed to the GUI thread to show."""
    global _timer

    def excepthook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        _report("".join(traceback.format_exception(kind, value, tb)), dialog)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        text = "".join(traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback))
        _pending.put(f"In thread {args.thread.name if args.thread else '?'}:\n{text}")

    sys.excepthook = excepthook
    threading.excepthook = thread_hook
    _timer = QTimer()
    _timer.setInterval(250)

    def drain() -> None:
        while True:
            try:
                _report(_pending.get_nowait(), dialog)
            except queue.Empty:
                return

    _timer.timeout.connect(drain)
    _timer.start()

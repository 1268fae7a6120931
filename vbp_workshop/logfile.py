"""The app's log file: where it lives on each system, bounded, and what goes into it.

A windowed build has no console (on Windows `sys.stderr` is None), so without a file every
traceback, every `faulthandler` dump and every message printed "to the log" would go nowhere.
`setup()` gives the process a rotating log in the platform's log folder:

- Windows  %LOCALAPPDATA%\\VBP Workshop\\Logs
- macOS    ~/Library/Logs/VBP Workshop           (Console.app lists it)
- Linux    $XDG_STATE_HOME/vbp-workshop/log      (default ~/.local/state/vbp-workshop/log)

`VBP_LOG_DIR` overrides the folder (tests, support). The log is bounded: `MAX_BYTES` per file,
`BACKUPS` old files. `faulthandler` writes into the current file (re-pointed at each rollover),
uncaught exceptions are logged, and a missing stderr/stdout is replaced by one that logs.

`fatal()` reports an error that stops the app before Qt is up: on the console if there is one,
else in a native message box (Windows MessageBoxW, macOS osascript). Qt-free.
"""

from __future__ import annotations

import contextlib
import faulthandler
import io
import logging
import logging.handlers
import os
import subprocess
import sys
import traceback
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

APP_NAME = "VBP Workshop"
MAX_BYTES = 1_000_000
BACKUPS = 3
LOG = logging.getLogger("vbp_workshop")

_handler: logging.handlers.RotatingFileHandler | None = None
_console = True  # whether the process started with somewhere to print (set by setup)


def log_dir(platform: str | None = None, env: Mapping[str, str] | None = None, home: Path | None = None) -> Path:
    """The folder for this system's logs (not created)."""
    platform = sys.platform if platform is None else platform
    env = os.environ if env is None else env
    home = Path.home() if home is None else home
    if env.get("VBP_LOG_DIR"):
        return Path(env["VBP_LOG_DIR"])
    if platform == "win32":
        base = env.get("LOCALAPPDATA") or str(home / "AppData" / "Local")
        return Path(base) / APP_NAME / "Logs"
    if platform == "darwin":
        return home / "Library" / "Logs" / APP_NAME
    state = env.get("XDG_STATE_HOME", "")  # the XDG spec: a relative path is invalid, ignore it
    base_dir = Path(state) if state.startswith("/") else home / ".local" / "state"
    return base_dir / "vbp-workshop" / "log"


class _FaultsFollow(logging.handlers.RotatingFileHandler):
    """A rotating file whose current stream also takes faulthandler's dumps."""

    def _open(self) -> Any:
        stream = super()._open()
        with contextlib.suppress(ValueError, OSError, AttributeError):
            faulthandler.enable(stream, all_threads=True)
        return stream


class _LogStream(io.TextIOBase):
    """Stands in for a missing stderr/stdout: each line written is logged."""

    def __init__(self, level: int) -> None:
        super().__init__()
        self.level, self._buffer = level, ""

    def writable(self) -> bool:
        return True

    def write(self, s: str) -> int:
        self._buffer += s
        *lines, self._buffer = self._buffer.split("\n")
        for line in lines:
            if line.strip():
                LOG.log(self.level, "%s", line)
        return len(s)

    def flush(self) -> None:
        if self._buffer.strip():
            LOG.log(self.level, "%s", self._buffer)
        self._buffer = ""


def setup(name: str = "vbp-workshop.log", folder: Path | None = None, max_bytes: int = MAX_BYTES,
          backups: int = BACKUPS) -> Path | None:
    """Log this process to `name` in the log folder; returns the file (None if it cannot be made:
    the app still runs, it only has no log)."""
    global _handler, _console
    _console = sys.stderr is not None
    if sys.stderr is None:  # a windowed build: print() and warnings go to the log, not nowhere
        sys.stderr = _LogStream(logging.WARNING)
    if sys.stdout is None:
        sys.stdout = _LogStream(logging.INFO)
    folder = log_dir() if folder is None else folder
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = _FaultsFollow(folder / name, maxBytes=max_bytes, backupCount=backups, encoding="utf-8",
                                delay=False)
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"))
    if _handler is not None:
        LOG.removeHandler(_handler)
        _handler.close()
    _handler = handler
    LOG.addHandler(handler)
    LOG.setLevel(logging.INFO)
    sys.excepthook = _excepthook
    from vbp_workshop import __version__

    LOG.info("VBP Workshop %s starting (%s, Python %s, %s)", __version__, sys.platform,
             sys.version.split()[0], "frozen" if getattr(sys, "frozen", False) else "not frozen")
    return Path(handler.baseFilename)


def log_exception(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> str:
    text = "".join(traceback.format_exception(kind, value, tb))
    LOG.error("Uncaught exception:\n%s", text.rstrip())
    return text


def _excepthook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    """Before Qt's crash hooks take over (ui/crash.py, which also logs)."""
    text = log_exception(kind, value, tb)
    if not issubclass(kind, KeyboardInterrupt):
        fatal(f"VBP Workshop stopped on an unexpected error:\n\n{text.strip().splitlines()[-1]}")


def native_box_wanted() -> bool:
    """Whether an error before Qt is up needs a dialog: no console to print on (a windowed build)."""
    if os.environ.get("VBP_NO_DIALOGS"):
        return False
    if not _console:
        return True
    frozen_app = getattr(sys, "frozen", False) and sys.platform == "darwin" and ".app/Contents/MacOS" in sys.executable
    return bool(frozen_app and not (sys.stderr is not None and sys.stderr.isatty()))


def fatal(message: str, title: str = APP_NAME) -> None:
    """An error that stops the app before its window exists: logged, printed, and (windowed) shown."""
    LOG.error("%s", message)
    if sys.stderr is not None:
        print(f"vbp-workshop: {message}", file=sys.stderr)
    if not native_box_wanted():
        return
    with contextlib.suppress(Exception):  # the box is a courtesy: the message is already logged
        if sys.platform == "win32":
            import ctypes

            ctypes.windll.user32.MessageBoxW(None, message, title, 0x10)  # type: ignore[attr-defined]  # MB_ICONERROR
        elif sys.platform == "darwin":
            script = ('on run argv\ndisplay alert (item 1 of argv) message (item 2 of argv) as critical\n'
                      'end run')
            subprocess.run(["osascript", "-e", script, title, message], check=False, timeout=600)

"""Save points: the workshop file alone holds every change a couple of seconds after it.

SQLite in WAL mode commits to the `-wal` file beside the workshop; the workshop file itself is
brought up to date by a checkpoint. SQLite checkpoints on its own only once the WAL holds 1,000
pages (~4 MB), so a whole day's work could sit in the `-wal`: a plain copy of the `.vbpw` (to a USB
stick, a mail, a sync client that uploads it alone) held none of it.

A `Keeper` runs on its own thread with its own connection, so neither the GUI nor the vote
server's writer waits for it:
- it notices every commit, whoever made it (the window, the vote server's process, the ideas
  writer), by `PRAGMA data_version`;
- when changes settle (`SETTLE_S` after the last one) — or at the latest `MAX_WAIT_S` after the
  first while they keep coming (a room voting) — it checkpoints (PASSIVE: it never blocks a
  reader or a writer; what a reader still holds is checkpointed at the next save point);
- for a file in a synced or network folder it then mirrors the local working copy back
  (`Mirror`): SQLite's backup API takes a consistent copy into a temporary file in the target
  folder, which is synced to disk and renamed over the target (`os.replace`), so a sync client
  never sees a half-written file. If that fails (the VPN dropped), the local copy keeps every
  change, the failure and the local copy's place are reported, and it is tried again.
The GUI reads `status()` on a timer; this module never touches Qt.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from vbp_workshop.core.file.places import Place
from vbp_workshop.core.file.store import (
    FILE_SUFFIX,
    FileLock,
    Store,
    WorkshopFileError,
    absolute,
    connect,
    inspect_file,
    local_data_folder,
    sqlite_uri,
)

SETTLE_S = 1.0  # a save point this long after the last change …
MAX_WAIT_S = 3.0  # … or at the latest this long after the first, while changes keep coming
MIRROR_MAX_WAIT_S = 10.0  # a mirror (a whole copy over the network) at most this often while they keep coming
RETRY_S = 15.0  # a mirror that failed is tried again this often
TICK_S = 0.25


@dataclass
class Settle:
    """When to act on changes: `settle_s` after the last one, or `max_wait_s` after the first."""

    settle_s: float = SETTLE_S
    max_wait_s: float = MAX_WAIT_S
    first: float | None = None
    last: float = 0.0

    def changed(self, now: float) -> None:
        if self.first is None:
            self.first = now
        self.last = now

    @property
    def pending(self) -> bool:
        return self.first is not None

    def due(self, now: float) -> bool:
        return self.first is not None and (now - self.last >= self.settle_s or now - self.first >= self.max_wait_s)

    def done(self) -> None:
        self.first = None


def checkpoint(conn: sqlite3.Connection, mode: str = "PASSIVE") -> bool:
    """Copy the WAL into the workshop file; True when all of it is there."""
    busy, log, done = conn.execute(f"PRAGMA wal_checkpoint({mode})").fetchone()
    return not busy and log in (-1, done)


# -- the local copy of a file in a synced or network folder -------------------------------------------


def working_folder(target: Path, data_folder: Path | None = None) -> Path:
    """The local folder for `target`'s working copy: named after its whole path."""
    key = hashlib.sha256(os.path.normcase(os.fspath(target)).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return (data_folder or local_data_folder()) / "working copies" / key


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    if os.name == "nt":  # pragma: no cover - Windows: folders cannot be opened to sync; MoveFileEx is durable
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _replace(tmp: Path, target: Path, attempts: int = 5) -> None:
    """`os.replace`, tried a few times: on Windows a sync client or a virus scanner that has the
    target open for a moment makes it fail with "access denied" (the next save point would
    also do, but the bar would say "not saved" for nothing)."""
    for attempt in range(attempts):
        try:
            os.replace(tmp, target)
            return
        except PermissionError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.2 * (attempt + 1))


def copy_consistent(source: sqlite3.Connection, target: Path) -> None:
    """A whole, consistent copy of `source`'s database at `target`, atomically: the copy is
    written beside it under a name sync clients skip ("~$….tmp"), synced, then renamed over it."""
    tmp = target.with_name(f"~${target.name}.{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    try:
        dest = sqlite3.connect(os.fspath(tmp), isolation_level=None)
        try:
            source.backup(dest)  # one step: one read transaction, one snapshot
            # A copy that needs no -wal beside it (a sync client uploads the file alone).
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            dest.close()
        _fsync_file(tmp)
        # A -wal or -shm left beside the target by a program that had it open would be
        # replayed into the new file: they must go first (and if they cannot, nothing changes).
        for part in (Path(f"{target}-wal"), Path(f"{target}-shm")):
            part.unlink(missing_ok=True)
        _replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_folder(target.parent)


def why_not_saved(exc: BaseException, target: Path) -> str:
    """Why a copy did not reach `target`, in the facilitator's words."""
    try:
        reachable = target.parent.is_dir()
    except OSError:
        reachable = False
    if not reachable:
        return "its folder cannot be reached (is the network drive or VPN connected?)"
    if isinstance(exc, sqlite3.Error) and "unable to open" in str(exc):
        return "its folder does not accept new files (it may be read-only)"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror[0].lower() + exc.strerror[1:]
    return str(exc) or type(exc).__name__


@dataclass
class MirrorState:
    """What the facilitator is told about the copy in the synced or network folder."""

    target: Path
    local: Path
    place: Place
    mirrored_at: float | None = None  # time.time() of the last copy that reached the target
    error: str = ""  # why the last attempt failed ("" when it worked)
    pending: bool = False  # changes the target does not have yet
    notes: list[str] = field(default_factory=list)  # said once when opening (a recovered copy, …)


class Mirror:
    """The target file in a synced or network folder and its local working copy.

    A small record beside the working copy (`state.json`) says whether the copy holds changes
    the target has not got, and what the target looked like after the last mirror, so a copy
    left behind by a dropped connection or a crash is mirrored back when the file is next opened.
    """

    def __init__(self, target: Path, local: Path, place: Place, lock: FileLock) -> None:
        self.target = target
        self.local = local
        self._lock = lock
        self._record = local.with_name("state.json")
        self.state = MirrorState(target, local, place)
        self._mutex = threading.Lock()

    # -- the record ---------------------------------------------------------------------------

    def _read_record(self) -> dict[str, object]:
        try:
            data = json.loads(self._record.read_text("utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def _write_record(self, **values: object) -> None:
        data = {**self._read_record(), "target": os.fspath(self.target), **values}
        tmp = self._record.with_name("state.json.tmp")
        tmp.write_text(json.dumps(data), "utf-8")
        os.replace(tmp, self._record)

    def _target_stamp(self) -> list[int] | None:
        try:
            st = self.target.stat()
        except OSError:
            return None
        return [st.st_mtime_ns, st.st_size]

    def mark_pending(self) -> None:
        """Changes the target has not got yet (written before they are mirrored)."""
        with self._mutex:
            if not self.state.pending:
                self.state = replace(self.state, pending=True)
                with contextlib.suppress(OSError):
                    self._write_record(pending=True)

    def push(self, source: sqlite3.Connection) -> bool:
        """Copy the working copy (read through `source`) over the target; True if it arrived."""
        try:
            copy_consistent(source, self.target)
            stamp = self._target_stamp()
        except (OSError, sqlite3.Error) as exc:
            with self._mutex:
                self.state = replace(self.state, error=why_not_saved(exc, self.target))
            return False
        with self._mutex:
            self.state = replace(self.state, mirrored_at=time.time(), error="", pending=False)
            with contextlib.suppress(OSError):
                self._write_record(pending=False, stamp=stamp)
        return True

    def status(self) -> MirrorState:
        with self._mutex:
            return replace(self.state, notes=list(self.state.notes))

    def release(self) -> None:
        self._lock.release()


def _copy_in(target: Path, local: Path) -> None:
    """The target's content (with whatever its own -wal holds) as the local working copy."""
    has_wal = Path(f"{target}-wal").exists()
    src = sqlite3.connect(sqlite_uri(target, "mode=ro" if has_wal else "mode=ro&immutable=1"), uri=True)
    tmp = local.with_name(local.name + ".part")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    try:
        dest = sqlite3.connect(os.fspath(tmp), isolation_level=None)
        try:
            src.backup(dest)
        finally:
            dest.close()
    finally:
        src.close()
    for part in (Path(f"{local}-wal"), Path(f"{local}-shm")):
        part.unlink(missing_ok=True)
    os.replace(tmp, local)


def open_mirrored(target: Path | str, place: Place, data_folder: Path | None = None) -> tuple[Store, Mirror]:
    """Open a workshop in a synced or network folder as a local working copy.

    A working copy left from an earlier session with changes the target never got (the
    connection dropped, the laptop crashed) is kept and mirrored back, unless the target has
    changed since (edited elsewhere): then the target is opened and the left copy is moved
    aside, and `Mirror.state.notes` says where it is.
    """
    target = absolute(target)
    folder = working_folder(target, data_folder)
    folder.mkdir(parents=True, exist_ok=True)
    # Two windows of this laptop must not both work on copies of one file: the lock is named
    # after the target's path and kept in the app's folder (nothing extra in the synced folder).
    lock = FileLock(target, fallback_folder=folder.parent)
    try:
        local = folder / target.name
        mirror = Mirror(target, local, place, lock)
        record = mirror._read_record()
        left = local.exists() and bool(record.get("pending"))
        notes: list[str] = []
        if left and (not target.exists() or record.get("stamp") == mirror._target_stamp()):
            notes.append(f"Changes from an earlier session that had not reached {place.name} were kept on "
                         f"this laptop; they are being saved to “{target.name}” now.")
        else:
            if left:
                aside = folder.parent / "not saved back" / (
                    f"{target.stem} (kept {datetime.now():%Y-%m-%d %H%M}){FILE_SUFFIX}")
                aside.parent.mkdir(parents=True, exist_ok=True)
                os.replace(local, aside)
                notes.append(f"“{target.name}” was changed elsewhere after this laptop last saved to it. "
                             f"The changes this laptop could not save back are kept in “{aside}”.")
                left = False
            inspect_file(target)
            _copy_in(target, local)
            # What the target looked like when copied: a copy left by a later drop is saved back
            # over it only if nobody has changed it since.
            mirror._write_record(pending=False, stamp=mirror._target_stamp())
        store = Store.open(local)
    except sqlite3.Error as exc:
        lock.release()
        raise WorkshopFileError(f"“{target.name}” cannot be copied from {place.name}: {exc}.") from exc
    except BaseException:
        lock.release()
        raise
    mirror.state.notes = notes
    if left:
        mirror.mark_pending()
    return store, mirror


# -- the keeper's thread ----------------------------------------------------------------------------


class Keeper:
    """Checkpoints (and mirrors) at each save point, on its own thread; see the module's docstring."""

    def __init__(self, path: Path, mirror: Mirror | None = None, settle: Settle | None = None,
                 mirror_settle: Settle | None = None, retry_s: float = RETRY_S, tick_s: float = TICK_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.path = path
        self.mirror = mirror
        self.settle = settle or Settle()
        self.mirror_settle = mirror_settle or Settle(self.settle.settle_s, MIRROR_MAX_WAIT_S)
        self.retry_s = retry_s
        self.tick_s = tick_s
        self.clock = clock
        self.checkpoints = 0  # complete checkpoints made (for tests and the benchmark)
        self.checkpoint_s = 0.0  # time spent in them
        self.last_error = ""
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread: threading.Thread | None = None
        self._retry_at: float | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="keeper", daemon=True)
            self._thread.start()
            # Every change after start() returns is seen: the thread has read where the file is.
            self._ready.wait(10)

    def stop(self, timeout: float = 60) -> bool:
        """The last save point (checkpoint, and mirror if any); True if the mirror, if any, worked."""
        if self._thread is not None:
            self._stop.set()
            self._thread.join(timeout)
            self._thread = None
        return self.mirror is None or not self.mirror.status().pending

    def _run(self) -> None:
        try:
            conn = connect(self.path)
        except sqlite3.Error as exc:
            self.last_error = str(exc)
            self._ready.set()
            return
        try:
            version = self._version(conn)
            self._ready.set()
            if self.mirror is not None and self.mirror.status().pending:  # left from an earlier session
                self.mirror_settle.changed(self.clock())
            while not self._stop.wait(self.tick_s):
                now = self.clock()
                seen = self._version(conn)
                if seen != version:
                    version = seen
                    self.settle.changed(now)
                    if self.mirror is not None:
                        self.mirror.mark_pending()
                        self.mirror_settle.changed(now)
                if self.settle.due(now):
                    self._checkpoint(conn)
                if self.mirror is not None and self.mirror_settle.due(now) and (
                        self._retry_at is None or now >= self._retry_at):
                    self._mirror(conn)
            # Closing: the last changes, whatever the timers say.
            if self._version(conn) != version and self.mirror is not None:
                self.mirror.mark_pending()
            self._checkpoint(conn)
            if self.mirror is not None and self.mirror.status().pending:
                self._mirror(conn)
        finally:
            conn.close()

    @staticmethod
    def _version(conn: sqlite3.Connection) -> int:
        try:
            return int(conn.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error:
            return -1

    def _checkpoint(self, conn: sqlite3.Connection) -> None:
        started = time.perf_counter()
        try:
            complete = checkpoint(conn)
        except sqlite3.Error as exc:  # busy with a writer's checkpoint, a disk problem: next time
            self.last_error = str(exc)
            complete = False
        self.checkpoint_s += time.perf_counter() - started
        if complete:
            self.checkpoints += 1
            self.settle.done()
        else:  # a reader still holds older pages: again once things settle
            self.settle.changed(self.clock())

    def _mirror(self, conn: sqlite3.Connection) -> None:
        assert self.mirror is not None
        if self.mirror.push(conn):
            self.mirror_settle.done()
            self._retry_at = None
        else:
            self._retry_at = self.clock() + self.retry_s

    def status(self) -> MirrorState | None:
        return self.mirror.status() if self.mirror is not None else None

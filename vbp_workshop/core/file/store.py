"""The workshop file: one SQLite file, every edit committed when it is made.

Edits are plain records (Insert, Update, Delete). `Store.apply` runs a batch in one
transaction and returns the batch that undoes it, so undo is "apply the inverse" and needs no
per-screen code. Every apply tells the listeners which tables changed (a `Changes` record),
and each screen decides whether to redraw.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import secrets
import sqlite3
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from vbp_workshop.core.file.memo import BallotMemo
from vbp_workshop.core.file.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION
from vbp_workshop.core.model.changes import FACILITATOR, Changes, Delete, Edit, Insert, Row, Update

SQLITE_MAGIC = b"SQLite format 3\x00"
FILE_SUFFIX = ".vbpw"


class WorkshopFileError(Exception):
    """A workshop file that cannot be opened; the message is meant for the facilitator."""


# A rule run inside an edit batch's transaction, before its edits (see `Store.apply`).
Check = Callable[["Store", Sequence["Edit"]], None]


def connect(path: Path | str) -> sqlite3.Connection:
    """A read-write connection with the pragmas every connection to a workshop file needs."""
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=True, timeout=10)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA journal_mode = WAL")
    # FULL: a commit that returned is on disk, also after power loss.
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA busy_timeout = 10000")
    return conn


def absolute(path: Path | str) -> Path:
    """`path` made absolute as the user wrote it: `os.path.abspath`, never `Path.resolve()`.

    On Windows `resolve()` turns a mapped drive (H:\\x.vbpw) into its UNC target
    (\\\\server\\share\\x.vbpw) and follows links: the file would then be shown, locked and
    remembered under a name the facilitator never chose (and mapped drives are per-session).
    """
    return Path(os.path.abspath(os.fspath(path)))  # noqa: PTH100 - resolve() is what this avoids


def sqlite_uri(path: Path | str, query: str = "", flavour: str = os.name) -> str:
    """A SQLite URI for the absolute file `path` (https://sqlite.org/uri.html), with `query`.

    - POSIX: file:///home/jo/a%20b.vbpw
    - a Windows drive path: file:///C:/Users/jo/x.vbpw (SQLite drops the "/" before "C:")
    - a UNC path \\\\server\\share\\x.vbpw: file:////server/share/x.vbpw, an empty authority and a
      path that begins with "//". (`as_uri()` gives file://server/share/x.vbpw, whose authority
      SQLite refuses as "invalid uri authority" unless built with SQLITE_ALLOW_URI_AUTHORITY;
      the four-slash form works either way.)

    Every byte of the name outside [A-Za-z0-9/_.~-] (and the drive's ":") is %-escaped from
    UTF-8 (the file system's own bytes on POSIX), so spaces, "#", "?", "%" and non-ASCII
    names reach SQLite as written. `flavour` is "nt" or "posix" (tests give Windows inputs here).
    """
    text = os.fspath(path)
    if flavour == "nt":
        text = text.replace("\\", "/")
        if text.startswith("//?/UNC/"):  # \\?\UNC\server\share: the long-path form of a UNC path
            text = "//" + text[len("//?/UNC/"):]
        elif text.startswith("//?/"):  # \\?\C:\…: the long-path form of a drive path
            text = text[len("//?/"):]
        if text.startswith("//"):  # UNC: empty authority, then the path //server/share/…
            body = "//" + quote(text.lstrip("/").encode("utf-8"), safe="/")
        elif len(text) >= 2 and text[1] == ":":  # C:/…
            body = "/" + text[:2] + quote(text[2:].encode("utf-8"), safe="/")
        else:
            raise ValueError(f"not an absolute Windows path: {path!r}")
    else:
        raw = os.fsencode(text) if flavour == os.name else text.encode("utf-8")
        if not raw.startswith(b"/"):
            raise ValueError(f"not an absolute path: {path!r}")
        body = quote(raw, safe="/")
    return f"file://{body}" + (f"?{query}" if query else "")


# What "the lock is held elsewhere" looks like: msvcrt.locking with LK_NBLCK fails with EACCES
# (a locking violation: LockFileEx found the byte locked) or EDEADLOCK (its retrying mode gave
# up); flock(LOCK_NB) fails with EWOULDBLOCK (EAGAIN on some systems). Every other error — no
# permission to create the lock file, a read-only or full disk, a share that refuses locks — is
# a different problem and is reported as itself, never as "open in another window".
WOULD_BLOCK = {"nt": frozenset({13, 36}),  # the Windows C runtime's EACCES and EDEADLOCK
               "posix": frozenset({errno.EWOULDBLOCK, errno.EAGAIN})}


def lock_refusal(exc: OSError, path: Path, step: str = "locking", flavour: str = os.name) -> WorkshopFileError:
    """The facilitator's message for a lock on `path` that could not be taken at `step`
    ("creating" the lock file, or "locking" it): only "would block" while locking means that
    another window has it."""
    if step == "locking" and exc.errno in WOULD_BLOCK["nt" if flavour == "nt" else "posix"]:
        return WorkshopFileError(
            f"“{path.name}” is already open in another VBP Workshop window. "
            "Switch to that window, or close it and try again.")
    reason = exc.strerror or str(exc)
    return WorkshopFileError(
        f"“{path.name}” cannot be opened: VBP Workshop could not mark it as in use ({reason}). "
        "Check that you may write to the folder it is in, or copy it to Documents and open the copy.")


def lock_file_for(path: Path, fallback_folder: Path | None = None) -> Path:
    """Where the lock of workshop `path` lives: NAME.vbpw.lock beside it.

    `fallback_folder` (the app's local data folder) is for a workshop whose own folder cannot
    hold it (read-only) or should not (a synced folder, where every sync client would upload
    and show it): the lock is then there, named after the whole path, so that two windows of
    this laptop still cannot open the same file.
    """
    if fallback_folder is None:
        return path.with_name(path.name + ".lock")
    key = hashlib.sha256(os.path.normcase(os.fspath(path)).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return fallback_folder / f"{path.stem[:40]}-{key}.lock"


class FileLock:
    """Held while a window has the file open, so a second window or process is refused.

    The lock is on a sidecar file (NAME.vbpw.lock), never on the workshop file itself:
    - Windows byte-range locks are mandatory: a lock on byte 0 of the database (as before) stops
      SQLite's own handles — this window's, the vote server's — reading the header ("disk I/O
      error"). A byte far past SQLite's lock bytes (0x40000000…) would avoid that, but a file
      SQLite owns should get no handle of ours at all: on POSIX, closing any descriptor of a
      file drops every fcntl lock this process holds on it (SQLite's included), and on NFS,
      Linux emulates flock with whole-file fcntl locks that would block the vote server's reads.
    - A sidecar works the same for a working copy in the app's data folder (synced folders).
    The lock file may stay behind after a crash; only the OS lock counts, and it dies with the
    process, so a stale file never blocks anyone. It is removed on release where it can be.
    """

    def __init__(self, path: Path, fallback_folder: Path | None = None) -> None:
        self.path = path
        self.lock_path = lock_file_for(path, fallback_folder)
        try:
            fd = self._create(self.lock_path)
        except OSError as exc:
            if fallback_folder is not None or exc.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
                raise lock_refusal(exc, path, "creating") from exc
            # A folder we may read but not write (a read-only share, a CD): the lock goes to
            # the app's data folder, named after the whole path.
            self.lock_path = lock_file_for(path, default_lock_folder())
            try:
                fd = self._create(self.lock_path)
            except OSError as exc2:
                raise lock_refusal(exc2, path, "creating") from exc2
        self._fd = fd
        try:
            self._lock(fd, self.lock_path)
        except OSError as exc:
            self._fd = -1
            raise lock_refusal(exc, path) from exc

    @staticmethod
    def _create(lock_path: Path) -> int:
        return os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)

    def _lock(self, fd: int, lock_path: Path) -> None:
        while True:
            try:
                lock_descriptor(fd)
            except OSError:
                os.close(fd)
                raise
            if os.name == "nt":  # pragma: no cover - Windows: an open file cannot be removed
                return
            # The holder before us may have removed the file between our open and our lock
            # (see `release`): then this lock is on a name nobody else sees. Take it again.
            try:
                same = os.path.samestat(os.fstat(fd), lock_path.stat())
            except FileNotFoundError:
                same = False
            if same:
                self._fd = fd
                return
            os.close(fd)
            fd = self._fd = self._create(lock_path)

    def release(self) -> None:
        if self._fd < 0:
            return
        fd, self._fd = self._fd, -1
        if os.name == "nt":  # pragma: no cover - Windows
            # Windows refuses to remove a file another process has open (it is trying the lock):
            # then the file stays, harmlessly.
            os.close(fd)
            with contextlib.suppress(OSError):
                self.lock_path.unlink()
        else:
            # Remove it while still holding the lock, so nobody takes a lock on the old name.
            with contextlib.suppress(OSError):
                self.lock_path.unlink()
            os.close(fd)


def lock_descriptor(fd: int) -> None:
    """An exclusive lock on the open file `fd`, without waiting; OSError if it is held."""
    if os.name == "nt":  # pragma: no cover - Windows (run by the workflow)
        import msvcrt

        # Byte 0 of the lock file, from its start (locking past the end of a file is allowed);
        # nobody reads this file, so a mandatory lock on it harms nothing.
        os.lseek(fd, 0, os.SEEK_SET)
        locking = getattr(msvcrt, "locking")  # noqa: B009 - absent from Linux stubs
        locking(fd, getattr(msvcrt, "LK_NBLCK"), 1)  # noqa: B009
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def default_lock_folder() -> Path:
    """The app's local folder for locks of files in folders it must not write to."""
    folder = local_data_folder() / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def local_data_folder() -> Path:
    """The app's local (never synced) data folder, without Qt: %LOCALAPPDATA%\\VBP Workshop on
    Windows, ~/Library/Application Support/VBP Workshop on macOS, $XDG_DATA_HOME/VBP Workshop
    (~/.local/share) elsewhere. VBP_DATA_DIR overrides it (tests, portable use)."""
    override = os.environ.get("VBP_DATA_DIR")
    if override:
        return Path(override)
    home = Path.home()
    if os.name == "nt":  # pragma: no cover - Windows
        base = Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
    elif sys.platform == "darwin":  # pragma: no cover - macOS
        base = home / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return base / "VBP Workshop"


def inspect_file(path: Path) -> int:
    """Check, without writing a byte, that `path` is a workshop file this version can open.

    Returns the file's schema version; raises WorkshopFileError with a message otherwise.
    """
    if not path.exists():
        raise WorkshopFileError(f"“{path}” does not exist.")
    if path.is_dir():
        raise WorkshopFileError(f"“{path}” is a folder, not a workshop file.")
    try:
        with path.open("rb") as fh:
            head = fh.read(100)
    except OSError as exc:
        raise WorkshopFileError(f"“{path.name}” cannot be read: {exc.strerror}.") from exc
    if not head.startswith(SQLITE_MAGIC):
        raise WorkshopFileError(
            f"“{path.name}” is not a VBP Workshop file (it is not a workshop database)."
        )
    if int.from_bytes(head[68:72], "big") != APPLICATION_ID:
        raise WorkshopFileError(
            f"“{path.name}” is a database, but not one written by VBP Workshop."
        )
    # With no WAL left by a crash there is nothing to recover: open immutable, so not even an
    # empty -wal or -shm file appears beside a file we may refuse.
    has_wal = Path(f"{path}-wal").exists()
    uri = sqlite_uri(path, "mode=ro" if has_wal else "mode=ro&immutable=1")
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None)
        try:
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise WorkshopFileError(
                    f"“{path.name}” is damaged ({check}). It has not been changed; "
                    "open a copy or a backup instead."
                )
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise WorkshopFileError(
            f"“{path.name}” is damaged and cannot be read ({exc}). It has not been changed; "
            "open a copy or a backup instead."
        ) from exc
    if version > SCHEMA_VERSION:
        raise WorkshopFileError(
            f"“{path.name}” was written by a newer version of VBP Workshop (file format "
            f"{version}; this version reads up to {SCHEMA_VERSION}). Update VBP Workshop to "
            "open it. The file has not been changed."
        )
    if version < 1:
        raise WorkshopFileError(f"“{path.name}” is not a complete workshop file.")
    return version


def _migrate(conn: sqlite3.Connection, start: int, stop: int = SCHEMA_VERSION) -> None:
    for version in range(start, stop):
        conn.execute("BEGIN IMMEDIATE")
        try:
            step = MIGRATIONS[version]
            if callable(step):  # rows rewritten, in this same transaction
                step(conn)
            else:
                for statement in step.split(";"):
                    if statement.strip():
                        conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)",
                (str(version + 1),),
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


class Store:
    """An open workshop file. Use from one thread (the GUI's); votes use their own connection."""

    def __init__(self, path: Path, conn: sqlite3.Connection, lock: FileLock | None) -> None:
        self.path = path
        self.conn = conn
        self._lock = lock
        self._open = True
        self.listeners: list[Callable[[Changes], None]] = []
        self._columns: dict[str, list[str]] = {}
        self._children = self._foreign_keys()
        # Set by `polls.queries.ballots_kept` while one reader (an export) reads a file nobody writes.
        self.ballot_memo: BallotMemo | None = None
        self.tally_memo: dict[tuple[int, int, str], Any] | None = None  # (poll, round, split) -> tallies

    # -- opening and closing -------------------------------------------------------------

    @classmethod
    def create(cls, path: Path | str) -> Store:
        """Make a new, empty workshop file at `path` (which must not exist yet) and open it."""
        init_file(Path(path))
        return cls.open(path)

    @classmethod
    def open(cls, path: Path | str) -> Store:
        path = absolute(path)
        version = inspect_file(path)
        lock = FileLock(path)
        try:
            conn = connect(path)
            if version < SCHEMA_VERSION:
                _migrate(conn, version)
        except sqlite3.Error as exc:
            lock.release()
            raise WorkshopFileError(f"“{path.name}” cannot be opened: {exc}.") from exc
        except BaseException:
            lock.release()
            raise
        return cls(path, conn, lock)

    def close(self) -> None:
        if not self._open:
            return
        self._open = False
        if self._lock is not None:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.conn.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    @property
    def closed(self) -> bool:
        return not self._open

    def save_copy(self, target: Path | str) -> None:
        """Write a consistent copy of the workshop to `target` (SQLite's online backup)."""
        target = absolute(target)
        if os.path.normcase(target) == os.path.normcase(self.path) or (
                target.exists() and target.samefile(self.path)):
            raise WorkshopFileError("A copy cannot be saved over the open workshop itself.")
        tmp = target.with_name(target.name + ".part")
        tmp.unlink(missing_ok=True)
        dest = sqlite3.connect(str(tmp))
        try:
            self.conn.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            dest.close()
        os.replace(tmp, target)

    # -- reading ---------------------------------------------------------------------------

    def rows(self, table: str, where: str = "", params: Sequence[Any] = (), order: str = "") -> list[Row]:
        _check_name(table)
        if not order:
            order = "pos, id" if "pos" in self.columns(table) else "id"
        sql = f"SELECT * FROM {table}"
        if where:
            sql += f" WHERE {where}"
        sql += f" ORDER BY {order}"
        return [dict(r) for r in self.conn.execute(sql, params)]

    def find(self, table: str, **equal: Any) -> list[Row]:
        """The rows whose columns equal the given values (for callers that write no SQL: the UI)."""
        for column in equal:
            _check_name(column)
        where = " AND ".join(f"{c} = ?" for c in equal)
        return self.rows(table, where, tuple(equal.values()))

    def row(self, table: str, id_: int) -> Row | None:
        _check_name(table)
        r = self.conn.execute(f"SELECT * FROM {table} WHERE id = ?", (id_,)).fetchone()
        return dict(r) if r else None

    def workshop(self) -> Row:
        return self.row("workshop", 1) or {}

    def step_fields(self, step: int) -> dict[str, Any]:
        row = self.row("steps", step)
        return json.loads(row["fields"]) if row else {}

    def columns(self, table: str) -> list[str]:
        # Read once per table: the schema is fixed while the file is open.
        if table not in self._columns:
            self._columns[table] = [r[1] for r in self.conn.execute(f"PRAGMA table_info({table})")]
        return self._columns[table]

    def next_id(self, table: str) -> int:
        """The id the next row of `table` will get, for a batch whose later edits refer to it."""
        _check_name(table)
        return int(self.scalar(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}"))

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        r = self.conn.execute(sql, params).fetchone()
        return r[0] if r else None

    # -- writing -----------------------------------------------------------------------------

    def apply(self, edits: Sequence[Edit], origin: str = FACILITATOR, check: Check | None = None,
              event: str = "") -> list[Edit]:
        """Run `edits` in one committed transaction; return the edits that undo them.

        `check` runs first inside the same transaction (so a vote committed meanwhile cannot
        slip between the rule and the edits); whatever it raises rolls the batch back.
        """
        if self.closed:
            raise WorkshopFileError("The workshop is closed.")
        inverse: list[list[Edit]] = []
        touched: set[str] = set()
        rows: set[tuple[str, int]] = set()
        with self.transaction():
            if check is not None:
                check(self, edits)
            for edit in edits:
                _check_name(edit.table)
                touched.add(edit.table)
                if isinstance(edit, Insert):
                    new_id = self._insert(edit.table, edit.values)
                    rows.add((edit.table, new_id))
                    inverse.append([Delete(edit.table, new_id)])
                elif isinstance(edit, Update):
                    rows.add((edit.table, edit.id))
                    inverse.append([self._update(edit)])
                else:
                    rows.add((edit.table, edit.id))
                    undo = self._delete(edit.table, edit.id)
                    touched.update(e.table for e in undo)
                    inverse.append(undo)
        self.notify(Changes.of(rows, origin, touched, event))
        return [e for group in reversed(inverse) for e in group]

    def notify(self, changes: Changes) -> None:
        for listener in list(self.listeners):
            listener(changes)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def _insert(self, table: str, values: Row) -> int:
        cols = list(values)
        for c in cols:
            _check_name(c)
        if "pos" in self.columns(table) and "pos" not in values:
            cols.append("pos")
            values = {**values, "pos": (self.scalar(f"SELECT MAX(pos) FROM {table}") or 0) + 1}
        sql = (
            f"INSERT INTO {table}({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})"
        )
        cur = self.conn.execute(sql, [values[c] for c in cols])
        return int(cur.lastrowid or values.get("id") or 0)

    def _update(self, edit: Update) -> Update:
        old = self.row(edit.table, edit.id)
        if old is None:
            raise KeyError(f"{edit.table} {edit.id} does not exist")
        cols = list(edit.values)
        for c in cols:
            _check_name(c)
        self.conn.execute(
            f"UPDATE {edit.table} SET {', '.join(f'{c} = ?' for c in cols)} WHERE id = ?",
            [*edit.values.values(), edit.id],
        )
        return Update(edit.table, edit.id, {c: old[c] for c in cols})

    def _delete(self, table: str, id_: int) -> list[Edit]:
        """Delete a row; the returned edits restore it and whatever the delete cascaded to."""
        old = self.row(table, id_)
        if old is None:
            return []
        restore: list[Edit] = [Insert(table, old)]
        after: list[Edit] = []
        for child, column, on_delete in self._children.get(table, ()):
            kids = self.conn.execute(f"SELECT id FROM {child} WHERE {column} = ?", (id_,))
            for (kid,) in kids.fetchall():
                if on_delete == "CASCADE":
                    after.extend(self._delete(child, kid))
                elif on_delete == "SET NULL":
                    after.append(Update(child, kid, {column: id_}))
        self.conn.execute(f"DELETE FROM {table} WHERE id = ?", (id_,))
        return restore + after

    def _foreign_keys(self) -> dict[str, list[tuple[str, str, str]]]:
        """parent table -> [(child table, column, on-delete action)], read from the schema."""
        found: dict[str, list[tuple[str, str, str]]] = {}
        tables = [
            r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        for child in tables:
            for fk in self.conn.execute(f"PRAGMA foreign_key_list({child})"):
                found.setdefault(fk[2], []).append((child, fk[3], fk[6]))
        return found


def init_file(path: Path, upto: int = SCHEMA_VERSION) -> None:
    """Write an empty workshop file in format `upto` (older formats only for upgrade tests)."""
    if path.exists():
        raise WorkshopFileError(f"“{path.name}” already exists.")
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        _migrate(conn, 0, upto)
        conn.execute("INSERT INTO workshop(id, join_code) VALUES (1, ?)", (new_join_code(),))
        for step in range(1, 6):
            conn.execute("INSERT INTO steps(id) VALUES (?)", (step,))
    finally:
        conn.close()


@contextlib.contextmanager
def snapshot_store(path: Path) -> Iterator[Store]:
    """A read-only view of an open workshop for another thread (export): one consistent
    snapshot, while the window keeps the file's lock and goes on writing."""
    conn = sqlite3.connect(sqlite_uri(absolute(path), "mode=ro"), uri=True, isolation_level=None)
    conn.row_factory = sqlite3.Row
    store = Store(Path(path), conn, None)
    try:
        conn.execute("BEGIN")  # in WAL mode, reads in one transaction see one snapshot
        yield store
    finally:
        store.close()


def _check_name(name: str) -> None:
    # Table and column names come from code, never from input; this keeps it that way.
    if not name.replace("_", "").isalnum():
        raise ValueError(f"bad identifier {name!r}")


def new_join_code() -> str:
    """A short code a room can read off a projector: no 0/O or 1/I to confuse."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(5))

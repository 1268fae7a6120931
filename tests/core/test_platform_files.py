"""The workshop file on every system: its lock, its path and URI, and pruning old demo copies.

The workflow runs this file on Windows and macOS too; the tests that depend on Windows behaviour
(mandatory byte-range locks, no removing an open file) run for real there, and here they check
the logic that behaviour depends on.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from vbp_workshop.core.file.store import (
    FileLock,
    Store,
    WorkshopFileError,
    absolute,
    lock_file_for,
    lock_refusal,
    sqlite_uri,
)
from vbp_workshop.core.model.changes import Insert
from vbp_workshop.core.steps.demo import build_demo, prune_demo_copies
from vbp_workshop.core.steps.template import new_workshop


def _open_by_us(path: Path) -> list[str]:
    """The files this process has open that are `path` (by name, as the OS reports them)."""
    want = os.path.normcase(os.path.realpath(path))
    return [f.path for f in psutil.Process().open_files() if os.path.normcase(os.path.realpath(f.path)) == want]


# -- the lock -----------------------------------------------------------------------------------


def test_the_lock_holds_no_handle_on_the_workshop_file(tmp_path: Path) -> None:
    """Windows byte-range locks are mandatory: a lock taken on the database itself (byte 0, as
    before) stopped SQLite reading the header. The lock now lives on a file beside it."""
    path = tmp_path / "w.vbpw"
    new_workshop(path, "W").close()
    lock = FileLock(path)
    try:
        assert _open_by_us(path) == []
        assert lock.lock_path == tmp_path / "w.vbpw.lock" and lock.lock_path.exists()
    finally:
        lock.release()
    assert not lock.lock_path.exists()  # removed on release: nothing left beside the workshop


READ_AND_WRITE = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], timeout=10)
conn.execute("PRAGMA journal_mode = WAL")
print(conn.execute("SELECT title FROM workshop").fetchone()[0])
conn.execute("INSERT INTO partners(name, pos) VALUES ('from the vote server', 99)")
conn.commit()
conn.close()
"""


def test_another_process_reads_and_writes_the_file_while_a_window_holds_it(tmp_path: Path) -> None:
    """What the vote server's process does while the window has the file open (on Windows this
    failed with "disk I/O error" while the lock sat on byte 0 of the database)."""
    store = new_workshop(tmp_path / "w.vbpw", "Locked but readable")
    try:
        out = subprocess.run([sys.executable, "-c", READ_AND_WRITE, str(store.path)],
                             capture_output=True, text=True, timeout=60, check=False)
        assert out.returncode == 0, out.stderr
        assert out.stdout.strip() == "Locked but readable"
        assert [p["name"] for p in store.rows("partners")] == ["from the vote server"]
        store.apply([Insert("partners", {"name": "from the window"})])
    finally:
        store.close()


HOLD = """
import sys, time
from vbp_workshop.core.file.store import Store
s = Store.open(sys.argv[1])
print("open", flush=True)
sys.stdin.readline()
s.close()
print("closed", flush=True)
"""


def test_two_processes_cannot_open_one_file_and_the_second_can_once_the_first_closes(tmp_path: Path) -> None:
    path = tmp_path / "w.vbpw"
    new_workshop(path, "W").close()
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdin is not None
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(WorkshopFileError, match="already open in another VBP Workshop window"):
            Store.open(path)
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "closed"
    finally:
        holder.kill()
        holder.wait()
    again = Store.open(path)
    again.close()


@pytest.mark.parametrize(("flavour", "step", "code", "open_elsewhere"), [
    ("nt", "locking", 13, True),  # EACCES from LK_NBLCK: a locking violation
    ("nt", "locking", 36, True),  # EDEADLOCK: the retrying mode gave up
    ("nt", "creating", 13, False),  # EACCES creating the lock file: no permission
    ("nt", "locking", 28, False),  # ENOSPC
    ("posix", "locking", errno.EWOULDBLOCK, True),
    ("posix", "locking", errno.EAGAIN, True),
    ("posix", "locking", errno.ENOLCK, False),  # a share without a lock manager
    ("posix", "locking", errno.EACCES, False),
    ("posix", "creating", errno.EROFS, False),
    ("posix", "creating", errno.EACCES, False),
])
def test_only_would_block_means_open_elsewhere(flavour: str, step: str, code: int, open_elsewhere: bool) -> None:
    exc = OSError(code, os.strerror(code))
    message = str(lock_refusal(exc, Path("Day one.vbpw"), step, flavour))
    assert ("already open in another VBP Workshop window" in message) is open_elsewhere
    if not open_elsewhere:
        assert "could not mark it as in use" in message and os.strerror(code) in message


def test_a_folder_that_cannot_hold_the_lock_file_locks_in_the_app_data_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A read-only folder (a shared drive the facilitator may only read): the workshop still
    opens, locked under the app's data folder, and a second window is still refused."""
    data = tmp_path / "data"
    monkeypatch.setenv("VBP_DATA_DIR", str(data))
    shared = tmp_path / "read only"
    shared.mkdir()
    path = shared / "w.vbpw"
    new_workshop(path, "W").close()
    real_open = os.open

    def read_only_folder(file: str | os.PathLike[str], flags: int, *args: int) -> int:
        if Path(file).parent == shared and flags & os.O_CREAT:
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, flags, *args)

    monkeypatch.setattr(os, "open", read_only_folder)
    store = Store.open(path)
    try:
        assert store._lock is not None and store._lock.lock_path.parent == data / "locks"
        assert lock_file_for(path, data / "locks") == store._lock.lock_path
        with pytest.raises(WorkshopFileError, match="already open"):
            Store.open(path)
    finally:
        store.close()


# -- paths and URIs ------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "uri"), [
    (r"C:\Users\Jo\Documents\Day one.vbpw", "file:///C:/Users/Jo/Documents/Day%20one.vbpw"),
    (r"H:\Workshops\Q&A #2 ?.vbpw", "file:///H:/Workshops/Q%26A%20%232%20%3F.vbpw"),
    (r"\\nhs-fs01\shared\Care team\100% é.vbpw",
     "file:////nhs-fs01/shared/Care%20team/100%25%20%C3%A9.vbpw"),
    (r"\\?\UNC\server\share\x.vbpw", "file:////server/share/x.vbpw"),
    (r"\\?\C:\very\long\x.vbpw", "file:///C:/very/long/x.vbpw"),
    ("C:/forward/slashes.vbpw", "file:///C:/forward/slashes.vbpw"),
])
def test_sqlite_uri_for_windows_paths(path: str, uri: str) -> None:
    """Pure string logic: what SQLite (https://sqlite.org/uri.html) needs for drive and UNC paths.
    `Path.as_uri()` gave file://nhs-fs01/shared/…, refused by SQLite as "invalid uri authority"."""
    assert sqlite_uri(path, flavour="nt") == uri
    assert sqlite_uri(path, "mode=ro", flavour="nt") == uri + "?mode=ro"


def test_sqlite_uri_refuses_relative_paths() -> None:
    with pytest.raises(ValueError):
        sqlite_uri("relative.vbpw", flavour="nt")
    with pytest.raises(ValueError):
        sqlite_uri("relative.vbpw", flavour="posix")


ODD_NAMES = ["Day one.vbpw", "Q&A #2.vbpw", "100% sure.vbpw", "Évaluation été.vbpw", "a%20b.vbpw",
             "ünïcödé ✓.vbpw", "semi;colon=eq.vbpw"]
if os.name != "nt":  # "?" cannot be in a Windows file name
    ODD_NAMES.append("why?.vbpw")
ODD_FOLDER = "Folder with # and ?" if os.name != "nt" else "Folder with # and %"


@pytest.mark.parametrize("name", ODD_NAMES)
def test_odd_names_open_read_only_and_read_write(tmp_path: Path, name: str) -> None:
    folder = tmp_path / ODD_FOLDER
    folder.mkdir()
    path = folder / name
    store = new_workshop(path, "Odd")
    store.apply([Insert("partners", {"name": "p"})])
    store.close()
    conn = sqlite3.connect(sqlite_uri(path, "mode=ro"), uri=True)
    try:
        assert conn.execute("SELECT title FROM workshop").fetchone()[0] == "Odd"
    finally:
        conn.close()
    again = Store.open(path)  # inspect_file opens it read-only by URI first
    try:
        assert [p["name"] for p in again.rows("partners")] == ["p"]
        assert again.path == path
    finally:
        again.close()
    assert sorted(p.name for p in folder.iterdir()) == [name]  # no stray files beside it


def test_a_file_keeps_the_name_it_was_opened_by(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Paths come from `os.path.abspath`, never `resolve()`: on Windows resolve() turned a mapped
    drive (H:\\) into \\\\server\\share; here, a link to a folder stands in for the mapped drive."""
    real = tmp_path / "server share"
    real.mkdir()
    new_workshop(real / "w.vbpw", "W").close()
    mapped = tmp_path / "H"
    try:
        mapped.symlink_to(real, target_is_directory=True)
    except OSError:  # Windows without the right to make links
        pytest.skip("cannot make a directory link here")
    store = Store.open(mapped / "w.vbpw")
    try:
        assert store.path == mapped / "w.vbpw"
        assert store._lock is not None and store._lock.lock_path == mapped / "w.vbpw.lock"
    finally:
        store.close()
    monkeypatch.chdir(tmp_path)
    assert absolute("H/w.vbpw") == mapped / "w.vbpw"


# -- old demo copies ------------------------------------------------------------------------------


def _like_windows(monkeypatch: pytest.MonkeyPatch, stuck: set[Path]) -> None:
    """Make removing a workshop file fail as Windows does: while this process has it open
    (WinError 32), and always for the files in `stuck` (held by a virus scanner or a sync client).
    (The lock file's own release differs by system and is not what is tested here.)"""
    real_unlink = Path.unlink

    def unlink(self: Path, missing_ok: bool = False) -> None:
        if self in stuck or (self.suffix == ".vbpw" and _open_by_us(self)):
            err = PermissionError(errno.EACCES, "The process cannot access the file because it is being "
                                  "used by another process", str(self))
            err.winerror = 32  # type: ignore[attr-defined]
            raise err
        real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", unlink)


def _aged(*paths: Path, days: float = 8) -> None:
    then = time.time() - days * 86400
    for p in paths:
        os.utime(p, (then, then))


def test_pruning_removes_a_week_old_copy_without_holding_it_open(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Before, the copy was removed while its lock held it open: on Windows "Open the demo"
    failed every time once a copy was a week old."""
    old, fresh = tmp_path / "demo-old.vbpw", tmp_path / "demo-fresh.vbpw"
    for p in (old, fresh):
        build_demo(p).close()
    _aged(old)
    _like_windows(monkeypatch, set())
    assert prune_demo_copies(tmp_path) == [old]
    assert not old.exists() and fresh.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo-fresh.vbpw"]


def test_a_copy_that_cannot_be_removed_never_stops_the_others(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stuck, held, old = (tmp_path / f"demo-{n}.vbpw" for n in ("a-stuck", "b-held", "c-old"))
    for p in (stuck, held, old):
        build_demo(p).close()
    _aged(stuck, held, old)
    window = Store.open(held)  # open in a window: never pruned
    try:
        _like_windows(monkeypatch, {stuck})
        assert prune_demo_copies(tmp_path) == [old]
    finally:
        window.close()
    assert stuck.exists() and held.exists() and not old.exists()
    Store.open(stuck).close()  # the copy left behind is whole


def test_a_copy_that_vanishes_while_pruning_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two windows starting the demo at once both prune: a copy the other removed is no error."""
    gone, old = tmp_path / "demo-a.vbpw", tmp_path / "demo-b.vbpw"
    for p in (gone, old):
        build_demo(p).close()
    _aged(gone, old)
    real_stat = Path.stat

    def stat(self: Path, *, follow_symlinks: bool = True) -> os.stat_result:
        if self == gone:
            raise FileNotFoundError(errno.ENOENT, "No such file", str(self))
        return real_stat(self, follow_symlinks=follow_symlinks)

    monkeypatch.setattr(Path, "stat", stat)
    assert prune_demo_copies(tmp_path) == [old]


def test_no_workshop_path_is_resolved() -> None:
    """`Path.resolve()` turns a mapped drive into its UNC target and `as_uri()` gives a URI SQLite
    refuses for UNC paths: the core and the window use `absolute` and `sqlite_uri` instead."""
    root = Path(__file__).resolve().parents[2] / "vbp_workshop"
    found = []
    for folder in ("core", "ui"):
        for module in (root / folder).rglob("*.py"):
            for n, line in enumerate(module.read_text("utf-8").splitlines(), 1):
                code = line.split("#")[0]
                if (".resolve(" in code or ".as_uri(" in code) and "`" not in code:
                    found.append(f"{module.relative_to(root)}:{n}: {line.strip()}")
    assert found == []

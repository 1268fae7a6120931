"""Save points (core/file/keeper.py): the workshop file alone holds every change a couple of seconds
after it, and a file in a synced or network folder is worked on locally and mirrored back
atomically. Real files, real SQLite, the real vote writer on its own connection; run on Windows
and macOS by the workflow too (os.replace over a file a reader may hold, fsync)."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from vbp_workshop.core import operations
from vbp_workshop.core.file.keeper import Keeper, Settle, open_mirrored, working_folder
from vbp_workshop.core.file.places import Place
from vbp_workshop.core.file.store import Store, WorkshopFileError, sqlite_uri
from vbp_workshop.core.intake.votes import Vote, VoteWriter
from vbp_workshop.core.model.changes import Insert, Update
from vbp_workshop.core.model.room import LiveState
from vbp_workshop.core.operations.live import open_poll
from vbp_workshop.core.polls import queries
from vbp_workshop.core.steps.demo import build_demo

ONEDRIVE = Place("onedrive", "OneDrive - Test Trust")


def wait_for(condition: Callable[[], bool], timeout: float = 10) -> float:
    """Seconds until `condition()` held (fails after `timeout`)."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise AssertionError("condition not met in time")
        time.sleep(0.05)
    return time.monotonic() - start


def copy_alone(path: Path, to: Path) -> Path:
    """What a USB stick, a mail or a sync client gets: the file, without its -wal."""
    to.mkdir(exist_ok=True)
    out = to / path.name
    for p in (out, Path(f"{out}-wal"), Path(f"{out}-shm")):
        p.unlink(missing_ok=True)
    shutil.copy(path, out)
    return out


def partners_in(path: Path) -> list[str]:
    conn = sqlite3.connect(sqlite_uri(path, "immutable=1"), uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM partners ORDER BY id")]
    finally:
        conn.close()


# -- the policy ---------------------------------------------------------------------------------


def test_a_save_point_comes_when_changes_settle_or_at_the_latest_after_max_wait() -> None:
    s = Settle(settle_s=1.0, max_wait_s=3.0)
    assert not s.due(0)
    s.changed(10.0)
    assert not s.due(10.5) and s.due(11.0)
    for t in (10.5, 11.0, 11.5, 12.0, 12.5):  # a room voting: a change every half second
        s.changed(t)
        assert not s.due(t + 0.4)
    assert s.due(13.0)  # three seconds after the first, although changes keep coming
    s.done()
    assert not s.pending and not s.due(20)


# -- the file alone holds every change ----------------------------------------------------------------


@pytest.fixture
def voting(tmp_path: Path) -> Iterator[tuple[Store, LiveState, VoteWriter, int]]:
    store = build_demo(tmp_path / "day.vbpw")
    live = LiveState()
    operations.derive(store, live)
    pid = next(p.id for p in queries.polls(store) if p.kind == "single" and not p.is_open)
    open_poll(store, live, pid)
    writer = VoteWriter(store.path, live)
    writer.start()
    yield store, live, writer, pid
    writer.stop()
    store.close()


def test_a_plain_copy_of_the_open_file_holds_every_change_within_seconds(
        voting: tuple[Store, LiveState, VoteWriter, int], tmp_path: Path) -> None:
    """Issue 24 item 2: the day's work sat in the -wal; a copy of the .vbpw alone had none of it."""
    store, _live, writer, pid = voting
    keeper = Keeper(store.path)
    keeper.start()
    try:
        store.apply([Insert("partners", {"name": "Added by the facilitator"})])
        for n in range(40):
            writer.vote(Vote(pid, 1, f"phone-{n}", "pharma", 1, f"uid-{n:04d}"))
        store.apply([Update("workshop", 1, {"title": "Renamed at the end"})])
        last_change = time.monotonic()

        def copy_is_whole() -> bool:
            copy = copy_alone(store.path, tmp_path / "usb")
            conn = sqlite3.connect(sqlite_uri(copy, "immutable=1"), uri=True)
            try:
                ballots = conn.execute("SELECT COUNT(*) FROM ballots WHERE poll_id = ? AND voter LIKE 'phone-%'",
                                       (pid,)).fetchone()[0]
                title = conn.execute("SELECT title FROM workshop").fetchone()[0]
            finally:
                conn.close()
            return ballots == 40 and title == "Renamed at the end"

        took = wait_for(copy_is_whole, timeout=6)
        assert took < 4, f"the copy was whole only {took:.1f} s after the last change"
        assert time.monotonic() - last_change < 5
        assert "Added by the facilitator" in partners_in(tmp_path / "usb" / store.path.name)
    finally:
        keeper.stop()
    assert keeper.checkpoints >= 1


VOTE_CHILD = """
import sys
from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.room import LiveState
from vbp_workshop.core.operations.live import open_poll
from vbp_workshop.core.intake.votes import Vote, VoteWriter
from vbp_workshop.core.operations.live import open_poll
live = LiveState()
live.load(__import__("pickle").loads(bytes.fromhex(sys.argv[2])))
w = VoteWriter(__import__("pathlib").Path(sys.argv[1]), live)
w.start()
for n in range(25):
    w.vote(Vote(int(sys.argv[3]), 1, f"other-{n}", "payer", 1, f"other-{n:04d}"))
w.stop()
print("voted", flush=True)
"""


def test_commits_from_another_process_are_checkpointed_too(
        voting: tuple[Store, LiveState, VoteWriter, int], tmp_path: Path) -> None:
    """The vote server's writer runs in a process of its own: the keeper notices its commits."""
    import pickle

    store, live, _writer, pid = voting
    keeper = Keeper(store.path)
    keeper.start()
    try:
        args = [str(store.path), pickle.dumps(live.state()).hex(), str(pid)]
        out = subprocess.run([sys.executable, "-c", VOTE_CHILD, *args], capture_output=True, text=True,
                             timeout=60, check=False)
        assert out.stdout.strip() == "voted", out.stderr

        def copy_has_them() -> bool:
            copy = copy_alone(store.path, tmp_path / "mail")
            conn = sqlite3.connect(sqlite_uri(copy, "immutable=1"), uri=True)
            try:
                return conn.execute("SELECT COUNT(*) FROM ballots WHERE voter LIKE 'other-%'").fetchone()[0] == 25
            finally:
                conn.close()

        assert wait_for(copy_has_them, timeout=6) < 4
    finally:
        keeper.stop()


# -- synced and network folders -------------------------------------------------------------------------


@pytest.fixture
def synced(tmp_path: Path) -> tuple[Path, Path]:
    """A workshop in a folder the test declares synced, and the app's local data folder."""
    folder = tmp_path / "OneDrive - Test Trust" / "Workshops"
    folder.mkdir(parents=True)
    build_demo(folder / "Day one.vbpw").close()
    return folder / "Day one.vbpw", tmp_path / "local data"


class Watcher(threading.Thread):
    """A sync client: reads the target whenever it changes, and checks each version it sees."""

    def __init__(self, target: Path) -> None:
        super().__init__(daemon=True)
        self.target = target
        self.stop = threading.Event()
        self.seen = 0
        self.bad: list[str] = []

    def run(self) -> None:
        last = None
        while not self.stop.is_set():
            try:
                data = self.target.read_bytes()
            except OSError:  # being replaced at this instant (Windows): read it next time
                time.sleep(0.005)
                continue
            if data == last:
                time.sleep(0.005)
                continue
            last = data
            self.seen += 1
            snap = self.target.with_name(f"seen-{self.seen}.vbpw")
            snap.write_bytes(data)
            try:
                conn = sqlite3.connect(sqlite_uri(snap, "immutable=1"), uri=True)
                try:
                    check = conn.execute("PRAGMA integrity_check").fetchone()[0]
                    conn.execute("SELECT title FROM workshop").fetchone()
                finally:
                    conn.close()
                if check != "ok":
                    self.bad.append(check)
            except sqlite3.Error as exc:
                self.bad.append(str(exc))
            snap.unlink()


def test_a_file_in_a_synced_folder_is_worked_on_locally_and_mirrored_back_atomically(synced: tuple[Path, Path]) -> None:
    target, data = synced
    store, mirror = open_mirrored(target, ONEDRIVE, data)
    keeper = Keeper(store.path, mirror, Settle(0.3, 1.0), Settle(0.3, 1.0))
    watcher = Watcher(target)
    watcher.start()
    keeper.start()
    try:
        assert store.path != target and store.path.parent == working_folder(target, data)
        assert store.path.name == target.name
        assert sorted(p.name for p in target.parent.iterdir() if not p.name.startswith("seen-")) == ["Day one.vbpw"]
        for n in range(6):
            store.apply([Insert("partners", {"name": f"Partner {n}"})])
            # The subject, not a wait: edits arriving as typed, closer than the 0.3 s settle, so
            # the mirror copies while edits keep coming (the watcher must never see a torn file).
            time.sleep(0.15)
        wait_for(lambda: not mirror.status().pending and "Partner 5" in partners_in(target))
        state = mirror.status()
        assert state.error == "" and not state.pending and state.mirrored_at
        with pytest.raises(WorkshopFileError, match="already open"):  # a second window of this laptop
            open_mirrored(target, ONEDRIVE, data)
    finally:
        keeper.stop()
        store.close()
        mirror.release()
        watcher.stop.set()
        watcher.join(5)
    assert watcher.bad == [] and watcher.seen >= 1
    # Nothing but the workshop in the synced folder: no -wal, -shm, lock or temporary file.
    assert sorted(p.name for p in target.parent.iterdir()) == ["Day one.vbpw"]
    again = Store.open(target)  # a complete workshop, as a colleague's laptop would open it
    try:
        assert [p["name"] for p in again.rows("partners")][-6:] == [f"Partner {n}" for n in range(6)]
    finally:
        again.close()


@contextlib.contextmanager
def unreachable(folder: Path) -> Iterator[None]:
    """The network drive is gone (the VPN dropped): the folder is not there."""
    away = folder.with_name(folder.name + " (away)")
    folder.rename(away)
    try:
        yield
    finally:
        away.rename(folder)


def test_a_dropped_connection_loses_nothing_and_is_caught_up_when_it_is_back(synced: tuple[Path, Path]) -> None:
    target, data = synced
    store, mirror = open_mirrored(target, Place("network", "the network drive H:"), data)
    keeper = Keeper(store.path, mirror, Settle(0.2, 1.0), Settle(0.2, 1.0), retry_s=0.5)
    keeper.start()
    try:
        store.apply([Insert("partners", {"name": "Before the drop"})])
        wait_for(lambda: "Before the drop" in partners_in(target))
        with unreachable(target.parent):
            store.apply([Insert("partners", {"name": "While away"})])
            wait_for(lambda: mirror.status().error != "")
            state = mirror.status()
            assert state.pending and state.local == store.path
            assert "While away" in [p["name"] for p in store.rows("partners")]
        # Retried once it is back.
        wait_for(lambda: not mirror.status().pending and "While away" in partners_in(target))
        assert mirror.status().error == ""
    finally:
        keeper.stop()
        store.close()
        mirror.release()


def test_closing_while_unreachable_keeps_the_changes_and_the_next_open_saves_them_back(
        synced: tuple[Path, Path]) -> None:
    target, data = synced
    place = Place("network", "the network drive H:")
    store, mirror = open_mirrored(target, place, data)
    keeper = Keeper(store.path, mirror, Settle(0.2, 1.0), Settle(0.2, 1.0))
    keeper.start()
    with unreachable(target.parent):
        store.apply([Insert("partners", {"name": "Typed as the VPN dropped"})])
        assert not keeper.stop()  # the last save point could not reach the drive
        store.close()
        mirror.release()
        state = mirror.status()
        assert state.pending and state.error
        local = state.local
    assert "Typed as the VPN dropped" not in partners_in(target)
    assert "Typed as the VPN dropped" in partners_in(local)
    store, mirror = open_mirrored(target, place, data)  # the next day, back in the office
    keeper = Keeper(store.path, mirror, Settle(0.2, 1.0), Settle(0.2, 1.0))
    keeper.start()
    try:
        assert any("were kept on this laptop" in n for n in mirror.status().notes)
        assert "Typed as the VPN dropped" in [p["name"] for p in store.rows("partners")]
        wait_for(lambda: "Typed as the VPN dropped" in partners_in(target))
    finally:
        keeper.stop()
        store.close()
        mirror.release()


def test_a_left_copy_never_overwrites_a_file_changed_elsewhere(synced: tuple[Path, Path]) -> None:
    target, data = synced
    place = Place("onedrive", "OneDrive")
    store, mirror = open_mirrored(target, place, data)
    keeper = Keeper(store.path, mirror, Settle(0.2, 1.0), Settle(0.2, 1.0))
    keeper.start()
    with unreachable(target.parent):
        store.apply([Insert("partners", {"name": "Only on this laptop"})])
        keeper.stop()
        store.close()
        mirror.release()
    other = Store.open(target)  # meanwhile a colleague edits the synced file
    other.apply([Insert("partners", {"name": "From a colleague"})])
    other.close()
    store, mirror = open_mirrored(target, place, data)
    try:
        names = [p["name"] for p in store.rows("partners")]
        assert "From a colleague" in names and "Only on this laptop" not in names
        note = next(n for n in mirror.status().notes if "changed elsewhere" in n)
        kept = Path(note.split("kept in “")[1].split("”")[0])
        assert "Only on this laptop" in partners_in(kept)
    finally:
        store.close()
        mirror.release()


@pytest.fixture
def read_only_folder(synced: tuple[Path, Path]) -> Iterator[Path]:
    """The target's folder made read-only: by a read-only bind mount as root (where permissions do
    not stop root), by its mode otherwise."""
    folder = synced[0].parent
    if os.name == "nt":  # pragma: no cover - a folder's read-only flag does not stop writes there
        pytest.skip("Windows folders are made read-only by access lists, not tested here")
    if os.geteuid() == 0:
        try:
            subprocess.run(["mount", "--bind", str(folder), str(folder)], check=True, capture_output=True)
        except (OSError, subprocess.CalledProcessError):
            pytest.skip("cannot mount here")
        try:
            subprocess.run(["mount", "-o", "remount,bind,ro", str(folder), str(folder)], check=True,
                           capture_output=True)
            yield folder
        finally:
            subprocess.run(["umount", str(folder)], check=True)
    else:
        folder.chmod(0o555)
        try:
            yield folder
        finally:
            folder.chmod(0o755)


def test_a_read_only_target_folder_loses_nothing(synced: tuple[Path, Path], read_only_folder: Path) -> None:
    target, data = synced
    before = target.read_bytes()
    store, mirror = open_mirrored(target, ONEDRIVE, data)
    keeper = Keeper(store.path, mirror, Settle(0.2, 1.0), Settle(0.2, 1.0))
    keeper.start()
    try:
        store.apply([Insert("partners", {"name": "Kept although the folder refuses it"})])
        wait_for(lambda: mirror.status().error != "")
        assert mirror.status().pending
    finally:
        assert not keeper.stop()
        store.close()
        mirror.release()
    assert target.read_bytes() == before  # the target untouched, not half-written
    assert "Kept although the folder refuses it" in partners_in(mirror.status().local)
    assert sorted(p.name for p in read_only_folder.iterdir()) == ["Day one.vbpw"]


def test_a_target_held_open_for_a_moment_is_replaced_once_it_is_free(
        synced: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows: a sync client uploading the file (or a scanner) makes os.replace fail for a moment."""
    import vbp_workshop.core.file.keeper as keeper_module

    target, data = synced
    store, mirror = open_mirrored(target, ONEDRIVE, data)
    real_replace = os.replace
    refused: list[str] = []

    def busy_twice(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if Path(dst) == target and len(refused) < 2:
            refused.append(str(dst))
            raise PermissionError(13, "Access is denied", str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(keeper_module.os, "replace", busy_twice)
    try:
        store.apply([Insert("partners", {"name": "After a busy moment"})])
        assert mirror.push(store.conn)
        assert len(refused) == 2 and "After a busy moment" in partners_in(target)
    finally:
        store.close()
        mirror.release()

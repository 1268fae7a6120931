"""The workshop file in a real window: a plain copy made while the app is open holds the day's
work (issue 24 item 2), and a file in a synced or network folder is said to be so, worked on
locally and saved back (issue 19 item 4)."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from vbp_workshop.core.file.places import Place
from vbp_workshop.core.file.store import Store, sqlite_uri
from vbp_workshop.core.model.changes import Insert, Update
from vbp_workshop.core.operations.live import open_poll
from vbp_workshop.core.polls import queries
from vbp_workshop.core.steps.demo import build_demo
from vbp_workshop.ui.main_window import MainWindow

SHOTS = Path("/work/coord/shots/i19-files")


def _read(path: Path, sql: str, params: tuple[Any, ...] = ()) -> Any:
    conn = sqlite3.connect(sqlite_uri(path, "immutable=1"), uri=True)
    try:
        return conn.execute(sql, params).fetchone()[0]
    finally:
        conn.close()


async def _phones_vote(base: str, code: str, pid: int, n: int) -> list[int]:
    statuses = []
    for i in range(n):
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as s:
            r = await s.post(base + "/api/join", json={"code": code, "group": "pharma"})
            assert r.status == 200
            joined = await r.json()
            r = await s.post(base + "/api/vote", json={"poll_id": pid, "round": 1, "ballot_id": f"{i:016x}",
                                                        "answer": 0, "workshop": joined.get("workshop"),
                                                        "sitting": joined.get("sitting")})
            statuses.append(r.status)
    return statuses


def test_a_plain_copy_of_the_open_workshop_holds_every_change(demo_window: MainWindow, qtbot, tmp_path: Path) -> None:
    """The app as the facilitator runs it: phones vote through the vote server's own process, the
    facilitator edits; a few seconds later the .vbpw alone (copied without its -wal, as to a USB
    stick or by a sync client) opens with all of it. Before, it held none of it."""
    session, room = demo_window.session, demo_window.view.room
    assert session is not None
    pid = next(p.id for p in queries.polls(session.store) if p.kind == "single" and not p.is_open)
    open_poll(session.store, session.live, pid)
    room.start_voting("127.0.0.1", host="127.0.0.1", port=0)
    try:
        statuses = asyncio.run(_phones_vote(f"http://127.0.0.1:{room.server.port}", session.live.join_code, pid, 6))
        assert statuses == [200] * 6
        session.edit([Insert("partners", {"name": "Typed just before the copy"})], "Add partner")
        session.edit([Update("workshop", 1, {"title": "Copied mid-day"})], "Rename")
        usb = tmp_path / "usb"
        usb.mkdir()

        def copy_holds_everything() -> bool:
            copy = usb / "copy.vbpw"
            shutil.copy(session.store.path, copy)  # the file alone
            return (_read(copy, "SELECT title FROM workshop") == "Copied mid-day"
                    and _read(copy, "SELECT COUNT(*) FROM partners WHERE name = ?",
                              ("Typed just before the copy",)) == 1
                    and _read(copy, "SELECT COUNT(*) FROM ballots WHERE poll_id = ? AND ballot_uid LIKE '000%'",
                              (pid,)) == 6)

        qtbot.waitUntil(copy_holds_everything, timeout=4000)  # "within a couple of seconds"
    finally:
        room.stop_voting()
    copy = Store.open(tmp_path / "usb" / "copy.vbpw")  # and it opens as a whole workshop
    try:
        assert copy.workshop()["title"] == "Copied mid-day"
    finally:
        copy.close()


ONEDRIVE = Place("onedrive", "OneDrive - Test Trust")


@pytest.fixture
def in_onedrive(window: MainWindow, tmp_path: Path) -> Path:
    folder = tmp_path / "OneDrive - Test Trust"
    folder.mkdir()
    build_demo(folder / "Day one.vbpw").close()
    window.places = lambda p: ONEDRIVE if "OneDrive" in str(p) else None
    window.data_folder = tmp_path / "local data"
    return folder / "Day one.vbpw"


def test_a_workshop_in_a_synced_folder_says_so_and_is_saved_back(window: MainWindow, in_onedrive: Path, qtbot,
                                                                   dialogs) -> None:
    target = in_onedrive
    assert window.open_path(target)
    session = window.session
    assert session is not None and session.mirror is not None
    assert session.store.path != target and session.file == target
    assert window.windowTitle().startswith(session.title)
    bar = window.place_bar
    assert bar is not None
    qtbot.waitUntil(bar.isVisible, timeout=2000)
    assert "is in OneDrive - Test Trust" in bar.label.text()
    assert "works on a copy on this laptop and saves it back there" in bar.label.text()
    assert window.settings.recent[0] == str(target)  # the file as opened, not the working copy
    session.edit([Insert("partners", {"name": "Saved back to OneDrive"})], "Add partner")
    qtbot.waitUntil(lambda: _read(target, "SELECT COUNT(*) FROM partners WHERE name = 'Saved back to OneDrive'") == 1,
                    timeout=5000)
    qtbot.waitUntil(lambda: "Last saved there at" in bar.label.text(), timeout=3000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    for w, h in ((1366, 768), (1024, 768)):
        window.resize(w, h)
        qtbot.wait(50)
        window.grab().save(str(SHOTS / f"synced-bar-{w}x{h}.png"))
    session.edit([Update("workshop", 1, {"title": "Closed at once"})], "Rename")
    window.close_workshop()  # straight after a change: the last save point is on closing
    assert _read(target, "SELECT title FROM workshop") == "Closed at once"
    assert [d for d in dialogs.shown if d[0] == "error"] == []
    assert sorted(p.name for p in target.parent.iterdir()) == ["Day one.vbpw"]


def test_closing_when_the_synced_folder_cannot_be_reached_says_where_the_work_is(
        window: MainWindow, in_onedrive: Path, qtbot, dialogs) -> None:
    target = in_onedrive
    assert window.open_path(target)
    session = window.session
    assert session is not None
    local = session.store.path
    away = target.parent.with_name("gone")
    target.parent.rename(away)  # the network drive went with the VPN
    try:
        session.edit([Insert("partners", {"name": "Typed offline"})], "Add partner")
        qtbot.waitUntil(lambda: window.place_bar is not None and "Not saved to" in window.place_bar.label.text(),
                        timeout=5000)
        assert "Nothing is lost" in window.place_bar.label.text() and str(local) in window.place_bar.label.text()
        window.resize(1366, 768)
        window.grab().save(str(SHOTS / "synced-bar-failing-1366x768.png"))
        window.close_workshop()
    finally:
        away.rename(target.parent)
    errors = [d for d in dialogs.shown if d[0] == "error"]
    assert len(errors) == 1 and errors[0][1] == "Not yet saved to OneDrive - Test Trust"
    assert str(local) in errors[0][2] and "Nothing is lost" in errors[0][2]
    assert _read(local, "SELECT COUNT(*) FROM partners WHERE name = 'Typed offline'") == 1
    assert window.open_path(target)  # back online: the kept changes are saved back
    qtbot.waitUntil(lambda: _read(target, "SELECT COUNT(*) FROM partners WHERE name = 'Typed offline'") == 1,
                    timeout=5000)
    assert any(d[0] == "info" and "were kept on this laptop" in d[2] for d in dialogs.shown)


def test_closing_a_workshop_after_the_window_was_drawn_does_not_crash(demo_window: MainWindow, qtbot) -> None:
    """A row-fit after the file had closed read the closed file inside Qt's sizing, and PySide
    crashed on the exception (found closing the synced-folder window after a screenshot)."""
    session = demo_window.session
    assert session is not None
    session.edit([Insert("partners", {"name": "Drawn"})], "Add partner")
    qtbot.wait(200)
    demo_window.resize(1366, 768)
    demo_window.grab()
    session.edit([Update("workshop", 1, {"title": "Closed after drawing"})], "Rename")
    demo_window.close_workshop()
    qtbot.wait(200)  # the deferred events of the closed workshop run here
    assert demo_window.session is None


def test_a_copy_is_never_saved_over_the_synced_original(window: MainWindow, in_onedrive: Path, dialogs) -> None:
    target = in_onedrive
    assert window.open_path(target)
    before = target.read_bytes()
    dialogs.answers.append(str(target))
    window.save_copy()
    assert dialogs.shown[-1][:2] == ("error", "Copy not saved")
    assert target.read_bytes() == before
    window.close_workshop()

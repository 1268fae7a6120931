"""The facilitator sees the join rate, devices per address and refusals while phones join."""

from __future__ import annotations

import asyncio

import aiohttp
from PySide6.QtWidgets import QLabel

from vbp_workshop.ui.main_window import MainWindow


def test_the_voting_bar_shows_joins_per_address_and_refusals(demo_window: MainWindow, qtbot) -> None:
    room = demo_window.view.room
    label = demo_window.view.findChild(QLabel, "room_stats")
    assert label is not None and label.text() == ""
    room.start_voting("127.0.0.1", host="127.0.0.1", port=0)
    try:
        code = demo_window.session.live.join_code
        base = f"http://127.0.0.1:{room.server.port}"

        async def phones() -> list[int]:
            out = []
            for n in range(3):
                jar = aiohttp.CookieJar(unsafe=True)
                conn = aiohttp.TCPConnector(local_addr=("127.0.0.2", 0))
                async with aiohttp.ClientSession(cookie_jar=jar, connector=conn) as s:
                    r = await s.post(base + "/api/join", json={"code": code, "group": ""})
                    out.append(r.status)
                    if n == 2:  # a request meant for another site's name: refused and counted
                        r = await s.get(base + "/api/state", headers={"Host": "attacker.example"})
                        out.append(r.status)
            return out

        assert asyncio.run(phones()) == [200, 200, 200, 421]
        # The server's process reports every second; the label reads the last report.
        qtbot.waitUntil(lambda: (label.refresh(), label.text().startswith("· 3 joins/min"))[1], timeout=5000)
        assert label.text().startswith("· 3 joins/min · 0 live · 1 refused"), label.text()
        assert "127.0.0.2: 3" in label.toolTip() and "1 requests for another address refused" in label.toolTip()
        assert "bold" in label.styleSheet()
    finally:
        room.stop_voting()
    label.refresh()
    assert label.text() == ""


def test_each_sitting_gets_a_fresh_join_code(demo_window: MainWindow) -> None:
    """The code saved with the workshop last time is not the one phones use today."""
    session, room = demo_window.session, demo_window.view.room
    saved = session.store.workshop()["join_code"]
    room.start_voting("127.0.0.1", host="127.0.0.1", port=0)
    fresh = session.live.join_code
    room.stop_voting()
    room.start_voting("127.0.0.1", host="127.0.0.1", port=0)  # a break in the same sitting: same code
    try:
        assert fresh != saved and session.live.join_code == fresh == session.store.workshop()["join_code"]
    finally:
        room.stop_voting()


def test_a_vote_server_that_dies_is_reported_and_voting_shows_off(demo_window: MainWindow, qtbot) -> None:
    """The vote server has its own process: if it is killed, the facilitator hears it at once,
    the bar says voting is off, and starting again works."""
    import os
    import signal

    from PySide6.QtWidgets import QPushButton

    room = demo_window.view.room
    dialogs = demo_window.dialogs
    room.start_voting("127.0.0.1", host="127.0.0.1", port=0)
    toggle = demo_window.view.findChild(QPushButton, "voting_toggle")
    assert toggle.isChecked()
    os.kill(room.server.pid, signal.SIGKILL)
    qtbot.waitUntil(lambda: not room.voting and not toggle.isChecked(), timeout=5000)
    assert any(kind == "error" and "Phone voting stopped" in title for kind, title, _text in dialogs.shown)
    assert toggle.text() == "Start phone voting"
    room.start_voting("127.0.0.1", host="127.0.0.1", port=0)
    try:
        assert room.voting and toggle.isChecked()
    finally:
        room.stop_voting()


def test_closing_the_window_while_voting_ends_the_vote_servers_process(demo_window: MainWindow) -> None:
    import os

    room = demo_window.view.room
    room.start_voting("127.0.0.1", host="127.0.0.1", port=0)
    child = room.server.pid
    os.kill(child, 0)  # running
    demo_window.close()
    try:
        os.kill(child, 0)
    except ProcessLookupError:
        return
    # still there for an instant while it finishes: it must be gone after a short wait
    import time

    end = time.monotonic() + 10
    while time.monotonic() < end:
        try:
            os.waitpid(child, os.WNOHANG)
            os.kill(child, 0)
        except (ProcessLookupError, ChildProcessError):
            return
        time.sleep(0.05)
    raise AssertionError("the vote server's process outlived the window")

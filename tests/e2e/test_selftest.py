""""Test with my phone": the one-off test page on the real vote server, opened by real Chromium at a
phone's size, and the same from the real window (offscreen) with the server in its own process."""

from __future__ import annotations

import queue
import secrets
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.server.conftest import Room
from tests.ui.conftest import demo_window, dialogs, settings, window
from vbp_workshop.server.network import bind
from vbp_workshop.server.selftest import SelfTests

from .conftest import new_phone

SHOTS = Path("/work/coord/shots/i20-network")
__all__ = ["demo_window", "dialogs", "settings", "window"]  # the real window's fixtures


def events_until(tests: SelfTests, stage: str, timeout: float = 20) -> list[dict[str, Any]]:
    got: list[dict[str, Any]] = []
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            got.append(tests.events.get(timeout=0.1))
        except queue.Empty:
            continue
        if got[-1]["stage"] == stage:
            return got
    raise AssertionError(f"no {stage!r} event; got {got}")


@pytest.mark.browser
def test_a_phone_opening_the_test_page_is_timed_and_the_token_is_one_off(room: Room, browser: Any) -> None:
    tests = room.server.selftests
    assert tests is not None
    token = secrets.token_urlsafe(12)
    tests.expect(token)
    page = new_phone(browser)
    try:
        page.goto(f"{room.base}/selftest/{token}")
        got = events_until(tests, "done")
        assert [e["stage"] for e in got] == ["page", "done"]
        assert got[0]["remote"] == "127.0.0.1" and got[0]["agent"]
        assert 1 <= got[1]["rtt_ms"] < 5000 and got[1]["page_to_done_ms"] >= 0
        page.wait_for_function("document.getElementById('detail').textContent.includes('Round trip')")
        assert "Your phone reached the laptop." in page.text_content("h1")
    finally:
        page.context.close()
    # Once done, the token is spent; a token the app never made is refused the same way.
    for path in (f"/selftest/{token}", f"/selftest/{secrets.token_urlsafe(12)}"):
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(room.base + path, timeout=10)
        assert caught.value.code == 404
    assert tests.events.empty()


@pytest.mark.browser
def test_the_real_window_shows_your_phone_reached_the_laptop_in_n_ms(demo_window: Any, browser: Any,
                                                                      qtbot: Any) -> None:
    from vbp_workshop.ui import join_help

    bar = demo_window.view.voting_bar
    probe = bind("127.0.0.1", 0)
    bar.port = probe.getsockname()[1]
    bar.host = "127.0.0.1"  # never every network in a test
    probe.close()
    bar.address.setCurrentIndex(bar.address.findData("127.0.0.1"))
    bar.toggle.click()
    qtbot.waitUntil(lambda: demo_window.view.room.voting, timeout=20_000)
    try:
        help_dialog = bar.show_join_help()
        qtbot.waitUntil(lambda: not help_dialog.checking, timeout=30_000)
        dialog = help_dialog.test_with_phone()
        assert dialog is not None and "/selftest/" in dialog.url
        page = new_phone(browser)
        try:
            page.goto(dialog.url)
            qtbot.waitUntil(lambda: dialog.outcome == "reached", timeout=30_000)
        finally:
            page.context.close()
        status = dialog.status.text()
        assert f"Your phone reached the laptop in {dialog.rtt_ms} ms." in status and dialog.rtt_ms >= 1
        SHOTS.mkdir(parents=True, exist_ok=True)
        composite(demo_window, dialog).save(str(SHOTS / "selftest-result-1366x768.png"))

        # Nobody scans the second test: after its timeout the window says what failed.
        failing = join_help.SelfTestDialog(demo_window.view.room, help_dialog, timeout_s=1.0)
        failing.open()
        qtbot.waitUntil(lambda: failing.outcome == "failed", timeout=10_000)
        assert "did not reach the laptop" in failing.status.text() and "same Wi-Fi" in failing.status.text()
        failing.close()
    finally:
        demo_window.view.room.stop_voting()


def composite(window: Any, dialog: Any) -> Any:
    """The window at 1366×768 with a dialog over its middle, as the facilitator sees them."""
    from PySide6.QtGui import QPainter

    window.resize(1366, 768)
    shot = window.grab()
    over = dialog.grab()
    painter = QPainter(shot)
    painter.drawPixmap((shot.width() - over.width()) // 2, (shot.height() - over.height()) // 2, over)
    painter.end()
    return shot

"""Starting phone voting again, a second window serving phones, and Esc on the projector
(issue 24 item 8): a real window offscreen, a real workshop file, the real vote server's process."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from vbp_workshop.core.model.changes import Update
from vbp_workshop.core.steps.template import new_workshop
from vbp_workshop.server.network import PortBusy, bind
from vbp_workshop.ui.main_window import MainWindow
from vbp_workshop.ui.settings import Settings
from vbp_workshop.ui.shared.dialogs import ScriptedDialogs


def join(url: str, code: str) -> None:
    request = urllib.request.Request(url.rstrip("/") + "/api/join", method="POST",
                                     data=json.dumps({"code": code, "group": ""}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as r:
        assert json.load(r)["ok"]


def test_the_app_restarted_mid_sitting_keeps_the_join_code(window: MainWindow, tmp_path: Path, qtbot) -> None:
    """Quit at lunch (or a crash) and start voting again: the phones' code stays (it changed)."""
    path = tmp_path / "day.vbpw"
    new_workshop(path, "Day").close()
    assert window.open_path(path)
    room = window.view.room
    url = room.start_voting("127.0.0.1", host="127.0.0.1", port=0)
    code = window.session.live.join_code
    join(url, code)
    qtbot.waitUntil(lambda: window.view.voting_bar.devices == 1, timeout=10_000)
    room.stop_voting()
    window.close_workshop()

    assert window.open_path(path)  # the app again, the same afternoon
    window.view.room.start_voting("127.0.0.1", host="127.0.0.1", port=0)
    try:
        assert window.session.live.join_code == code
    finally:
        window.view.room.stop_voting()
    window.close_workshop()

    # A week later the phones of that day are long gone: a new sitting, a new code.
    from vbp_workshop.core.file.store import Store

    store = Store.open(path)
    device = store.rows("devices")[0]
    store.apply([Update("devices", device["id"], {"joined_at": "2020-01-06T09:00:00.000+00:00"})])
    store.close()
    assert window.open_path(path)
    window.view.room.start_voting("127.0.0.1", host="127.0.0.1", port=0)
    try:
        assert window.session.live.join_code != code
    finally:
        window.view.room.stop_voting()


def test_a_second_window_is_told_the_usual_port_is_served_by_another_vbp_workshop(
        demo_window: MainWindow, settings: Settings, tmp_path: Path, qtbot) -> None:
    """Before, the second instance silently served on the next port: phones that scanned the first
    window's QR never reached it, and nobody was told."""
    first = demo_window
    probe = bind("127.0.0.1", 0)
    port = probe.getsockname()[1]
    probe.close()
    first.view.voting_bar.port = port  # the "usual" port of this test (no fixed port)
    first.view.voting_bar.host = "127.0.0.1"  # never every network in a test
    first.view.voting_bar.address.setCurrentIndex(first.view.voting_bar.address.count() - 1)  # 127.0.0.1
    first.view.voting_bar.toggle.click()
    qtbot.waitUntil(lambda: first.view.room.voting, timeout=20_000)
    try:
        assert first.view.room.server.port == port
        path = tmp_path / "other.vbpw"
        new_workshop(path, "Other").close()
        dialogs = ScriptedDialogs()
        second = MainWindow(settings, dialogs)
        qtbot.addWidget(second)
        second.show()
        assert second.open_path(path)
        bar = second.view.voting_bar
        bar.port = port
        bar.host = "127.0.0.1"  # never every network in a test
        # The room refuses rather than moving the phones silently (before: it served on port + 1).
        with pytest.raises(PortBusy):
            second.view.room.start_voting("127.0.0.1", port=port)
        assert not second.view.room.voting
        dialogs.answers.append(None)  # "Cancel": stop the other window first
        bar.toggle.click()
        text = dialogs.shown[-1][2]
        assert "Another VBP Workshop" in text and str(port) in text
        assert "scanned" in text and "QR" in text
        assert not second.view.room.voting and not bar.toggle.isChecked()

        dialogs.answers.append(0)  # "Serve on another port"
        bar.toggle.click()
        qtbot.waitUntil(lambda: second.view.room.voting, timeout=20_000)
        assert second.view.room.server.port != port
        note = bar.findChild(QLabel, "join_label").text()
        assert f":{second.view.room.server.port}" in note and "not the usual port" in note
        second.view.room.stop_voting()
        second.close_workshop()
    finally:
        first.view.room.stop_voting()


def test_esc_on_the_projector_leaves_full_screen_and_never_enters_it(demo_window: MainWindow, qtbot) -> None:
    room = demo_window.view.room
    projector = room.open_projector()
    qtbot.waitExposed(projector)
    projector.activateWindow()
    qtbot.waitUntil(projector.isActiveWindow, timeout=5000)  # shortcuts reach the active window
    assert not projector.isFullScreen()
    qtbot.keyClick(projector, Qt.Key.Key_Escape)
    QApplication.processEvents()
    assert not projector.isFullScreen()  # before: Esc made it full screen, covering the laptop
    qtbot.keyClick(projector, Qt.Key.Key_F11)
    qtbot.waitUntil(projector.isFullScreen, timeout=5000)
    qtbot.keyClick(projector, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not projector.isFullScreen(), timeout=5000)


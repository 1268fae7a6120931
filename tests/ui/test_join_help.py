"""The voting bar's address choice, Refresh, and "No phones yet? What to check" in the real window
(offscreen), with the real vote server's process; adapters from the recorded lists where the test
needs a venue's laptop (tests/server/test_network.py)."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtWidgets import QApplication

from tests.server.test_network import WINDOWS, windows
from vbp_workshop.server import joinhelp, network
from vbp_workshop.server.joinhelp import Findings, Firewall
from vbp_workshop.server.network import Adapter, bind
from vbp_workshop.ui import voting_bar
from vbp_workshop.ui.main_window import MainWindow

SHOTS = Path("/work/coord/shots/i20-network")


def with_adapters(monkeypatch: pytest.MonkeyPatch, found: list[Adapter]) -> None:
    monkeypatch.setattr(network, "adapters", lambda descriptions=None: list(found))


def free_port() -> int:
    s = bind("127.0.0.1", 0)
    port = int(s.getsockname()[1])
    s.close()
    return port


@pytest.mark.qt_log_ignore("This plugin does not support")  # the list's popup, offscreen
def test_the_address_list_names_adapters_best_first_and_refresh_finds_the_new_hotspot(
        demo_window: MainWindow, monkeypatch: pytest.MonkeyPatch, qtbot: Any) -> None:
    bar = demo_window.view.voting_bar
    before_hotspot = [a for a in WINDOWS if a.name != "Local Area Connection* 12"]
    with_adapters(monkeypatch, before_hotspot)
    bar.refresh_button.click()
    labels = [bar.address.itemText(i) for i in range(bar.address.count())]
    assert labels[0] == "10.120.34.27 — Wi-Fi"
    assert labels[-1] == "127.0.0.1 — Loopback Pseudo-Interface 1"
    assert labels.index("172.29.144.1 — vEthernet (WSL)") > labels.index("10.242.8.61 — Ethernet 3")
    assert "Wi-Fi" in bar.address.itemData(0, voting_bar.Qt.ItemDataRole.ToolTipRole)

    # Voting on the venue's Wi-Fi; then the facilitator switches on Mobile Hotspot and presses Refresh.
    bar.port = free_port()
    bar.host = "127.0.0.1"  # never every network in a test
    bar.toggle.click()
    room = demo_window.view.room
    qtbot.waitUntil(lambda: room.voting, timeout=20_000)
    try:
        assert room.address == "10.120.34.27"
        with_adapters(monkeypatch, windows())
        bar.refresh_button.click()
        assert bar.address.itemText(0) == "192.168.137.1 — Local Area Connection* 12"
        assert bar.address.currentData() == "10.120.34.27"  # the choice stays until changed
        bar.address.setCurrentIndex(0)
        assert room.address == "192.168.137.1" and "192.168.137.1" in bar.join.text()
        # The hotspot is switched off again: the list falls back to the best address left.
        with_adapters(monkeypatch, before_hotspot)
        bar.refresh_button.click()
        assert room.address == "10.120.34.27" and bar.address.currentIndex() == 0

        SHOTS.mkdir(parents=True, exist_ok=True)
        with_adapters(monkeypatch, windows())
        bar.refresh_button.click()
        demo_window.resize(1366, 768)
        bar.address.showPopup()
        QApplication.processEvents()
        popup = bar.address.view().window()
        shot = demo_window.grab()
        painter = QPainter(shot)
        at = bar.address.mapTo(demo_window, bar.address.rect().bottomLeft())
        painter.drawPixmap(at.x(), at.y(), popup.grab())
        painter.end()
        shot.save(str(SHOTS / "address-choice-1366x768.png"))
        bar.address.hidePopup()
    finally:
        room.stop_voting()


def test_no_phones_after_a_while_offers_what_to_check_and_a_joined_phone_hides_it(
        demo_window: MainWindow, monkeypatch: pytest.MonkeyPatch, qtbot: Any) -> None:
    monkeypatch.setattr(voting_bar, "NO_PHONES_S", 1.0)
    bar = demo_window.view.voting_bar
    bar.port = free_port()
    bar.host = "127.0.0.1"  # never every network in a test
    bar.address.setCurrentIndex(bar.address.findData("127.0.0.1"))
    assert bar.no_phones.isHidden()
    bar.toggle.click()
    room = demo_window.view.room
    qtbot.waitUntil(lambda: room.voting, timeout=20_000)
    try:
        assert bar.no_phones.isHidden()  # not at once: phones take a moment
        qtbot.waitUntil(lambda: not bar.no_phones.isHidden(), timeout=10_000)
        assert bar.no_phones.text() == "No phones yet? What to check"
        SHOTS.mkdir(parents=True, exist_ok=True)
        demo_window.resize(1366, 768)
        QApplication.processEvents()
        demo_window.grab().save(str(SHOTS / "no-phones-yet-1366x768.png"))
        bar.no_phones.click()
        dialog = bar.join_help
        assert dialog is not None and dialog.isVisible()
        qtbot.waitUntil(lambda: not dialog.checking, timeout=30_000)
        text = dialog.text.toPlainText()
        assert "keeps devices apart" in text and "Mobile hotspot" in text and "firewall" in text
        assert next(c.key for c in dialog.causes) in ("isolation", "vpn")
        assert dialog.test_button.isEnabled()
        dialog.close()

        join = urllib.request.Request(room.join_url() + "api/join", method="POST",
                                      data=json.dumps({"code": room.session.live.join_code, "group": ""}).encode(),
                                      headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(join, timeout=10) as r:
            assert json.load(r)["ok"]
        qtbot.waitUntil(bar.no_phones.isHidden, timeout=10_000)
    finally:
        room.stop_voting()
    assert bar.no_phones.isHidden()


def test_the_guidance_as_on_the_recorded_windows_laptop(demo_window: MainWindow, monkeypatch: pytest.MonkeyPatch,
                                                        qtbot: Any) -> None:
    """Public network, no firewall rule (IT's policy only), the trust's VPN: found first, with what to
    ask IT for; then the guest Wi-Fi. (The Windows checks themselves are tested on recorded outputs.)"""
    program = r"C:\Users\Jo.Bloggs\AppData\Local\Programs\VBP Workshop\vbp-workshop.exe"
    findings = Findings("win32", 8765, program, network.rank(windows(), "win32"),
                        Firewall(profiles={"Wi-Fi": "Public"}, active=("Public",), on=True, local_rules_ignored=True,
                                 verdict="no rule"))
    monkeypatch.setattr(joinhelp, "diagnose", lambda port=8765, platform="": findings)
    bar = demo_window.view.voting_bar
    bar.port = free_port()
    bar.host = "127.0.0.1"  # never every network in a test
    bar.address.setCurrentIndex(bar.address.findData("127.0.0.1"))
    bar.toggle.click()
    room = demo_window.view.room
    qtbot.waitUntil(lambda: room.voting, timeout=20_000)
    try:
        dialog = bar.show_join_help()
        qtbot.waitUntil(lambda: not dialog.checking, timeout=10_000)
        assert [c.key for c in dialog.causes] == ["firewall", "vpn", "isolation"]
        text = dialog.text.toPlainText()
        assert "No firewall rule lets VBP Workshop" in text and "TCP port 8765" in text and program in text
        assert "Cisco AnyConnect" in text and "Disconnect the VPN" in text
        demo_window.resize(1366, 768)
        dialog.resize(760, 660)
        shot = demo_window.grab()
        painter = QPainter(shot)
        over: QPixmap = dialog.grab()
        painter.drawPixmap((shot.width() - over.width()) // 2, (shot.height() - over.height()) // 2, over)
        painter.end()
        SHOTS.mkdir(parents=True, exist_ok=True)
        shot.save(str(SHOTS / "join-help-windows-1366x768.png"))
        dialog.close()
    finally:
        room.stop_voting()

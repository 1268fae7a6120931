"""Ctrl+Q, the window's close button and File › Close workshop ask first while phones are
connected (issue 24 item 8): "N phones are connected; quitting stops voting". The real vote
server's process, phones following the room over HTTP; the question goes through the dialog
service, so the test answers it."""

from __future__ import annotations

from PySide6.QtGui import QAction

from tests.ui.room_phones import Phone
from vbp_workshop.ui.main_window import MainWindow


def test_quitting_with_phones_connected_asks_first(demo_window: MainWindow, dialogs, qtbot) -> None:
    room = demo_window.view.room
    room.start_voting("127.0.0.1", host="127.0.0.1", port=0)
    phones = [Phone(room.server.port, demo_window.session.live.join_code) for _ in range(2)]
    try:
        for p in phones:
            p.follow()
        qtbot.waitUntil(lambda: room.connected_phones() == 2, timeout=10_000)
        dialogs.answers.append(1)  # "Keep voting"
        demo_window.findChild(QAction, "quit").trigger()  # Ctrl+Q
        kind, title, text = dialogs.shown[-1]
        assert (kind, title) == ("choose", "Phones are connected")
        assert text.startswith("2 phones are connected; quitting stops voting.")
        assert demo_window.isVisible() and demo_window.session is not None and room.voting
        dialogs.answers.append(1)
        demo_window.findChild(QAction, "close").trigger()  # File › Close workshop
        assert "closing the workshop stops voting" in dialogs.shown[-1][2]
        assert demo_window.session is not None and room.voting
        dialogs.answers.append(0)  # "Quit and stop voting"
        assert demo_window.close()  # the window's close button
        assert demo_window.session is None and not room.voting
    finally:
        for p in phones:
            p.stop()
        room.stop_voting()


def test_no_phone_connected_no_question(demo_window: MainWindow, dialogs) -> None:
    room = demo_window.view.room
    room.start_voting("127.0.0.1", host="127.0.0.1", port=0)  # voting on, nobody there
    assert demo_window.close()
    assert [s for s in dialogs.shown if s[0] == "choose"] == []

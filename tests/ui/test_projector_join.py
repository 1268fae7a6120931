"""The projector's join panel: the address and code in large type beside the QR code, whole, for
phones that cannot scan (1024×768 and 1920×1080, a real window offscreen, the real server)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from vbp_workshop.ui.main_window import MainWindow


@pytest.mark.parametrize(("width", "height"), [(1024, 768), (1920, 1080)])
def test_address_and_code_in_large_type_whole_beside_the_qr(demo_window: MainWindow, width: int,
                                                            height: int) -> None:
    room: Any = demo_window.view.room
    projector = room.open_projector()
    room.start_voting("192.168.137.1", host="127.0.0.1", port=0)  # a port the system chooses: no race with other runs
    try:
        projector.resize(width, height)
        for _ in range(10):
            QApplication.processEvents()
        scale = min(width / 1024, height / 768)
        address, code, qr = projector.address, projector.code, projector.qr
        assert address.text() == f"192.168.137.1:{room.server.port}" and code.text() == room.session.live.join_code
        assert address.fontInfo().pixelSize() >= 26 * scale  # was 20 px at 1024×768
        assert code.fontInfo().pixelSize() >= 48 * scale
        for label in (address, code):
            assert label.isVisible() and label.width() >= label.sizeHint().width()  # never cut
            right = label.mapTo(projector, label.rect().topRight()).x()
            assert right <= projector.width()
        top = qr.mapTo(projector, qr.rect().topLeft()).y()
        assert qr.isVisible() and top > code.mapTo(projector, code.rect().topLeft()).y()
    finally:
        room.stop_voting()

"""The facilitator's phone-voting controls: on/off, which address, the join code and QR."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from vbp_workshop.core.model.changes import Changes
from vbp_workshop.core.polls import queries
from vbp_workshop.server.network import local_addresses
from vbp_workshop.ui.projector.room import LiveRoom, qr_png
from vbp_workshop.ui.projector.room_stats import RoomStatsLabel
from vbp_workshop.ui.shared.dialogs import DialogService
from vbp_workshop.ui.shared.flow import FlowLayout
from vbp_workshop.ui.shared.labels import plain_label

TROUBLESHOOTING = """If phones cannot open the join address:

• Phones and this laptop must be on the same network. Guest Wi-Fi often keeps devices apart \
("client isolation"): switch on your phone's hotspot, join the laptop to it, and ask participants \
to join it too (or use a small travel router).
• The first time voting starts, your operating system may ask whether to allow incoming \
connections: allow them on private networks.
• Pick the address of the network the phones are on in the address list (Wi-Fi is listed first).
• Nothing needs the internet: the phones talk only to this laptop.
• You can always count hands instead: every poll has "Hand count…", and hand counts and phone votes add up."""


class VotingBar(QWidget):
    def __init__(self, room: LiveRoom, dialogs: DialogService) -> None:
        super().__init__()
        self.room, self.dialogs = room, dialogs
        lay = FlowLayout(self)
        self.toggle = QPushButton("Start phone voting")
        self.toggle.setObjectName("voting_toggle")
        self.toggle.setCheckable(True)
        self.toggle.clicked.connect(self._toggle)
        self.address = QComboBox()
        self.address.setObjectName("address")
        self.address.setToolTip("The address phones use: pick the network the room is on")
        for name, ip in local_addresses():
            self.address.addItem(f"{ip}  ({name})" if name else ip, ip)
        self.address.currentIndexChanged.connect(lambda _i: room.set_address(self.address.currentData()))
        self.join = QLabel("")
        self.join.setObjectName("join_label")
        self.join.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.joined = QLabel("")
        self.joined.setObjectName("joined_label")
        qr = QPushButton("QR")
        qr.setToolTip("Show the join QR code")
        qr.clicked.connect(self.show_qr)
        help_ = QPushButton("?")
        help_.setToolTip("Phones cannot connect?")
        help_.setFixedWidth(30)
        help_.clicked.connect(lambda: dialogs.info("Phone voting: troubleshooting", TROUBLESHOOTING))
        projector = QPushButton("Projector")
        projector.setObjectName("projector_button")
        projector.setToolTip("Open the projector window (F5)")
        projector.clicked.connect(room.open_projector)
        self.stats = RoomStatsLabel(room)  # join rate, live connections, refusals
        for w in (self.toggle, self.address, self.join, self.joined, self.stats, qr, help_, projector):
            lay.addWidget(w)
        self.devices = 0
        room.voting_changed.connect(self.refresh)
        room.voting_lost.connect(self._lost)
        room.session.changed.connect(self._on_changed)
        self.refresh(room.voting)

    def _toggle(self) -> None:
        if self.room.voting:
            self.room.stop_voting()
            return
        try:
            self.room.start_voting(self.address.currentData() or "127.0.0.1")
        except OSError as exc:
            self.dialogs.error("Phone voting could not start", f"{exc}\n\n{TROUBLESHOOTING}")
        self.refresh(self.room.voting)

    def _on_changed(self, changes: Changes) -> None:
        if changes.event == "join":  # one record per drain, however many phones joined in it
            self.devices = queries.joined_devices(self.room.session.store)
            self.joined.setText(f"· {self.devices} joined")

    def _lost(self, message: str) -> None:
        self.dialogs.error("Phone voting stopped", message)

    def refresh(self, on: bool) -> None:
        self.toggle.setChecked(on)
        self.toggle.setText("Stop phone voting" if on else "Start phone voting")
        code = self.room.session.live.join_code
        self.join.setText(f"{self.room.join_url()}  code {code}" if on else "Phones: off")

    def show_qr(self) -> None:
        url = self.room.join_url()
        if not url:
            self.dialogs.info("Phone voting is off", "Start phone voting first.")
            return
        dialog = QDialog(self)
        dialog.setWindowTitle("Join on your phone")
        lay = QVBoxLayout(dialog)
        pix = QPixmap()
        pix.loadFromData(qr_png(f"{url}?c={self.room.session.live.join_code}"), "PNG")
        img = QLabel()
        img.setPixmap(pix)
        lay.addWidget(img)
        lay.addWidget(plain_label(f"{url}\ncode {self.room.session.live.join_code}"))
        dialog.exec()

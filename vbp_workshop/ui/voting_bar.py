"""The facilitator's phone-voting controls: on/off, which address, the join code and QR."""

from __future__ import annotations

import sys
import threading
import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from vbp_workshop.core.model.changes import Changes
from vbp_workshop.core.model.poll import BallotError
from vbp_workshop.core.model.words import plural
from vbp_workshop.core.polls import queries
from vbp_workshop.server import network
from vbp_workshop.server.network import DEFAULT_PORT, Offer, PortBusy
from vbp_workshop.ui.join_help import JoinHelpDialog
from vbp_workshop.ui.polls.live_actions import close_and_record
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
NO_PHONES_S = 90  # voting on this long and no phone joined: offer "No phones yet? What to check"


class VotingBar(QWidget):
    def __init__(self, room: LiveRoom, dialogs: DialogService) -> None:
        super().__init__()
        self.room, self.dialogs = room, dialogs
        lay = FlowLayout(self)
        self.toggle = QPushButton("Start phone voting")
        self.toggle.setObjectName("voting_toggle")
        self.toggle.setCheckable(True)
        self.toggle.clicked.connect(self._toggle)
        self.port = DEFAULT_PORT  # the port phones are usually given (tests set another)
        self.host = "0.0.0.0"  # where the server listens: every network (tests: 127.0.0.1 only)
        self.address = QComboBox()
        self.address.setObjectName("address")
        self.address.setToolTip("The address phones use: pick the network the room is on")
        self.address.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.address.currentIndexChanged.connect(self._address_chosen)
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setObjectName("address_refresh")
        self.refresh_button.setToolTip("Read the laptop's networks again (after switching to a hotspot)")
        self.refresh_button.clicked.connect(self._refresh_clicked)
        self._descriptions: dict[str, str] = {}
        self.refresh_addresses()
        self._describe_in_background()
        self.join = QLabel("")
        self.join.setObjectName("join_label")
        self.join.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.joined = QLabel("")
        self.joined.setObjectName("joined_label")
        qr = QPushButton("QR")
        qr.setToolTip("Show the join QR code")
        qr.clicked.connect(self.show_qr)
        help_ = QPushButton("?")
        help_.setToolTip("Phones cannot connect? What to check, and a test with your own phone")
        help_.setFixedWidth(30)
        help_.clicked.connect(self.show_join_help)
        self.no_phones = QPushButton("No phones yet? What to check")
        self.no_phones.setObjectName("no_phones")
        self.no_phones.clicked.connect(self.show_join_help)
        self.no_phones.hide()
        self.join_help: JoinHelpDialog | None = None
        projector = QPushButton("Projector")
        projector.setObjectName("projector_button")
        projector.setToolTip("Open the projector window (F5)")
        projector.clicked.connect(room.open_projector)
        self.stats = RoomStatsLabel(room)  # join rate, live connections, refusals
        for w in (self.toggle, self.address, self.refresh_button, self.join, self.joined, self.no_phones, self.stats,
                  qr, help_, projector):
            lay.addWidget(w)
        self.devices = 0
        self.joins_this_start = 0
        self._started_at = 0.0
        self._no_phones_timer = QTimer(self)
        self._no_phones_timer.setInterval(1000)
        self._no_phones_timer.timeout.connect(self._check_no_phones)
        room.connected.connect(self._on_connected)
        room.session.changed.connect(self._on_changed)  # joins: the "No phones yet?" offer
        room.voting_changed.connect(self.refresh)
        room.voting_lost.connect(self._lost)
        self.refresh(room.voting)

    # -- the address -------------------------------------------------------------------------

    def refresh_addresses(self, descriptions: dict[str, str] | None = None) -> list[Offer]:
        """Read the adapters again (milliseconds, no name look-up): keep the chosen address if it is
        still there, else take the best one; phones are told at once if voting is on."""
        if descriptions is not None:
            self._descriptions = descriptions
        found = network.offers(self._descriptions)
        chosen = self.address.currentData()
        self.address.blockSignals(True)
        self.address.clear()
        for o in found:
            self.address.addItem(o.label, o.address)
            self.address.setItemData(self.address.count() - 1, f"{o.kind}: {o.reason}", Qt.ItemDataRole.ToolTipRole)
        at = self.address.findData(chosen) if chosen else -1
        self.address.setCurrentIndex(max(0, at))
        self.address.blockSignals(False)
        if self.address.currentData() != chosen:
            self._address_chosen()
        self.offers = found
        return found

    def _refresh_clicked(self) -> None:
        self.refresh_addresses()
        self._describe_in_background()

    def _address_chosen(self, _index: int = 0) -> None:
        if self.room.voting and self.address.currentData():
            self.room.set_address(self.address.currentData())

    def _describe_in_background(self) -> None:
        """Windows: adapters' descriptions tell a VPN that Windows calls "Ethernet 3" (getmac takes a
        moment: a plain thread, picked up by a timer)."""
        if sys.platform != "win32":
            return
        got: list[dict[str, str]] = []
        threading.Thread(target=lambda: got.append(network.windows_descriptions()), daemon=True).start()
        timer = QTimer(self)

        def collect() -> None:
            if got:
                timer.stop()
                timer.deleteLater()
                if got[0]:
                    self.refresh_addresses(got[0])

        timer.timeout.connect(collect)
        timer.start(200)

    # -- voting on and off ---------------------------------------------------------------------

    def _toggle(self) -> None:
        if self.room.voting:
            if self.may_stop():
                self.room.stop_voting()
            self.refresh(self.room.voting)
            return
        self.start()
        self.refresh(self.room.voting)

    def start(self, other_port: bool = False) -> None:
        address = self.address.currentData() or "127.0.0.1"
        try:
            self.room.start_voting(address, host=self.host, port=self.port, other_port=other_port)
        except PortBusy as exc:
            self._port_busy(exc.port)
        except OSError as exc:
            self.dialogs.error("Phone voting could not start", f"{exc}\n\n{TROUBLESHOOTING}")

    def _port_busy(self, port: int) -> None:
        """A second VBP Workshop on this laptop (or another program) holds the phones' usual port:
        say so, and move only if the facilitator says so (phones must then scan this QR code)."""
        if network.serving_vbp(port):
            text = (f"Another VBP Workshop window on this laptop is already serving phones (port {port}). "
                    "Phones that scanned its QR code reach that window, not this one.\n\n"
                    "Stop phone voting in the other window, then start it here. Or serve this workshop on "
                    "another port: phones must then scan this window's QR code.")
        else:
            text = (f"Another program on this laptop is using port {port}, the port phones are usually given.\n\n"
                    "Close that program, or serve on another port: phones must then scan this window's QR code.")
        if self.dialogs.choose("Phone voting: the usual port is taken", text, ["Serve on another port"]) == 0:
            self.start(other_port=True)

    def _on_changed(self, changes: Changes) -> None:
        if changes.event == "join":  # one record per drain, however many phones joined in it
            self.devices = queries.joined_devices(self.room.session.store)
            self.joins_this_start += 1
            self._check_no_phones()

    def _check_no_phones(self) -> None:
        waited = time.monotonic() - self._started_at
        show = self.room.voting and self.joins_this_start == 0 and waited >= NO_PHONES_S
        self.no_phones.setVisible(show)

    def show_join_help(self) -> JoinHelpDialog:
        if self.join_help is not None:
            self.join_help.close()
            self.join_help.deleteLater()
        self.join_help = JoinHelpDialog(self.room, self, self.room.server.port if self.room.voting else self.port)
        self.join_help.open()
        return self.join_help

    def may_stop(self) -> bool:
        """Stopping phone voting mid-poll asks what becomes of the open poll: closed now, or left
        open (phones vote again when voting restarts; hands can be counted meanwhile)."""
        session = self.room.session
        poll = next((p for p in queries.polls(session.store) if p.is_open), None)
        if poll is None:
            return True
        answer = self.dialogs.choose(
            "Stop phone voting?",
            f"“{poll.question}” is open. While phone voting is off, no phone can answer it.\n\n"
            "Close the poll now, or leave it open: phones can answer it again when you start phone "
            "voting again, and you can count hands meanwhile.",
            ["Close the poll and stop", "Stop and leave it open"], default=0)
        if answer is None:
            return False
        if answer == 0:
            try:
                close_and_record(session, poll.id)
            except BallotError as exc:
                self.dialogs.error("The poll could not be closed", str(exc))
                return False
        return True

    def _on_connected(self, phones: int) -> None:
        """Phones following the room now, not every phone that ever joined (some have left)."""
        self.joined.setText(f"· {plural(phones, 'phone')} connected" if self.room.voting else "")

    def _lost(self, message: str) -> None:
        self.dialogs.error("Phone voting stopped", message)

    def refresh(self, on: bool) -> None:
        was_on = self._no_phones_timer.isActive()
        self.toggle.setChecked(on)
        self.toggle.setText("Stop phone voting" if on else "Start phone voting")
        code = self.room.session.live.join_code
        text = f"{self.room.join_url()}  code {code}" if on else "Phones: off"
        if on and self.room.moved_from:
            text += f"  · not the usual port ({self.room.moved_from}): phones must scan this window's QR code"
        self.join.setText(text)
        if on and not was_on:
            self._started_at = time.monotonic()
            self.joins_this_start = 0
            self._no_phones_timer.start()
        elif not on:
            self._no_phones_timer.stop()
        self._check_no_phones()

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

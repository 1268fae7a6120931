"""The room: phone voting (server on/off, join address, QR), the projector and the timer.

The room follows the workshop's change records: wherever a poll is opened from (the poll panel,
a rule's consent vote), the "open" record puts it on the projector; votes from phones redraw the
projected poll; a new join code reaches the projector and the voting bar.
"""

from __future__ import annotations

import io
import queue
import secrets
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from vbp_workshop.core.model.changes import JOIN_CODE, OPENED, PHONE, Changes
from vbp_workshop.core.operations import live as live_ops
from vbp_workshop.core.polls import queries
from vbp_workshop.server.network import DEFAULT_PORT
from vbp_workshop.ui.session import Session
from vbp_workshop.ui.shared.timer import Countdown


def qr_png(url: str) -> bytes:
    import segno  # only when voting starts: keeps start-up light

    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="png", scale=10, border=2)
    return buf.getvalue()


class LiveRoom(QObject):
    voting_changed = Signal(bool)
    projected = Signal(object)  # Poll | None
    voting_lost = Signal(str)  # the vote server's process ended by itself, and what to do
    connected = Signal(int)  # phones following the room now (checked every second while voting)

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.countdown = Countdown(self)
        self.projector: Any = None
        self.server: Any = None
        self.address = ""
        self.moved_from = 0  # the usual port, when it was taken and voting serves on another
        self._code_fresh = False
        self.poll_id: int | None = None
        self.activity = ""
        self.phones = 0  # phones connected at the last check
        session.changed.connect(self._on_changed)
        # The vote server runs in its own process: if it ends by itself (killed, out of memory),
        # the facilitator is told at once rather than finding out from the room.
        self._watch = QTimer(self)
        self._watch.setInterval(1000)
        self._watch.timeout.connect(self._check_server)

    # -- projector --------------------------------------------------------------------------

    def open_projector(self) -> Any:
        from vbp_workshop.ui.projector.window import ProjectorWindow

        if self.projector is None:
            self.projector = ProjectorWindow(self.session, self.countdown)
            self.projector.set_activity(self.activity)
            self.projector.set_connected(self.phones)
            self._push_join()
            if self.poll_id:
                self.projector.show_poll(queries.get_poll(self.session.store, self.poll_id))
        self.projector.place()
        return self.projector

    def show_poll(self, poll_id: int | None) -> None:
        self.poll_id = poll_id
        poll = queries.get_poll(self.session.store, poll_id) if poll_id else None
        if self.projector is not None:
            self.projector.show_poll(poll)
        self.projected.emit(poll)

    def set_split(self, poll_id: int, on: bool) -> None:
        """Show the projected poll's result per stakeholder group (the facilitator's toggle)."""
        if self.projector is not None and poll_id == self.poll_id:
            self.projector.split = on
            self.projector.by_sector = False
            self.projector.refresh()

    def set_sector_split(self, poll_id: int, on: bool) -> None:
        """Show the projected poll's result per sector, NHS vs industry first (the toggle)."""
        if self.projector is not None and poll_id == self.poll_id:
            self.projector.split = self.projector.by_sector = on
            self.projector.refresh()

    def set_compare(self, poll_id: int, on: bool) -> None:
        """Show every round of the projected poll side by side (the facilitator's toggle)."""
        if self.projector is not None and poll_id == self.poll_id:
            self.projector.compare = on
            self.projector.refresh()

    def set_activity(self, title: str) -> None:
        """The agenda item being timed, shown beside the timer on the projector."""
        self.activity = title
        if self.projector is not None:
            self.projector.set_activity(title)

    def show_summary(self, html: str) -> None:
        self.open_projector().show_summary(html)

    def _on_changed(self, changes: Changes) -> None:
        if changes.event == OPENED:
            store = self.session.store
            opened = [p for p in sorted(changes.ids_in("polls"))
                      if (store.row("polls", p) or {}).get("state") == "open"]
            if opened and opened[0] != self.poll_id:
                self.show_poll(opened[0])  # one path: the projector shows what was opened
                return
        if changes.event == JOIN_CODE:
            if self.server is not None:
                self.server.sync()  # the server's process checks joins against the new code
            self._push_join()
            self.voting_changed.emit(self.voting)
        if self.projector is None:
            return
        if changes.origin == PHONE:
            if self.poll_id in changes.polls or changes.touches("devices"):
                self.projector.refresh()
        elif changes.touches("polls", "ballots", "workshop", "rules", "ambitions"):  # a consent poll's statement too
            if self.poll_id and not self.session.store.row("polls", self.poll_id):
                self.poll_id = None
                self.projector.show_poll(None)
            self.projector.refresh()

    # -- phone voting ---------------------------------------------------------------------------

    @property
    def voting(self) -> bool:
        return self.server is not None and self.server.running

    def join_url(self) -> str:
        if not self.voting:
            return ""
        return f"http://{self.address}:{self.server.port}/"

    def start_voting(self, address: str, host: str = "0.0.0.0", port: int = DEFAULT_PORT,
                     other_port: bool = False) -> str:
        """Start the vote server in its own process; returns the join address. Raises OSError
        with a reason. The server's process stores the ballots; this one drains their notices.

        `port` taken (another VBP Workshop on this laptop serves phones there): PortBusy, unless
        `other_port`, when the next free port is used (phones must scan this window's QR code)."""
        from vbp_workshop.core.intake.ideas import room as ideas_room
        from vbp_workshop.server.process import ServerProcess

        if self.voting:
            return self.join_url()
        if not self._code_fresh:  # a code is good for one sitting: last session's may have left the room
            if not queries.same_sitting(self.session.store):  # the app restarted mid-sitting: keep it
                self.new_join_code()
                # Phones forget what they kept from another sitting (a practice run, yesterday's
                # session); stopping and starting again within this one keeps answers not sent yet.
                self.session.live.new_sitting()
            self._code_fresh = True
        session = self.session
        ideas = ideas_room(session.live, session.store.path)
        self.server = ServerProcess(session.live, session.store.path, host=host, port=port,
                                    ideas_live=ideas.live, ideas_notices=ideas.writer.notices,
                                    port_tries=10 if other_port else 1)
        try:
            self.server.start()
        except OSError:
            self.server = None
            raise
        session.listen(self.server.notices)
        self._watch.start()
        # Serving elsewhere than asked (the facilitator agreed): the voting bar says so.
        self.moved_from = port if port and self.server.port != port else 0
        self.address = address
        self._push_join()
        self.voting_changed.emit(True)
        return self.join_url()

    # -- "Test with my phone" -------------------------------------------------------------------

    def start_selftest(self) -> str:
        """A one-off address for the facilitator's own phone (a test QR code); what happens to it
        comes from `selftest_events`. Voting must be on."""
        if not self.voting:
            raise OSError("Start phone voting first.")
        token = secrets.token_urlsafe(12)
        self.server.selftest(token)
        return f"{self.join_url()}selftest/{token}"

    def selftest_events(self) -> list[dict[str, Any]]:
        """The test page's events since last asked ("page": it loaded; "done": with rtt_ms)."""
        out: list[dict[str, Any]] = []
        events = getattr(self.server, "selftest_events", None)
        while events is not None:
            try:
                out.append(events.get_nowait())
            except queue.Empty:
                break
        return out

    def connected_phones(self) -> int:
        """Phones following the room now (an open event stream each), from the server's report of
        the last second; 0 when phone voting is off."""
        return int(self.server.server_stats().get("phones_connected", 0)) if self.voting else 0

    def _tell_connected(self, phones: int) -> None:
        if phones != self.phones:
            self.phones = phones
            if self.projector is not None:
                self.projector.set_connected(phones)
            self.connected.emit(phones)

    def _check_server(self) -> None:
        self._tell_connected(self.connected_phones())
        if self.server is None or self.server.running:
            return
        self.stop_voting()  # drains what it sent before it ended
        self.voting_lost.emit("Phone voting stopped unexpectedly. Every vote the phones were told "
                              "was received is saved. Start phone voting again: phones that had "
                              "joined reconnect by themselves.")

    def stop_voting(self) -> None:
        self._watch.stop()
        if self.server is not None:
            self.server.stop()  # every ballot it acknowledged is on disk and its notice queued
            self.server = None
        self.session.stop_writer()
        self._push_join()
        self._tell_connected(0)
        self.voting_changed.emit(False)

    def new_join_code(self) -> str:
        """A fresh code (if the old one spread beyond the room); joined phones stay joined.

        The operation's change record tells the projector and the voting bar."""
        return live_ops.rotate_join_code(self.session.store, self.session.live)

    def set_address(self, address: str) -> None:
        self.address = address
        self._push_join()
        self.voting_changed.emit(self.voting)

    def _push_join(self) -> None:
        if self.projector is None:
            return
        url = self.join_url()
        code = self.session.live.join_code
        self.projector.set_join(url, code, qr_png(f"{url}?c={code}") if url else None)

    def shutdown(self) -> None:
        self.countdown.reset()
        self.stop_voting()
        if self.projector is not None:
            self.projector.close()
            self.projector.deleteLater()
            self.projector = None

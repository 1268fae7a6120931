"""The room at a glance for the facilitator: join rate, live connections and refusals.

Reads the vote server's own snapshot every two seconds (a plain dict, taken under the server's
lock), so a flood of joins from one address, or phones turned away, is visible while it happens.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel

from vbp_workshop.ui.projector.room import LiveRoom

REFUSALS = {"join": "joins refused (too many new phones from one network)",
            "stream_capacity": "live connections refused (laptop at capacity; votes still accepted)",
            "stream_device": "live connections refused (too many from one phone)",
            "stream_address": "live connections refused (too many from one network)",
            "host": "requests for another address refused"}


def describe(stats: dict[str, Any]) -> tuple[str, str, bool]:
    """(label text, tooltip, whether to draw attention) for a server snapshot."""
    if not stats:
        return "", "", False
    refused = sum(stats["refused"].values())
    text = f"· {stats['joins_last_min']} joins/min · {stats['open_streams']} live"
    if refused:
        text += f" · {refused} refused"
    lines = [f"Phones joined: {stats['joins_total']} ({stats['joins_last_min']} in the last minute) "
             f"from {stats['addresses']} network address(es)",
             f"Live connections: {stats['open_streams']} of {stats['stream_budget']} this laptop can hold"]
    if stats["devices_by_address"]:
        lines.append("Most phones per address:")
        lines += [f"   {addr or '?'}: {n}" for addr, n in stats["devices_by_address"]]
    lines += [f"{n} {REFUSALS.get(kind, kind)}" for kind, n in sorted(stats["refused"].items()) if n]
    return text, "\n".join(lines), refused > 0


class RoomStatsLabel(QLabel):
    def __init__(self, room: LiveRoom) -> None:
        super().__init__("")
        self.setObjectName("room_stats")
        self.room = room
        self._timer = QTimer(self)
        self._timer.setInterval(2000)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        room.voting_changed.connect(self._voting_changed)  # a method: disconnected when this label goes

    def _voting_changed(self, _on: bool) -> None:
        self.refresh()

    def refresh(self) -> None:
        server = self.room.server if self.room.voting else None
        text, tip, alarm = describe(server.server_stats() if server is not None else {})
        self.setText(text)
        self.setToolTip(tip)
        self.setStyleSheet("color: #b00020; font-weight: bold;" if alarm else "")

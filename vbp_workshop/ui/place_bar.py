"""The bar above a workshop whose file is in a synced or network folder: what VBP Workshop does
about it (a local copy, saved back after each change) and whether the last change has arrived."""

from __future__ import annotations

import time
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel

from vbp_workshop.core.file.keeper import RETRY_S, MirrorState


def _when(stamp: float | None) -> str:
    return datetime.fromtimestamp(stamp).strftime("%H:%M:%S") if stamp else ""


class PlaceBar(QFrame):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("place_bar")
        self.setProperty("class", "placeBar")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(10, 6, 10, 6)
        self.label = QLabel()
        self.label.setObjectName("place_text")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.label, 1)
        self._failing = False

    def text_for(self, status: MirrorState) -> str:
        place, name = status.place, status.target.name
        where = f"“{name}” is in {place.name}" if place.synced else f"“{name}” is on {place.name}"
        why = ("so the sync never picks up a half-written file" if place.synced
               else "so a dropped connection loses nothing")
        what = (f"{where}: VBP Workshop works on a copy on this laptop and saves it back there a couple of "
                f"seconds after each change and when you close the workshop, {why}.")
        if status.error:
            since = f" since {_when(status.mirrored_at)}" if status.mirrored_at else ""
            return (f"Not saved to {place.name}{since}: {status.error}. Nothing is lost: every change is kept "
                    f"on this laptop in {status.local}. Trying again every {RETRY_S:.0f} seconds.")
        if status.pending:
            return f"{what} Saving…"
        if status.mirrored_at:
            return f"{what} Last saved there at {_when(status.mirrored_at)}."
        return what

    def short_text(self, status: MirrorState) -> str:
        """For the status bar."""
        if status.error:
            return f"Kept on this laptop; not yet saved to {status.place.name}"
        if status.pending:
            return f"Saving to {status.place.name}…"
        return f"Every change is saved to {status.target.name} in {status.place.name}"

    def show_status(self, status: MirrorState) -> None:
        text = self.text_for(status)
        if text != self.label.text():
            self.label.setText(text)
            self.label.setToolTip(str(status.target))
        failing = bool(status.error)
        if failing != self._failing:  # the colour follows the state (style.qss: placeBar[failing])
            self._failing = failing
            self.setProperty("failing", failing)
            self.style().unpolish(self)
            self.style().polish(self)
        self.setProperty("checked_at", time.time())

"""The start screen: new workshop, open, recent workshops, the demo."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from vbp_workshop import __version__
from vbp_workshop.ui.shared.labels import plain_label


class StartScreen(QWidget):
    new_requested = Signal()
    open_requested = Signal()
    demo_requested = Signal()
    recent_requested = Signal(str)

    def __init__(self, recent: list[str]) -> None:
        super().__init__()
        self.setObjectName("start")
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        col = QVBoxLayout()
        outer.addLayout(col, 2)
        outer.addStretch(1)
        col.addStretch(1)
        col.addWidget(plain_label("VBP Workshop", cls="hero"))
        col.addWidget(plain_label("Run a value-based partnership workshop: five steps, live votes "
                                  "from phones, the outcome in Excel. Everything stays on this "
                                  "laptop — no internet, no accounts, no cloud.", cls="hint"))
        buttons = QHBoxLayout()
        for name, text, signal in [("new", "New workshop…", self.new_requested),
                                   ("open", "Open…", self.open_requested),
                                   ("demo", "Open the demo workshop", self.demo_requested)]:
            b = QPushButton(text)
            b.setObjectName(f"start_{name}")
            b.setMinimumHeight(44)
            b.clicked.connect(signal.emit)
            buttons.addWidget(b)
        col.addLayout(buttons)
        col.addWidget(plain_label("Recent workshops", cls="section"))
        self.recent = QListWidget()
        self.recent.setObjectName("recent")
        for path in recent:
            item = QListWidgetItem(f"{Path(path).stem}    —    {path}")
            item.setData(Qt.ItemDataRole.UserRole, path)
            self.recent.addItem(item)
        if not recent:
            self.recent.addItem("No recent workshops yet.")
        self.recent.itemActivated.connect(self._open_recent)
        col.addWidget(self.recent, 2)
        col.addWidget(plain_label(f"Version {__version__}", cls="hint"))
        col.addStretch(1)

    def _open_recent(self, item: QListWidgetItem) -> None:
        path = item.data(Qt.ItemDataRole.UserRole)
        if path:
            self.recent_requested.emit(path)

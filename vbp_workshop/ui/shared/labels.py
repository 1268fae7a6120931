"""Labels: plain text that never renders markup, a check line, an info note."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QStyle,
    QWidget,
)


def plain_label(text: str = "", *, wrap: bool = True, cls: str = "") -> QLabel:
    """A QLabel that never interprets rich text: participant text must not become markup."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    label.setText(text)
    if cls:
        label.setProperty("class", cls)
    return label


class CheckText(QLabel):
    """The wrapping text of a check box (a QCheckBox's own text never wraps): clicking it ticks
    the box, as clicking a check box's text does."""

    def __init__(self, text: str, box: QCheckBox) -> None:
        super().__init__()
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setText(text)
        self.setBuddy(box)
        self._box = box

    def mouseReleaseEvent(self, event: Any) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self._box.toggle()
        super().mouseReleaseEvent(event)


def info_note(text: str, name: str = "") -> QWidget:
    """A note with the platform's information icon (a drawn icon: no font lacks it)."""
    note = QFrame()
    note.setProperty("class", "note")
    if name:
        note.setObjectName(name)
    lay = QHBoxLayout(note)
    lay.setContentsMargins(6, 4, 6, 4)
    icon = QLabel()
    size = note.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
    icon.setPixmap(note.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation).pixmap(size, size))
    lay.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
    label = plain_label(text)
    lay.addWidget(label, 1)
    note.text = label  # type: ignore[attr-defined]
    return note

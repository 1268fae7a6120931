"""A scroll area that scrolls up and down only, and a helper that wraps a widget in one."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QFrame,
    QScrollArea,
    QWidget,
)


class VerticalScroll(QScrollArea):
    """Tall content scrolls up and down, never sideways: the area is as wide as its content needs
    (so nothing is clipped) but only a little tall (so a 720-pixel screen reaches all of it)."""

    def __init__(self, content: QWidget) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(content)

    def minimumSizeHint(self) -> QSize:
        content = self.widget()
        need = content.minimumSizeHint().expandedTo(content.minimumSize()) if content else QSize()
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(need.width() + bar, min(need.height(), 120))

    def sizeHint(self) -> QSize:
        content = self.widget()
        return content.sizeHint() + QSize(self.verticalScrollBar().sizeHint().width(), 0) if content \
            else super().sizeHint()


def scrolling(content: QWidget) -> VerticalScroll:
    return VerticalScroll(content)

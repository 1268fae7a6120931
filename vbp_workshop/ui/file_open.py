"""macOS opens a document by an event, not by the command line: double-clicking a `.vbpw` in
Finder (or dropping it on the Dock icon) sends the running app a `QFileOpenEvent`, also the
first time, when the app is started for it. An event filter on the application hands each to
the window."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFileOpenEvent


class FileOpenFilter(QObject):
    def __init__(self, open_path: Callable[[str], object], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._open_path = open_path

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FileOpen and isinstance(event, QFileOpenEvent):
            path = event.file() or event.url().toLocalFile()
            if path:
                self._open_path(path)
                return True
        return super().eventFilter(watched, event)

"""Typed, versioned application settings over QSettings (window geometry, recent files).

Workshop data never lives here: only in the workshop file.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

VERSION = 1
MAX_RECENT = 8


class Settings:
    def __init__(self, qsettings: QSettings | None = None) -> None:
        self.q = qsettings or QSettings("VBP Workshop", "VBP Workshop")
        if int(str(self.q.value("settings_version", 0) or 0)) < VERSION:
            self._upgrade()

    def _upgrade(self) -> None:
        # Version 1 is the first: nothing to carry over yet, only the marker to write.
        self.q.setValue("settings_version", VERSION)

    @property
    def geometry(self) -> QByteArray | None:
        value = self.q.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self.q.setValue("window/geometry", value)

    @property
    def recent(self) -> list[str]:
        value = self.q.value("recent_files", [])
        items = [value] if isinstance(value, str) else list(value) if isinstance(value, list | tuple) else []
        return [str(p) for p in items if Path(str(p)).exists()]

    def add_recent(self, path: Path) -> None:
        items = [str(path)] + [p for p in self.recent if p != str(path)]
        self.q.setValue("recent_files", items[:MAX_RECENT])

    @property
    def last_folder(self) -> str:
        """The folder of the last file chosen in an Open or Save dialog ("" before the first)."""
        return str(self.q.value("files/last_folder", "") or "")

    @last_folder.setter
    def last_folder(self, value: str) -> None:
        self.q.setValue("files/last_folder", value)

    def sync(self) -> None:
        self.q.sync()

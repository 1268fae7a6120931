"""Help › Show the log folder: the real window's menu opens the platform's log folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMenu

from tests.ui.test_export_menu import action
from vbp_workshop.logfile import log_dir
from vbp_workshop.ui.main_window import MainWindow


class Opened(QObject):
    """Takes the place of the file manager: Qt hands it every file:// URL the app opens."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


def test_help_shows_the_log_folder(window: MainWindow, tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "the logs é"
    monkeypatch.setenv("VBP_LOG_DIR", str(folder))
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Help")
    assert isinstance(help_menu, QMenu)
    item = action(window, "Show the log folder")
    assert item in help_menu.actions()
    opened = Opened()
    QDesktopServices.setUrlHandler("file", opened, "open")
    try:
        item.trigger()
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert [Path(u.toLocalFile()) for u in opened.urls] == [folder]
    assert folder.is_dir() and log_dir() == folder

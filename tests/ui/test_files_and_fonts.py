"""The desktop's conventions: file dialogs start in Documents (or the folder last used), never
the current directory; a .vbpw opened from Finder arrives as a QFileOpenEvent and opens; text
sizes follow the platform's default font, not fixed points (issue 19)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QStandardPaths
from PySide6.QtGui import QFileOpenEvent, QFont
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel

from vbp_workshop.core.steps.demo import build_demo
from vbp_workshop.core.steps.template import resource_path
from vbp_workshop.ui import style
from vbp_workshop.ui.file_open import FileOpenFilter
from vbp_workshop.ui.main_window import MainWindow
from vbp_workshop.ui.settings import Settings
from vbp_workshop.ui.shared.dialogs import DialogService


class Recorder:
    """Stands in for the native file dialogs: records where each started, answers `answer`."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.started: list[str] = []
        self.answer = ""
        monkeypatch.setattr(QFileDialog, "getOpenFileName", self._dialog)
        monkeypatch.setattr(QFileDialog, "getSaveFileName", self._dialog)
        monkeypatch.setattr(QFileDialog, "getExistingDirectory", self._folder)

    def _dialog(self, _parent: Any, _title: str, start: str, _filters: str) -> tuple[str, str]:
        self.started.append(start)
        return self.answer, ""

    def _folder(self, _parent: Any, _title: str, start: str) -> str:
        self.started.append(start)
        return self.answer


@pytest.fixture
def program_folder(tmp_path: Path) -> Path:
    """The current directory, as for an app started from its program folder (or "/" by Finder)."""
    folder = tmp_path / "Program Files" / "VBP Workshop"
    folder.mkdir(parents=True)
    old = Path.cwd()
    os.chdir(folder)
    yield folder
    os.chdir(old)


def test_open_and_save_start_in_documents_then_where_the_last_one_ended(
        qtbot, settings: Settings, monkeypatch: pytest.MonkeyPatch, program_folder: Path, tmp_path: Path) -> None:
    dialogs = DialogService(None, settings)
    recorder = Recorder(monkeypatch)
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    Path(documents).mkdir(parents=True, exist_ok=True)
    dialogs.open_file("Open a workshop", "*.vbpw")
    dialogs.save_file("New workshop", "workshop.vbpw", "*.vbpw")
    assert recorder.started == [documents, str(Path(documents) / "workshop.vbpw")]
    assert all(not s.startswith(str(program_folder)) and s not in ("", ".") for s in recorder.started)
    team = tmp_path / "Team drive" / "Workshops"
    team.mkdir(parents=True)
    recorder.answer = str(team / "Day one.vbpw")
    dialogs.open_file("Open a workshop", "*.vbpw")
    recorder.answer = ""
    dialogs.open_file("Open a workshop", "*.vbpw")
    dialogs.save_file("Save a copy as", "Day one copy.vbpw", "*.vbpw")
    assert recorder.started[-2:] == [str(team), str(team / "Day one copy.vbpw")]
    assert Settings(settings.q).last_folder == str(team)  # remembered for the next start


def test_the_window_gives_its_dialogs_the_settings(window: MainWindow, settings: Settings) -> None:
    assert window.dialogs.folders is settings


def test_a_workbook_of_the_demo_is_not_suggested_in_the_apps_own_folder(
        qtbot, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from vbp_workshop.ui.main_window import demo_folder

    dialogs = DialogService(None, settings)
    recorder = Recorder(monkeypatch)
    dialogs.save_file("Export", str(demo_folder() / "demo-1.xlsx"), "*.xlsx")
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    assert recorder.started == [str(Path(documents) / "demo-1.xlsx")]


def test_a_vbpw_opened_from_finder_opens(window: MainWindow, tmp_path: Path) -> None:
    """macOS sends a QFileOpenEvent to the application (double-click in Finder, the Dock)."""
    build_demo(tmp_path / "From Finder.vbpw").close()
    app = QApplication.instance()
    opener = FileOpenFilter(window.open_path, app)
    app.installEventFilter(opener)
    try:
        QApplication.sendEvent(app, QFileOpenEvent(str(tmp_path / "From Finder.vbpw")))
        assert window.session is not None and window.session.file == tmp_path / "From Finder.vbpw"
    finally:
        app.removeEventFilter(opener)


# -- font sizes -------------------------------------------------------------------------------------


def test_the_style_sheet_has_no_fixed_point_sizes() -> None:
    qss = re.sub(r"/\*.*?\*/", "", resource_path("style.qss").read_text("utf-8"), flags=re.DOTALL)
    assert not re.search(r"\d\s*pt\b", qss)
    assert re.search(r"font-size:\s*[\d.]+em", qss)


@pytest.mark.parametrize("platform_pt", [9.0, 13.0])  # Windows' Segoe UI, macOS's system font
def test_label_sizes_follow_the_platforms_default_font(qtbot, settings: Settings, tmp_path: Path,
                                                       platform_pt: float) -> None:
    app = QApplication.instance()
    old_font, old_sheet = app.font(), app.styleSheet()
    font = QFont(old_font)
    font.setPointSizeF(platform_pt)
    app.setFont(font)
    try:
        style.apply(app)
        window = MainWindow(settings)
        qtbot.addWidget(window)
        window.show()
        build_demo(tmp_path / "d.vbpw").close()
        assert window.open_path(tmp_path / "d.vbpw")
        page = window.view.show_page("setup")
        title = next(lab for lab in page.findChildren(QLabel) if lab.property("class") == "pageTitle")
        plain = next(lab for lab in page.findChildren(QLabel) if not lab.property("class"))
        assert title.font().pointSizeF() == pytest.approx(1.6 * platform_pt, abs=0.05)
        assert plain.font().pointSizeF() == pytest.approx(platform_pt, abs=0.05)
        window.close_workshop()
    finally:
        app.setStyleSheet(old_sheet)
        app.setFont(old_font)


def test_a_folder_for_the_demos_documents_starts_in_documents(
        qtbot, settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from vbp_workshop.ui.main_window import demo_folder

    dialogs = DialogService(None, settings)
    recorder = Recorder(monkeypatch)
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    Path(documents).mkdir(parents=True, exist_ok=True)
    dialogs.choose_folder("Export documents into a folder", str(demo_folder()))
    dialogs.choose_folder("Export documents into a folder", str(tmp_path))  # a workshop's own folder
    assert recorder.started == [documents, str(tmp_path)]
    recorder.answer = str(tmp_path)
    dialogs.choose_folder("Export documents into a folder", "")
    assert settings.last_folder == str(tmp_path)

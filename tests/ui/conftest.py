from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from vbp_workshop.core.steps.demo import build_demo
from vbp_workshop.ui.main_window import MainWindow
from vbp_workshop.ui.settings import Settings
from vbp_workshop.ui.shared.dialogs import ScriptedDialogs


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def dialogs() -> ScriptedDialogs:
    return ScriptedDialogs()


@pytest.fixture
def window(qtbot, settings: Settings, dialogs: ScriptedDialogs) -> Iterator[MainWindow]:
    win = MainWindow(settings, dialogs)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close_workshop()


@pytest.fixture
def demo_window(window: MainWindow, tmp_path: Path) -> MainWindow:
    build_demo(tmp_path / "demo.vbpw").close()
    assert window.open_path(tmp_path / "demo.vbpw")
    return window

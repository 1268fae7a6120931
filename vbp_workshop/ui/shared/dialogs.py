"""Every message box and file dialog the facilitator sees, behind one small service.

Tests replace `DialogService` with a scripted one so they never block on a modal dialog.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QStandardPaths, Qt, QThread
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)


def on_gui_thread() -> bool:
    app = QCoreApplication.instance()
    return app is not None and QThread.currentThread() is app.thread()


def message_box(kind: str, title: str, text: str, parent: QWidget | None = None) -> QMessageBox:
    """The box `error` and `info` show (also built by the screenshot tool, so they match)."""
    icon = QMessageBox.Icon.Warning if kind == "error" else QMessageBox.Icon.Information
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName(f"message_{kind}")
    return box


class FolderMemory(Protocol):
    """Where the last Open or Save dialog ended (the app's settings)."""

    last_folder: str


def documents_folder() -> str:
    """The user's Documents folder (on Windows the one OneDrive may have moved), else home."""
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return docs if docs and Path(docs).is_dir() else str(Path.home())


def _app_folder() -> str:
    """The app's own data folder (where the demo copies are): never a place to suggest."""
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericDataLocation)
    return os.path.normcase(str(Path(base) / (QCoreApplication.applicationName() or "VBP Workshop"))) if base else ""


class DialogService:
    def __init__(self, parent: QWidget | None = None, folders: FolderMemory | None = None) -> None:
        self.parent = parent
        self.folders = folders

    def start_folder(self) -> str:
        """Where Open, New and Save dialogs start: the folder last used, else Documents; never the
        current directory (the program's folder on Windows, "/" when started from Finder)."""
        last = self.folders.last_folder if self.folders is not None else ""
        return last if last and Path(last).is_dir() else documents_folder()

    def start_path(self, suggested: str) -> str:
        """A Save dialog's starting file: `suggested` as a name in the start folder, or as a path
        kept if it names a folder of the user's (a workshop's own folder, not the app's data)."""
        if not suggested:
            return self.start_folder()
        path = Path(suggested)
        folder = os.path.normcase(str(path.parent))
        app = _app_folder()
        if path.is_absolute() and path.parent.is_dir() and not (app and folder.startswith(app)):
            return suggested
        return str(Path(self.start_folder()) / path.name)

    def remember(self, chosen: str) -> str:
        if chosen and self.folders is not None:
            self.folders.last_folder = str(Path(chosen).parent)
        return chosen

    def error(self, title: str, text: str) -> None:
        message_box("error", title, text, self.parent).exec()

    def info(self, title: str, text: str) -> None:
        message_box("info", title, text, self.parent).exec()

    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self.parent, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def choose(self, title: str, text: str, options: list[str], default: int = 0) -> int | None:
        """Index of the option pressed (Enter presses `default`), or None when dismissed."""
        box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton,
                          self.parent)
        buttons = [box.addButton(o, QMessageBox.ButtonRole.AcceptRole) for o in options]
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(buttons[default])
        box.exec()
        clicked = box.clickedButton()
        return buttons.index(clicked) if clicked in buttons else None

    def checklist(self, title: str, text: str, items: list[str], ok: str) -> list[int] | None:
        """Indexes of the items ticked (none ticked at first) when `ok` is pressed; None on Cancel."""
        dialog = QDialog(self.parent)
        dialog.setWindowTitle(title)
        lay = QVBoxLayout(dialog)
        label = QLabel(text)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        body = QWidget()
        blay = QVBoxLayout(body)
        blay.addWidget(label)
        boxes = []
        for item in items:
            box = QCheckBox(item)
            boxes.append(box)
            blay.addWidget(box)
        blay.addStretch(1)
        area = QScrollArea()  # a long list of problems scrolls; the buttons stay in view
        area.setWidgetResizable(True)
        area.setWidget(body)
        lay.addWidget(area, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(ok, QDialogButtonBox.ButtonRole.AcceptRole).setDefault(True)
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        lay.addWidget(buttons)
        dialog.resize(560, 420)
        if not dialog.exec():
            return None
        return [i for i, box in enumerate(boxes) if box.isChecked()]

    def open_file(self, title: str, filters: str) -> str:
        return self.remember(QFileDialog.getOpenFileName(self.parent, title, self.start_folder(), filters)[0])

    def save_file(self, title: str, suggested: str, filters: str) -> str:
        return self.remember(QFileDialog.getSaveFileName(self.parent, title, self.start_path(suggested), filters)[0])

    def choose_folder(self, title: str, suggested: str) -> str:
        return QFileDialog.getExistingDirectory(self.parent, title, suggested)

    def text(self, title: str, label: str, value: str = "") -> str | None:
        text, ok = QInputDialog.getText(self.parent, title, label, text=value)
        return text if ok else None

    def wording(self, title: str, label: str, value: str, choices: list[str] | None = None) -> str | None:
        """A wording to keep: `value` in a text box wide and tall enough to read a whole idea,
        with `choices` (e.g. the merged ideas' own words) to start from; None on Cancel."""
        dialog = WordingDialog(self.parent, title, label, value, choices or [])
        return dialog.edit.toPlainText() if dialog.exec() else None


class WordingDialog(QDialog):
    """The wording dialog (`DialogService.wording`): a choice per wording, then the text."""

    def __init__(self, parent: QWidget | None, title: str, label: str, value: str, choices: list[str]) -> None:
        super().__init__(parent)
        self.setObjectName("wording_dialog")
        self.setWindowTitle(title)
        lay = QVBoxLayout(self)
        text = QLabel(label)
        text.setTextFormat(Qt.TextFormat.PlainText)
        text.setWordWrap(True)
        lay.addWidget(text)
        self.choices: list[QRadioButton] = []
        self.edit = QPlainTextEdit(value)
        for choice in choices:
            button = QRadioButton(choice)
            button.setChecked(choice == value)
            button.toggled.connect(lambda on, c=choice: self._take(c) if on else None)
            self.choices.append(button)
            lay.addWidget(button)
        self.edit.setObjectName("wording_text")
        self.edit.setTabChangesFocus(True)
        self.edit.setMinimumHeight(self.edit.fontMetrics().lineSpacing() * 4 + 12)
        lay.addWidget(self.edit, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.setMinimumWidth(min(640, max(420, self.fontMetrics().averageCharWidth() * 70)))
        self.edit.setFocus()
        self.edit.selectAll()


    def _take(self, choice: str) -> None:
        self.edit.setPlainText(choice)


class ScriptedDialogs(DialogService):
    """For tests and automation: answers from a script, records what was shown.

    A dialog is a widget, and a widget built off the GUI thread crashes Qt: every call is
    checked, so a test fails as soon as a message would come from a worker thread.
    """

    def __init__(self) -> None:
        super().__init__(None)
        self.shown: list[tuple[str, str, str]] = []
        self.answers: list[object] = []
        self.off_thread: list[str] = []

    def _record(self, kind: str, title: str, text: str) -> None:
        if not on_gui_thread():
            self.off_thread.append(title)
        assert on_gui_thread(), f"dialog “{title}” requested off the GUI thread"
        self.shown.append((kind, title, text))

    def _next(self, default: object) -> object:
        return self.answers.pop(0) if self.answers else default

    def error(self, title: str, text: str) -> None:
        self._record("error", title, text)

    def info(self, title: str, text: str) -> None:
        self._record("info", title, text)

    def confirm(self, title: str, text: str) -> bool:
        self._record("confirm", title, text)
        return bool(self._next(True))

    def choose(self, title: str, text: str, options: list[str], default: int = 0) -> int | None:
        """Unscripted, it presses the default button, as Enter would."""
        self._record("choose", title, text)
        answer = self._next(default)
        return None if answer is None else int(answer)  # type: ignore[call-overload]

    def checklist(self, title: str, text: str, items: list[str], ok: str) -> list[int] | None:
        """Unscripted, it presses `ok` with nothing ticked."""
        self._record("checklist", title, text + "\n" + "\n".join(f"[ ] {i}" for i in items))
        answer = self._next([])
        return None if answer is None else list(answer)  # type: ignore[call-overload]

    def open_file(self, title: str, filters: str) -> str:
        return str(self._next(""))

    def save_file(self, title: str, suggested: str, filters: str) -> str:
        return str(self._next(""))

    def choose_folder(self, title: str, suggested: str) -> str:
        return str(self._next(""))

    def text(self, title: str, label: str, value: str = "") -> str | None:
        answer = self._next(None)
        return None if answer is None else str(answer)

    def wording(self, title: str, label: str, value: str, choices: list[str] | None = None) -> str | None:
        """Unscripted, it keeps `value` (OK pressed); the choices offered are recorded."""
        self._record("wording", title, label + "\n" + "\n".join(f"( ) {c}" for c in choices or []))
        answer = self._next(value)
        return None if answer is None else str(answer)

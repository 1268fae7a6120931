"""Every message box and file dialog the facilitator sees, behind one small service.

Tests replace `DialogService` with a scripted one so they never block on a modal dialog.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QThread
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMessageBox,
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


class DialogService:
    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent

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
        return QFileDialog.getOpenFileName(self.parent, title, "", filters)[0]

    def save_file(self, title: str, suggested: str, filters: str) -> str:
        return QFileDialog.getSaveFileName(self.parent, title, suggested, filters)[0]

    def choose_folder(self, title: str, suggested: str) -> str:
        return QFileDialog.getExistingDirectory(self.parent, title, suggested)

    def text(self, title: str, label: str, value: str = "") -> str | None:
        text, ok = QInputDialog.getText(self.parent, title, label, text=value)
        return text if ok else None


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

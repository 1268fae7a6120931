"""Every message box and file dialog the facilitator sees, behind one small service.

Tests replace `DialogService` with a scripted one so they never block on a modal dialog.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget


class DialogService:
    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent

    def error(self, title: str, text: str) -> None:
        QMessageBox.warning(self.parent, title, text)

    def info(self, title: str, text: str) -> None:
        QMessageBox.information(self.parent, title, text)

    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self.parent, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def open_file(self, title: str, filters: str) -> str:
        return QFileDialog.getOpenFileName(self.parent, title, "", filters)[0]

    def save_file(self, title: str, suggested: str, filters: str) -> str:
        return QFileDialog.getSaveFileName(self.parent, title, suggested, filters)[0]

    def text(self, title: str, label: str, value: str = "") -> str | None:
        text, ok = QInputDialog.getText(self.parent, title, label, text=value)
        return text if ok else None


class ScriptedDialogs(DialogService):
    """For tests and automation: answers from a script, records what was shown."""

    def __init__(self) -> None:
        super().__init__(None)
        self.shown: list[tuple[str, str, str]] = []
        self.answers: list[object] = []

    def _next(self, default: object) -> object:
        return self.answers.pop(0) if self.answers else default

    def error(self, title: str, text: str) -> None:
        self.shown.append(("error", title, text))

    def info(self, title: str, text: str) -> None:
        self.shown.append(("info", title, text))

    def confirm(self, title: str, text: str) -> bool:
        self.shown.append(("confirm", title, text))
        return bool(self._next(True))

    def open_file(self, title: str, filters: str) -> str:
        return str(self._next(""))

    def save_file(self, title: str, suggested: str, filters: str) -> str:
        return str(self._next(""))

    def text(self, title: str, label: str, value: str = "") -> str | None:
        answer = self._next(None)
        return None if answer is None else str(answer)

"""A text field bound to a step's free field: it saves when the facilitator leaves it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from vbp_workshop.core.model.changes import Changes, Update
from vbp_workshop.core.operations import step_field_edit
from vbp_workshop.ui.session import Session
from vbp_workshop.ui.shared.labels import plain_label


class BoundText(QWidget):
    """A text field bound to one value in the workshop file; commits (undoably) on leaving it."""

    committed = Signal()

    def __init__(self, session: Session, *, table: str = "", id_: int = 0, key: str,
                 step: int = 0, multiline: bool = False, placeholder: str = "",
                 parse: Callable[[str], str] | None = None, show: Callable[[str], str] | None = None) -> None:
        super().__init__()
        self.session, self.table, self.id, self.key, self.step = session, table, id_, key, step
        self.parse = parse  # raises ValueError with a message for the facilitator
        self.show_value = show  # the stored value as the field shows it (a date in the locale's form)
        self.edit: QLineEdit | QPlainTextEdit
        if multiline:
            self.edit = _CommittingPlainText(self.commit)
            self.edit.setMaximumHeight(110)
        else:
            self.edit = QLineEdit()
            self.edit.editingFinished.connect(self.commit)
        self.edit.setPlaceholderText(placeholder)
        self.edit.setObjectName(f"field_{key}")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.edit)
        self.problem = plain_label(cls="problem")
        self.problem.hide()
        lay.addWidget(self.problem)
        self.load()
        session.changed.connect(self._on_changed)

    def value(self) -> str:
        if self.step:
            return str(self.session.store.step_fields(self.step).get(self.key, ""))
        row = self.session.store.row(self.table, self.id) or {}
        return str(row.get(self.key) or "")

    def text(self) -> str:
        e = self.edit
        return e.toPlainText() if isinstance(e, QPlainTextEdit) else e.text()

    def load(self) -> None:
        v = self.show_value(self.value()) if self.show_value else self.value()
        if v != self.text():
            if isinstance(self.edit, QPlainTextEdit):
                self.edit.setPlainText(v)
            else:
                self.edit.setText(v)

    def _on_changed(self, changes: Changes) -> None:
        if changes.touches("steps" if self.step else self.table) and not self.edit.hasFocus():
            self.load()

    def commit(self) -> str:
        """Save what is typed (undoably); the reason it is not saved, or ""."""
        new = self.text().strip()
        if self.parse is not None:
            try:
                new = self.parse(new)
            except ValueError as exc:  # keep what was typed, say why it is not saved
                self.problem.setText(f"⚠ {exc} Not saved yet.")
                self.problem.show()
                return str(exc)
        self.problem.hide()
        if new == self.value().strip():
            self.load()  # typed another way (24/11/2026 for 2026-11-24): show it as the others are
            return ""
        if self.step:
            edit = step_field_edit(self.session.store, self.step, self.key, new)
        else:
            edit = Update(self.table, self.id, {self.key: new})
        self.session.edit([edit], f"Edit {self.key.replace('_', ' ')}")
        self.committed.emit()
        return ""


class _CommittingPlainText(QPlainTextEdit):
    def __init__(self, on_commit: Any) -> None:
        super().__init__()
        self._on_commit = on_commit
        self.setTabChangesFocus(True)

    def focusOutEvent(self, e: Any) -> None:
        self._on_commit()
        super().focusOutEvent(e)

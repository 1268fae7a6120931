"""The dialog that defines a poll: type, question, options, settings, privacy."""

from __future__ import annotations

from typing import Any, cast

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from vbp_workshop.core.model.poll import KINDS, PRIVACY, Poll, settings_problem
from vbp_workshop.core.polls import kinds
from vbp_workshop.ui.shared.labels import plain_label

FILL_LABELS = {"ambitions": "the candidate ambition statements", "pilots": "the candidate pilots",
               "metrics": "the metrics"}


class PollEditor(QDialog):
    def __init__(self, poll: Poll | None, parent: QWidget | None = None, frozen: str = "") -> None:
        """`frozen`: why the type, options and scale cannot change (the poll has answers)."""
        super().__init__(parent)
        self.setWindowTitle("Edit poll" if poll else "Add poll")
        self.setMinimumWidth(560)
        form = QFormLayout(self)
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        for key, label in KINDS.items():
            self.kind.addItem(label, key)
        self.question = QLineEdit()
        self.question.setObjectName("question")
        self.options = QPlainTextEdit()
        self.options.setObjectName("options")
        self.options.setPlaceholderText("One option, statement or item per line")
        self.max_choices = QSpinBox()
        self.max_choices.setRange(1, 30)
        self.budget = QSpinBox()
        self.budget.setRange(1, 1000)
        self.budget.setValue(10)
        self.lo = QSpinBox()
        self.lo.setRange(0, 100)
        self.hi = QSpinBox()
        self.hi.setRange(1, 100)
        self.hi.setValue(10)
        self.x_label = QLineEdit("Effort")
        self.y_label = QLineEdit("Impact")
        self.unit = QLineEdit()
        self.unit.setObjectName("unit")
        self.unit.setPlaceholderText("e.g. %, months (optional)")
        self.statement = QLineEdit()
        self.statement.setObjectName("statement")
        self.statement.setPlaceholderText("What the room consents to (shown on phones and the projector)")
        self.privacy = QComboBox()
        for key, label in PRIVACY.items():
            self.privacy.addItem(label, key)
        form.addRow("Type", self.kind)
        form.addRow("Question", self.question)
        form.addRow("Options", self.options)
        self.fill_note = plain_label(cls="hint")
        self.fill_note.setObjectName("fill_note")
        self.fill_note.hide()
        form.addRow("", self.fill_note)
        self.rows = {"max_choices": ("Most choices per person", self.max_choices),
                     "budget": ("Points per person", self.budget), "min": ("Scale from", self.lo),
                     "max": ("Scale to", self.hi), "x_label": ("Across (x axis)", self.x_label),
                     "y_label": ("Up (y axis)", self.y_label), "unit": ("Unit", self.unit),
                     "statement": ("Statement", self.statement)}
        for label, widget in self.rows.values():
            form.addRow(label, widget)
        form.addRow("Privacy", self.privacy)
        self.problem = plain_label(cls="problem")
        self.problem.setObjectName("problem")
        self.problem.hide()
        form.addRow(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.kind.currentIndexChanged.connect(self._show_settings)
        if poll:
            self.kind.setCurrentIndex(self.kind.findData(poll.kind))
            self.question.setText(poll.question)
            self.options.setPlainText("\n".join(poll.options))
            s = poll.settings
            self.max_choices.setValue(int(s.get("max_choices", max(1, len(poll.options)))))
            self.budget.setValue(int(s.get("budget", 10)))
            lo, hi = poll.scale_range
            self.lo.setValue(lo)
            self.hi.setValue(hi)
            self.x_label.setText(str(s.get("x_label", "Effort")))
            self.y_label.setText(str(s.get("y_label", "Impact")))
            self.unit.setText(str(s.get("unit", "")))
            self.statement.setText(str(s.get("statement", "")))
            self.privacy.setCurrentIndex(self.privacy.findData(poll.privacy))
            # Kept through an edit: where options come from, and a reference shown after the reveal.
            self._keep = {k: v for k, v in s.items() if k in ("fill_from", "reference")}
        else:
            self._keep = {}
        self._filled = list(poll.options) if poll else []
        if "fill_from" in self._keep:
            source = FILL_LABELS.get(str(self._keep["fill_from"]), "the step's list")
            self.fill_note.setText(f"When voting opens, the options are taken from {source}. "
                                   "Type your own options here to use them instead.")
            self.fill_note.show()
        self._show_settings()
        self.question.setFocus()  # typing starts with the question
        if frozen:
            for w in (self.kind, self.options, self.lo, self.hi):
                w.setEnabled(False)
            self.frozen = plain_label("Locked: " + frozen, cls="hint")
            self.frozen.setObjectName("frozen")
            form.insertRow(0, self.frozen)

    def _show_settings(self) -> None:
        plugin = kinds.get(self.kind.currentData())  # each kind names its own settings rows
        form = self.layout()
        assert isinstance(form, QFormLayout)
        for key, (_label, widget) in self.rows.items():
            form.setRowVisible(widget, key in plugin.editor_fields)
        form.setRowVisible(self.options, plugin.needs_options)

    def values(self) -> dict[str, Any]:
        kind = self.kind.currentData()
        plugin = kinds.get(kind)
        options = [line.strip() for line in self.options.toPlainText().splitlines() if line.strip()]
        if not plugin.needs_options:
            options = []
        settings: dict[str, Any] = dict(self._keep)
        if options != self._filled:  # what the facilitator typed is never replaced on opening
            settings.pop("fill_from", None)
        for key in sorted(plugin.editor_fields):
            widget = self.rows[key][1]
            settings[key] = widget.value() if isinstance(widget, QSpinBox) else cast(QLineEdit, widget).text()
        return {"kind": kind, "question": self.question.text().strip(), "options": options,
                "settings": settings, "privacy": self.privacy.currentData()}

    def accept(self) -> None:
        v = self.values()
        problem = "Write the question." if not v["question"] else ""
        if not problem and not v["settings"].get("fill_from"):
            problem = settings_problem(v["kind"], v["options"], v["settings"])
        if problem:
            self.problem.setText("⚠ " + problem)
            self.problem.show()
            return
        super().accept()

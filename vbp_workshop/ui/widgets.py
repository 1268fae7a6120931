"""Reusable widgets: an editable record table, bound text fields, the guide panel, headers."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from vbp_workshop.core.domain import StepStatus, step_label
from vbp_workshop.core.operations import step_field_edit
from vbp_workshop.core.store import Changes, Update
from vbp_workshop.core.template import guide
from vbp_workshop.ui.flow import FlowLayout
from vbp_workshop.ui.models import RecordTableModel, TableSpec
from vbp_workshop.ui.session import Session


def plain_label(text: str = "", *, wrap: bool = True, cls: str = "") -> QLabel:
    """A QLabel that never interprets rich text: participant text must not become markup."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    label.setText(text)
    if cls:
        label.setProperty("class", cls)
    return label


class CheckText(QLabel):
    """The wrapping text of a check box (a QCheckBox's own text never wraps): clicking it ticks
    the box, as clicking a check box's text does."""

    def __init__(self, text: str, box: QCheckBox) -> None:
        super().__init__()
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setText(text)
        self.setBuddy(box)
        self._box = box

    def mouseReleaseEvent(self, event: Any) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self._box.toggle()
        super().mouseReleaseEvent(event)


def info_note(text: str, name: str = "") -> QWidget:
    """A note with the platform's information icon (a drawn icon: no font lacks it)."""
    note = QFrame()
    note.setProperty("class", "note")
    if name:
        note.setObjectName(name)
    lay = QHBoxLayout(note)
    lay.setContentsMargins(6, 4, 6, 4)
    icon = QLabel()
    size = note.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
    icon.setPixmap(note.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation).pixmap(size, size))
    lay.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
    label = plain_label(text)
    lay.addWidget(label, 1)
    note.text = label  # type: ignore[attr-defined]
    return note


class VerticalScroll(QScrollArea):
    """Tall content scrolls up and down, never sideways: the area is as wide as its content needs
    (so nothing is clipped) but only a little tall (so a 720-pixel screen reaches all of it)."""

    def __init__(self, content: QWidget) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(content)

    def minimumSizeHint(self) -> QSize:
        content = self.widget()
        need = content.minimumSizeHint().expandedTo(content.minimumSize()) if content else QSize()
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(need.width() + bar, min(need.height(), 120))

    def sizeHint(self) -> QSize:
        content = self.widget()
        return content.sizeHint() + QSize(self.verticalScrollBar().sizeHint().width(), 0) if content \
            else super().sizeHint()


def scrolling(content: QWidget) -> VerticalScroll:
    return VerticalScroll(content)


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box for choice columns; stores the key, shows the label."""

    def __init__(self, model: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model  # any model with choices_for(index) -> dict | None

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        choices = self._model.choices_for(index)
        if choices is None:
            return super().createEditor(parent, option, index)
        box = QComboBox(parent)
        for key, label in choices.items():
            box.addItem(label, key)
        return box

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QComboBox):
            i = editor.findData(index.data(Qt.ItemDataRole.EditRole))
            editor.setCurrentIndex(max(i, 0))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,
                     index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)


class RecordTable(QWidget):
    """A titled, editable table of one kind of record, with add / delete / move and messages."""

    def __init__(self, session: Session, spec: TableSpec, title: str = "", hint: str = "",
                 movable: bool = True, addable: bool = True) -> None:
        super().__init__()
        self.model = RecordTableModel(session, spec)
        self.view = QTableView()
        self.view.setObjectName(f"table_{spec.table}")
        self.view.setModel(self.model)
        self.view.setItemDelegate(ChoiceDelegate(self.model, self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.view.verticalHeader().setDefaultSectionSize(28)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.fit_columns()
        self._fitted_rows = self.model.rowCount()
        self.model.modelReset.connect(self._refit)
        # Rules, goals and lessons are sentences: rows grow to show them whole.
        header.sectionResized.connect(lambda *_a: self.view.resizeRowsToContents())
        for signal in (self.model.modelReset, self.model.dataChanged, self.model.rowsInserted):
            signal.connect(lambda *_a: self.view.resizeRowsToContents())
        self.message = plain_label(cls="problem")
        self.message.setObjectName("problem")
        self.message.hide()
        self.model.refused.connect(self.show_problem)
        self.view.selectionModel().currentRowChanged.connect(self._show_row_problems)
        session.changed.connect(lambda _c: self._show_row_problems(self.view.currentIndex()))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = FlowLayout()  # title, hint and buttons wrap on a narrow screen
        if title:
            bar.addWidget(plain_label(title, wrap=False, cls="section"))
        if hint:
            hint_label = plain_label(hint, cls="hint")
            bar.addWidget(hint_label)
        self.buttons: dict[str, QPushButton] = {}
        actions = []
        if addable:
            actions += [("add", f"Add {spec.noun}", self.add_row), ("delete", "Delete", self.delete_rows)]
        if movable:
            actions += [("up", "↑", lambda: self.move(-1)), ("down", "↓", lambda: self.move(1))]
        for key, text, slot in actions:
            b = QPushButton(text)
            b.setObjectName(f"{spec.table}_{key}")
            b.clicked.connect(slot)
            if key in ("up", "down"):
                b.setToolTip("Move the selected row " + ("up" if key == "up" else "down"))
                b.setFixedWidth(34)
            bar.addWidget(b)
            self.buttons[key] = b
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)
        del_key = QShortcut(QKeySequence.StandardKey.Delete, self.view)
        del_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        del_key.activated.connect(self.delete_rows)

    def show_problem(self, text: str) -> None:
        self.message.setText("⚠ " + text)
        self.message.setVisible(bool(text))

    def _show_row_problems(self, index: QModelIndex) -> None:
        if not index.isValid() or index.row() >= self.model.rowCount():
            self.show_problem("")
            return
        problems = self.model.problems(index.row())
        self.show_problem("  ".join(problems.values()))

    def fit_columns(self) -> None:
        """Each column as wide as its content (header included), up to its set width; the last
        column takes the rest. Sentences wrap within their column."""
        columns = self.model.spec.columns
        for i, col in enumerate(columns[:-1]):
            need = max(self.view.sizeHintForColumn(i), self.view.horizontalHeader().sectionSizeHint(i))
            self.view.setColumnWidth(i, min(need + 8, col.width or 320))

    def _refit(self) -> None:
        # Fit again when rows come or go, not on every edit: a column the facilitator widened stays.
        if self.model.rowCount() != self._fitted_rows:
            self._fitted_rows = self.model.rowCount()
            self.fit_columns()

    def add_row(self, values: dict[str, Any] | None = None) -> int:
        """Add a row and put the cursor in its first cell, editing: typing names it."""
        new_id = self.model.add(values)
        self.edit_row(new_id)
        return new_id

    def edit_row(self, row_id: int) -> None:
        row = next((r for r in range(self.model.rowCount()) if self.model.row_at(r)["id"] == row_id), None)
        if row is None:
            return
        editable = [i for i, c in enumerate(self.model.spec.columns) if c.editable and c.kind != "check"]
        typed = [i for i in editable if self.model.spec.columns[i].kind != "choice"]  # typing fills it
        column = (typed or editable or [0])[0]
        index = self.model.index(row, column)
        self.view.setFocus()
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)
        self.view.edit(index)

    def delete_rows(self) -> None:
        rows = [i.row() for i in self.view.selectionModel().selectedRows()]
        if not rows and self.view.currentIndex().isValid():
            rows = [self.view.currentIndex().row()]
        self.model.remove(rows)

    def move(self, delta: int) -> None:
        r = self.view.currentIndex().row()
        if self.model.move(r, delta):
            self.view.selectRow(r + delta)


class BoundText(QWidget):
    """A text field bound to one value in the workshop file; commits (undoably) on leaving it."""

    committed = Signal()

    def __init__(self, session: Session, *, table: str = "", id_: int = 0, key: str,
                 step: int = 0, multiline: bool = False, placeholder: str = "",
                 parse: Callable[[str], str] | None = None) -> None:
        super().__init__()
        self.session, self.table, self.id, self.key, self.step = session, table, id_, key, step
        self.parse = parse  # raises ValueError with a message for the facilitator
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
        v = self.value()
        if v != self.text():
            if isinstance(self.edit, QPlainTextEdit):
                self.edit.setPlainText(v)
            else:
                self.edit.setText(v)

    def _on_changed(self, changes: Changes) -> None:
        if changes.touches("steps" if self.step else self.table) and not self.edit.hasFocus():
            self.load()

    def commit(self) -> None:
        new = self.text().strip()
        if self.parse is not None:
            try:
                new = self.parse(new)
            except ValueError as exc:  # keep what was typed, say why it is not saved
                self.problem.setText(f"⚠ {exc} Not saved yet.")
                self.problem.show()
                return
        self.problem.hide()
        if new == self.value().strip():
            return
        if self.step:
            edit = step_field_edit(self.session.store, self.step, self.key, new)
        else:
            edit = Update(self.table, self.id, {self.key: new})
        self.session.edit([edit], f"Edit {self.key.replace('_', ' ')}")
        self.committed.emit()


class _CommittingPlainText(QPlainTextEdit):
    def __init__(self, on_commit: Any) -> None:
        super().__init__()
        self._on_commit = on_commit
        self.setTabChangesFocus(True)

    def focusOutEvent(self, e: Any) -> None:
        self._on_commit()
        super().focusOutEvent(e)


class GuidePanel(QScrollArea):
    """The facilitator's guide for a step: purpose, timings, prompts, checklist, sources."""

    def __init__(self, session: Session, step: int) -> None:
        super().__init__()
        self.session, self.step = session, step
        self.setObjectName("guide")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumWidth(210)
        g = guide(step)
        body = QWidget()
        lay = QVBoxLayout(body)
        lay.addWidget(plain_label("Facilitator's guide", cls="guideTitle"))
        lay.addWidget(plain_label(g["purpose"]))
        lay.addWidget(plain_label("Suggested timings", cls="section"))
        total = sum(m for _, m in g["timings"])
        for what, minutes in g["timings"]:
            lay.addWidget(plain_label(f"{minutes:>3} min  {what}"))
        lay.addWidget(plain_label(f"{total} minutes in all", cls="hint"))
        lay.addWidget(plain_label("Prompts for the room", cls="section"))
        for p in g["prompts"]:
            lay.addWidget(plain_label("• " + p))
        lay.addWidget(plain_label("What good looks like", cls="section"))
        self.checks: list[QCheckBox] = []
        for i, item in enumerate(g["checklist"]):
            row = QHBoxLayout()
            box = QCheckBox()
            box.setObjectName(f"check_{step}_{i}")
            box.setAccessibleName(item)
            box.toggled.connect(lambda on, i=i: self._toggle(i, on))
            text = CheckText(item, box)
            row.addWidget(box, 0, Qt.AlignmentFlag.AlignTop)
            row.addWidget(text, 1)
            lay.addLayout(row)
            self.checks.append(box)
        if g.get("notes"):  # how to read the step's results (the balance rule, NASSS levels…)
            lay.addWidget(plain_label("Reading the results", cls="section"))
            for n in g["notes"]:
                lay.addWidget(plain_label(n))
        lay.addWidget(plain_label("Sources to follow up", cls="section"))
        for s in g["sources"]:
            lay.addWidget(plain_label(s, cls="hint"))
        lay.addStretch(1)
        self.setWidget(body)
        self.load()
        session.changed.connect(lambda c: c.touches("steps") and self.load())

    def ticked(self) -> list[int]:
        row = self.session.store.row("steps", self.step) or {}
        return list(json.loads(row.get("checklist") or "[]"))

    def load(self) -> None:
        ticked = set(self.ticked())
        for i, box in enumerate(self.checks):
            box.blockSignals(True)
            box.setChecked(i in ticked)
            box.blockSignals(False)

    def _toggle(self, i: int, on: bool) -> None:
        ticked = set(self.ticked())
        ticked = ticked | {i} if on else ticked - {i}
        self.session.edit([Update("steps", self.step, {"checklist": json.dumps(sorted(ticked))})],
                          "Tick checklist" if on else "Untick checklist")


class StepHeader(QFrame):
    """The step's number, title and status, and a button that shows or hides the guide."""

    guide_toggled = Signal(bool)

    def __init__(self, session: Session, step: int) -> None:
        super().__init__()
        self.session, self.step = session, step
        self.setObjectName("stepHeader")
        lay = QHBoxLayout(self)
        lay.addWidget(plain_label(step_label(step), cls="pageTitle"), 1)
        lay.addWidget(QLabel("Status:"))
        self.status = QComboBox()
        self.status.setObjectName(f"status_{step}")
        for s in StepStatus:
            self.status.addItem(s.label, s.value)
        self.status.currentIndexChanged.connect(self._set_status)
        lay.addWidget(self.status)
        self.guide_button = QPushButton("Hide guide")
        self.guide_button.setCheckable(True)
        self.guide_button.setChecked(True)
        self.guide_button.toggled.connect(self._toggle_guide)
        lay.addWidget(self.guide_button)
        self.load()
        session.changed.connect(lambda c: c.touches("steps") and self.load())

    def load(self) -> None:
        row = self.session.store.row("steps", self.step) or {}
        self.status.blockSignals(True)
        self.status.setCurrentIndex(max(0, self.status.findData(row.get("status", "not_started"))))
        self.status.blockSignals(False)

    def _set_status(self) -> None:
        value = self.status.currentData()
        row = self.session.store.row("steps", self.step) or {}
        if value != row.get("status"):
            self.session.edit([Update("steps", self.step, {"status": value})], "Change step status")

    def _toggle_guide(self, shown: bool) -> None:
        self.guide_button.setText("Hide guide" if shown else "Show guide")
        self.guide_toggled.emit(shown)

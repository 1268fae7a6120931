"""An editable table of a workshop's records, and the delegate for a cell with choices."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from vbp_workshop.ui.session import Session
from vbp_workshop.ui.shared.dates import show_date
from vbp_workshop.ui.shared.flow import FlowLayout
from vbp_workshop.ui.shared.labels import plain_label
from vbp_workshop.ui.shared.table_models import RecordTableModel, TableSpec


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
            return
        take = getattr(self._model, "take_refused_text", None)
        kept = take(index) if take is not None else None
        if kept is not None and isinstance(editor, QLineEdit):
            editor.setText(kept)  # the refused text, to correct rather than type again
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
        # A bound method (Qt drops its connections with this table) that does nothing once the
        # workshop has closed.
        header.sectionResized.connect(self._fit_rows)
        for signal in (self.model.modelReset, self.model.dataChanged, self.model.rowsInserted):
            signal.connect(self._fit_rows)
        self.message = plain_label(cls="problem")
        self.message.setObjectName("problem")
        self.message.hide()
        self.model.refused.connect(self.show_problem)
        self.model.refused.connect(lambda _m: QTimer.singleShot(0, self._edit_refused))
        self.view.selectionModel().currentRowChanged.connect(self._show_row_problems)
        session.changed.connect(self._on_changed)  # a method: Qt drops it when this table goes

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
            actions += [("up", "↑", lambda: self.move_row(-1)), ("down", "↓", lambda: self.move_row(1))]
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

    def _fit_rows(self, *_args: object) -> None:
        # Not once the workshop has closed: sizing a row reads its cells, a cell may read the
        # closed file, and an exception raised inside Qt's sizing crashed PySide (a resize
        # arriving as the window changed page on closing).
        if not self.model.session.store.closed:
            self.view.resizeRowsToContents()

    def show_problem(self, text: str) -> None:
        self.message.setText("⚠ " + text if text else "")
        self.message.setVisible(bool(text))

    def _edit_refused(self) -> None:
        """Open the refused cell's editor again, holding what was typed (never wiped)."""
        kept = self.model.refused_text
        if kept is None or not kept[0].isValid() or not self.isVisible():
            self.model.refused_text = None
            return
        index = self.model.index(kept[0].row(), kept[0].column())
        said = self.message.text()
        self.view.setCurrentIndex(index)
        self.view.edit(index)
        self.message.setText(said)  # moving the cursor back must not clear why it was refused
        self.message.setVisible(bool(said.strip("⚠ ")))

    def _on_changed(self, _changes: object) -> None:
        self._show_row_problems(self.view.currentIndex())

    def _show_row_problems(self, index: QModelIndex) -> None:
        if not index.isValid() or index.row() >= self.model.rowCount():
            self.show_problem("")
            return
        problems = self.model.problems(index.row())
        self.show_problem("  ".join(problems.values()))

    def fit_columns(self) -> None:
        """Each column as wide as its content (header included), up to its set width; the last
        column takes the rest. Sentences wrap within their column, which keeps its set width even
        while it is empty or short (an empty actions table had a 51 px "What" column at 1366 px);
        in an empty table a choice or date column fits its longest choice or a date."""
        columns = self.model.spec.columns
        metrics = self.view.fontMetrics()
        for i, col in enumerate(columns[:-1]):
            need = max(self.view.sizeHintForColumn(i), self.view.horizontalHeader().sectionSizeHint(i))
            if col.sentence and col.width:
                need = col.width
            elif col.kind == "choice" and not self.model.rowCount():
                need = max([need, *(metrics.horizontalAdvance(str(label)) + 36 for label in col.options().values())])
            elif col.kind == "date" and not self.model.rowCount():
                need = max(need, metrics.horizontalAdvance(show_date("2026-12-28")) + 16)
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

    def move_row(self, delta: int) -> None:  # not `move`: that is QWidget's, to a point
        r = self.view.currentIndex().row()
        if self.model.move(r, delta):
            self.view.selectRow(r + delta)

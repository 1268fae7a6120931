"""Qt model/view adapters over the workshop's tables: a `QAbstractTableModel` per table.

`RecordTableModel` shows the rows of one table through declared `Column`s. Editing a cell
parses the text (refusing what cannot be parsed, with a message), then makes an undoable
edit through the session. The model reloads its rows when the session's change record says
its table changed (the rows are plain dicts read from the file, not observable objects).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from vbp_workshop.core.model.changes import Changes, Delete, Edit, Insert, Row, Update
from vbp_workshop.core.steps.checks import parse_number
from vbp_workshop.ui.session import Session
from vbp_workshop.ui.shared.dates import read_date, show_date

Index = QModelIndex | QPersistentModelIndex
PROBLEM_BG = QBrush(QColor("#fde2e1"))


@dataclass
class Column:
    key: str
    title: str
    kind: str = "text"  # text | int | float | date | choice | check
    choices: Callable[[], dict[Any, str]] | dict[Any, str] | None = None
    width: int = 0
    editable: bool = True
    tip: str = ""
    fmt: Callable[[Any, Row], str] | None = None
    sentence: bool = False  # sentences wrap in it: it keeps its width, even empty (never 51 px)

    def options(self) -> dict[Any, str]:
        c = self.choices
        return c() if callable(c) else dict(c or {})

    def display(self, value: Any, row: Row) -> str:
        if self.fmt:
            return self.fmt(value, row)
        if self.kind == "choice":
            return self.options().get(value, "" if value is None else str(value))
        if self.kind == "float" and value is not None:
            return f"{value:g}"
        if self.kind == "check":
            return ""
        if self.kind == "date":
            return show_date(value or "")
        return "" if value is None else str(value)

    def parse(self, text: Any) -> Any:
        """The stored value for what the user typed; ValueError says why it cannot be."""
        if self.kind == "float":
            return parse_number(text)
        if self.kind == "int":
            if text in (None, ""):
                return None
            value = parse_number(text)
            if value is None or value != int(value) or value < 0:
                raise ValueError(f"“{text}” is not a whole number of minutes or items.")
            return int(value)
        if self.kind == "date":
            return read_date(text)
        if self.kind == "choice":
            if text not in self.options():
                raise ValueError(f"Choose one of: {', '.join(self.options().values())}.")
            return text
        if self.kind == "check":
            return int(bool(text))
        return str(text).strip()


@dataclass
class TableSpec:
    table: str
    columns: list[Column]
    match: dict[str, Any] = field(default_factory=dict)  # only rows with these column values
    defaults: Callable[[], Row] = field(default=dict)
    noun: str = "row"
    problems: Callable[[Row], dict[str, str]] | None = None  # soft problems, highlighted
    depends_on: tuple[str, ...] = ()  # other tables whose change redraws this one
    check: Callable[[Row, str, Any], None] | None = None  # raises ValueError to refuse
    # Rows that must be made with a new row, in the same undoable step (given its new id).
    companions: Callable[[int], list[Edit]] | None = None


class RecordTableModel(QAbstractTableModel):
    refused = Signal(str)  # a message for the facilitator: why an edit was not made
    refused_text: tuple[QPersistentModelIndex, str] | None

    def take_refused_text(self, index: Index) -> str | None:
        """The text a refused edit of this cell held (once), for its editor to show again."""
        kept = self.refused_text
        if kept is None or not kept[0].isValid() or (kept[0].row(), kept[0].column()) != (index.row(), index.column()):
            return None
        self.refused_text = None
        return kept[1]

    def __init__(self, session: Session, spec: TableSpec) -> None:
        super().__init__()
        self.session = session
        self.spec = spec
        self._rows: list[Row] = []
        # A refused edit's text, kept for the editor that opens again on it: nothing typed is wiped.
        self.refused_text = None
        self.reload()
        session.changed.connect(self._on_changed)

    # -- data ---------------------------------------------------------------------------------

    def reload(self) -> None:
        rows = self.session.store.find(self.spec.table, **self.spec.match)
        if [r["id"] for r in rows] == [r["id"] for r in self._rows]:
            self._rows = rows
            if rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, self.columnCount() - 1))
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def _on_changed(self, changes: Changes) -> None:
        if changes.touches(self.spec.table, *self.spec.depends_on):
            self.reload()

    def choices_for(self, index: Index) -> dict[Any, str] | None:
        col = self.spec.columns[index.column()]
        return col.options() if col.kind == "choice" else None

    def row_at(self, r: int) -> Row:
        return self._rows[r]

    def rows(self) -> list[Row]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.spec.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            col = self.spec.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return col.title
            if role == Qt.ItemDataRole.ToolTipRole and col.tip:
                return col.tip
        elif role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def problems(self, r: int) -> dict[str, str]:
        return self.spec.problems(self._rows[r]) if self.spec.problems else {}

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        col = self.spec.columns[index.column()]
        value = row.get(col.key)
        if role == Qt.ItemDataRole.DisplayRole:
            return col.display(value, row)
        if role == Qt.ItemDataRole.EditRole:
            if col.kind == "choice":
                return value
            return col.display(value, row) if col.kind != "check" else bool(value)
        if role == Qt.ItemDataRole.CheckStateRole and col.kind == "check":
            return Qt.CheckState.Checked if value else Qt.CheckState.Unchecked
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole):
            problem = self.problems(index.row()).get(col.key)
            if problem:
                return PROBLEM_BG if role == Qt.ItemDataRole.BackgroundRole else problem
            if role == Qt.ItemDataRole.ToolTipRole and col.display(value, row):
                return col.display(value, row)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        col = self.spec.columns[index.column()]
        if col.editable:
            base |= Qt.ItemFlag.ItemIsUserCheckable if col.kind == "check" else Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        col = self.spec.columns[index.column()]
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.CheckStateRole:
            value = Qt.CheckState(value) == Qt.CheckState.Checked
        elif role != Qt.ItemDataRole.EditRole:
            return False
        try:
            new = col.parse(value)
            if self.spec.check:
                self.spec.check(row, col.key, new)
        except ValueError as exc:
            if isinstance(value, str):
                self.refused_text = (QPersistentModelIndex(index), value)
            self.refused.emit(f"{col.title}: {exc}")
            return False
        if new == row.get(col.key):
            return True
        self.session.edit([Update(self.spec.table, row["id"], {col.key: new})],
                          f"Edit {col.title.lower()}")
        return True

    # -- rows -----------------------------------------------------------------------------------

    def add(self, values: Row | None = None) -> int:
        """Add a row; returns its new id."""
        store = self.session.store
        new_id = store.next_id(self.spec.table)
        edits: list[Edit] = [Insert(self.spec.table,
                                    {**self.spec.defaults(), **(values or {}), "id": new_id})]
        if self.spec.companions:
            edits += self.spec.companions(new_id)
        self.session.edit(edits, f"Add {self.spec.noun}")
        return new_id

    def remove(self, rows: list[int]) -> None:
        ids = [self._rows[r]["id"] for r in sorted(set(rows)) if 0 <= r < len(self._rows)]
        if ids:
            self.session.edit([Delete(self.spec.table, i) for i in ids],
                              f"Delete {len(ids)} {self.spec.noun}{'s' if len(ids) > 1 else ''}")

    def move(self, r: int, delta: int) -> bool:
        """Swap row r with its neighbour (delta -1 up, +1 down), as one undoable edit."""
        other = r + delta
        if not (0 <= r < len(self._rows) and 0 <= other < len(self._rows)):
            return False
        a, b = self._rows[r], self._rows[other]
        pa, pb = a.get("pos", r), b.get("pos", other)
        if pa == pb:
            pb = pa + delta
        edits: list[Edit] = [Update(self.spec.table, a["id"], {"pos": pb}),
                             Update(self.spec.table, b["id"], {"pos": pa})]
        self.session.edit(edits, f"Move {self.spec.noun}")
        return True


@dataclass
class GridSpec:
    """A grid of cells: rows from one table, columns from a list, cells in a third table."""

    row_table: str
    row_label: str
    cell_table: str
    row_fk: str
    col_field: str
    value_field: str
    columns: Callable[[], list[tuple[Any, str]]]
    choices: dict[Any, str]
    check: Callable[[int, Any, Any], None] | None = None  # (row id, column, value) -> raise
    extra: list[tuple[str, Callable[[Row, dict[Any, Any]], str]]] = field(default_factory=list)
    problems: Callable[[Row], str] | None = None
    depends_on: tuple[str, ...] = ()


class GridModel(QAbstractTableModel):
    refused = Signal(str)

    def __init__(self, session: Session, spec: GridSpec) -> None:
        super().__init__()
        self.session, self.spec = session, spec
        self._rows: list[Row] = []
        self._cols: list[tuple[Any, str]] = []
        self._cells: dict[tuple[int, Any], Row] = {}
        self.reload()
        session.changed.connect(self._on_changed)

    def _on_changed(self, changes: Changes) -> None:
        if changes.touches(self.spec.row_table, self.spec.cell_table, *self.spec.depends_on):
            self.reload()

    def reload(self) -> None:
        store = self.session.store
        self.beginResetModel()
        self._rows = store.rows(self.spec.row_table)
        self._cols = self.spec.columns()
        self._cells = {(c[self.spec.row_fk], c[self.spec.col_field]): c
                       for c in store.rows(self.spec.cell_table)}
        self.endResetModel()

    def row_values(self, r: int) -> dict[Any, Any]:
        rid = self._rows[r]["id"]
        return {key: (self._cells.get((rid, key)) or {}).get(self.spec.value_field)
                for key, _ in self._cols}

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._cols) + len(self.spec.extra)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return self._rows[section][self.spec.row_label] if section < len(self._rows) else None
        if section < len(self._cols):
            return self._cols[section][1]
        return self.spec.extra[section - len(self._cols)][0]

    def choices_for(self, index: Index) -> dict[Any, str] | None:
        return self.spec.choices if index.column() < len(self._cols) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        row = self._rows[r]
        if c >= len(self._cols):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.spec.extra[c - len(self._cols)][1](row, self.row_values(r))
            if role == Qt.ItemDataRole.BackgroundRole and self.spec.problems and self.spec.problems(row):
                return PROBLEM_BG
            if role == Qt.ItemDataRole.ToolTipRole and self.spec.problems:
                return self.spec.problems(row) or None
            return None
        value = self.row_values(r)[self._cols[c][0]]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.spec.choices.get(value, "") if value not in (None, "") else ""
        if role == Qt.ItemDataRole.EditRole:
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return f | Qt.ItemFlag.ItemIsEditable if index.column() < len(self._cols) else f

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() >= len(self._cols):
            return False
        rid = self._rows[index.row()]["id"]
        key = self._cols[index.column()][0]
        cell = self._cells.get((rid, key))
        if value not in self.spec.choices:
            self.refused.emit(f"Choose one of: {', '.join(self.spec.choices.values())}.")
            return False
        try:
            if self.spec.check:
                self.spec.check(rid, key, value)
        except ValueError as exc:
            self.refused.emit(str(exc))
            return False
        if cell and cell[self.spec.value_field] == value:
            return True
        empty = value in ("", None)
        if cell and empty:
            edit: Edit = Delete(self.spec.cell_table, cell["id"])
        elif cell:
            edit = Update(self.spec.cell_table, cell["id"], {self.spec.value_field: value})
        elif empty:
            return True
        else:
            edit = Insert(self.spec.cell_table, {self.spec.row_fk: rid, self.spec.col_field: key,
                                                 self.spec.value_field: value})
        self.session.edit([edit], "Edit " + self.spec.cell_table)
        return True

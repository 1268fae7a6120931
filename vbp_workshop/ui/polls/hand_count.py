"""Counting hands: the facilitator enters how many people gave each answer, per group."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from vbp_workshop.core.model.domain import STAKEHOLDER_LABELS, Stakeholder
from vbp_workshop.core.model.poll import AGREEMENT_LABELS, Poll
from vbp_workshop.ui.shared.labels import plain_label


def _spin(maximum: int = 10000) -> QSpinBox:
    s = QSpinBox()
    s.setRange(0, maximum)
    return s


class HandCountDialog(QDialog):
    """Builds (group, answer, count) entries; operations.polls.hand_count_edits checks them against the poll."""

    def __init__(self, poll: Poll, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.poll = poll
        self.setWindowTitle("Hand count")
        lay = QVBoxLayout(self)
        lay.addWidget(plain_label(poll.question, cls="section"))
        lay.addWidget(plain_label(self._hint(), cls="hint"))
        self.group = QComboBox()
        self.group.setObjectName("hand_group")
        self.group.addItem("Whole room (no group)", "")
        for s in Stakeholder:
            self.group.addItem(STAKEHOLDER_LABELS[s], s.value)
        lay.addWidget(self.group)
        grid = QGridLayout()
        lay.addLayout(grid)
        self.cells: list[tuple[Any, QSpinBox]] = []
        self.pairs: list[tuple[int, QSpinBox, QSpinBox]] = []
        self.text = QLineEdit()
        self.people = _spin()
        self.value: QDoubleSpinBox | None = None
        lo, hi = poll.scale_range
        plugin = poll.plugin  # the kind says which form it needs (core/kinds)
        form = plugin.hand_form
        if form == "options":
            for i, option in enumerate(poll.options):
                grid.addWidget(plain_label(option), i, 0)
                spin = _spin()
                grid.addWidget(spin, i, 1)
                self.cells.append((i, spin))
            if plugin.hand_people:  # points or hands are not people: the tally needs both
                grid.addWidget(QLabel(plugin.hand_people_label), len(poll.options), 0)
                grid.addWidget(self.people, len(poll.options), 1)
                self.people.setObjectName("hand_people")
        elif form == "levels":
            for r, level in enumerate(range(lo, hi + 1)):
                grid.addWidget(QLabel(str(level)), r, 0)
                spin = _spin()
                grid.addWidget(spin, r, 1)
                self.cells.append((level, spin))
        elif form == "statements":
            for c, label in enumerate(AGREEMENT_LABELS, 1):
                grid.addWidget(QLabel(label), 0, c)
            for r, statement in enumerate(poll.options, 1):
                grid.addWidget(plain_label(statement), r, 0)
                for level in range(1, 6):
                    spin = _spin()
                    grid.addWidget(spin, r, level)
                    self.cells.append(((r - 1, level), spin))
        elif form == "placing":
            a, b = plugin.axes(poll)
            grid.addWidget(QLabel(a), 0, 1)
            grid.addWidget(QLabel(b), 0, 2)
            for r, item in enumerate(poll.options, 1):
                grid.addWidget(plain_label(item), r, 0)
                x, y = QSpinBox(), QSpinBox()
                for spin in (x, y):
                    spin.setRange(lo, hi)
                    spin.setValue((lo + hi) // 2)
                grid.addWidget(x, r, 1)
                grid.addWidget(y, r, 2)
                self.pairs.append((r - 1, x, y))
            grid.addWidget(QLabel("How many people agreed this placing"), len(poll.options) + 1, 0)
            grid.addWidget(self.people, len(poll.options) + 1, 1)
        elif form == "value":  # a number the group agreed (one decimal), and how many people
            self.value = QDoubleSpinBox()
            self.value.setObjectName("hand_value")
            self.value.setDecimals(1)
            self.value.setRange(lo, hi)
            self.value.setValue((lo + hi) / 2)
            grid.addWidget(QLabel("Agreed value"), 0, 0)
            grid.addWidget(self.value, 0, 1)
            grid.addWidget(QLabel(plugin.hand_people_label), 1, 0)
            grid.addWidget(self.people, 1, 1)
            self.people.setObjectName("hand_people")
        else:
            grid.addWidget(QLabel("Answer"), 0, 0)
            grid.addWidget(self.text, 0, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def _hint(self) -> str:
        return self.poll.plugin.hand_hint

    def entries(self) -> list[tuple[str, Any, int]]:
        grp = self.group.currentData()
        plugin = self.poll.plugin
        out: list[tuple[str, Any, int]] = []
        spread: dict[str, int] = {}  # points or hands per option with the people: one entry
        grid: dict[str, list[int]] = {}  # statements: the hands per statement and level, one entry
        for key, spin in self.cells:
            n = spin.value()
            if not n:
                continue
            if plugin.hand_people:
                spread[str(key)] = n
            elif plugin.hand_form == "statements":
                statement, lvl = key
                grid.setdefault(str(statement), [0] * 5)[lvl - 1] = n
            else:
                out.append((grp, plugin.hand_answer(key), n))
        if spread:
            out.append((grp, spread, self.people.value()))
        if grid:  # the kind counts the people from the grid (the most hands on one statement)
            out.append((grp, grid, plugin.hand_weight(grid, 0)))
        if self.pairs and self.people.value():
            out.append((grp, {str(i): [x.value(), y.value()] for i, x, y in self.pairs}, self.people.value()))
        if self.value is not None and self.people.value():
            out.append((grp, round(self.value.value(), 1), self.people.value()))
        if plugin.hand_form == "text" and self.text.text().strip():
            out.append((grp, self.text.text(), 1))
        return out

"""Step 2: contributions side by side, the trust pulse's gap, barriers and risk appetite."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QAbstractItemView, QTableView, QVBoxLayout, QWidget

from vbp_workshop.core.analysis import investment_balance
from vbp_workshop.core.domain import BARRIER_KINDS, CONTRIBUTION_LEVELS, RESOURCES
from vbp_workshop.ui.models import Column, GridModel, GridSpec, TableSpec
from vbp_workshop.ui.pages.base import StepPage
from vbp_workshop.ui.widgets import BoundText, ChoiceDelegate, RecordTable, plain_label


class TrustPage(StepPage):
    step = 2

    def build(self) -> None:
        s = self.ctx.session
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.addWidget(plain_label("What each partner brings", cls="section"))
        lay.addWidget(plain_label("Rate each contribution (none, some, significant, major) and "
                                  "note what it is. The share shows who carries the investment.",
                                  cls="hint"))

        def total(_row: Any, values: dict[Any, Any]) -> str:
            return str(sum(int(v or 0) for v in values.values()))

        def share(row: Any, _values: dict[Any, Any]) -> str:
            shares = investment_balance(s.store).shares
            return f"{shares.get(row['name'], 0):.0%}" if shares else ""

        self.contributions = GridModel(s, GridSpec(
            "partners", "name", "contributions", "partner_id", "resource", "level",
            lambda: [(r, r.capitalize()) for r in RESOURCES], CONTRIBUTION_LEVELS,
            extra=[("Total", total), ("Share", share)]))
        grid = QTableView()
        grid.setObjectName("contributions_grid")
        grid.setModel(self.contributions)
        grid.setItemDelegate(ChoiceDelegate(self.contributions, grid))
        grid.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        grid.horizontalHeader().setStretchLastSection(True)
        lay.addWidget(grid, 1)
        self.balance = plain_label(cls="verdict")
        self.balance.setObjectName("balance")
        lay.addWidget(self.balance)
        self.tabs.addTab(page, "Contributions")
        s.changed.connect(lambda c: c.touches("contributions", "partners") and self.show_balance())
        self.show_balance()

        barriers = QWidget()
        blay = QVBoxLayout(barriers)
        blay.addWidget(RecordTable(s, TableSpec("barriers", [
            Column("kind", "Kind", "choice", BARRIER_KINDS, width=80),
            Column("text", "Barrier", width=380),
            Column("note", "What would help"),
        ], noun="barrier", defaults=lambda: {"kind": "hard"}), "Barriers the room names",
            "Hard: time, resources, scaling. Soft: trust, misconceptions about motives."), 1)
        blay.addWidget(plain_label("Risk appetite", cls="section"))
        blay.addWidget(BoundText(s, step=2, key="risk_appetite", multiline=True,
                                 placeholder="How much risk is the partnership willing to take, and where?"))
        self.tabs.addTab(barriers, "Barriers and risk")

    def show_balance(self) -> None:
        b = investment_balance(self.ctx.session.store)
        self.balance.setText(("✔ " if b.balanced else "⚠ ") + b.message)
        self.balance.setProperty("ok", b.balanced)
        self.balance.style().unpolish(self.balance)
        self.balance.style().polish(self.balance)

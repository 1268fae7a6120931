"""Where the stakeholder groups disagree most, across every poll of the workshop."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from vbp_workshop.core.model.domain import GROUP_LABELS
from vbp_workshop.core.polls import queries
from vbp_workshop.ui.polls.statement_divergence import ImportanceGaps, StatementRanking
from vbp_workshop.ui.session import Session
from vbp_workshop.ui.shared.labels import plain_label


class DivergenceDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Where groups disagree")
        self.resize(1100, 560)
        outer = QVBoxLayout(self)
        # Per statement first (where to work), then the sectors' gaps, then the older per-poll view.
        self.tabs = QTabWidget()
        self.statements = StatementRanking(session)
        self.gaps = ImportanceGaps(session)
        by_poll = QWidget()
        self.tabs.addTab(self.statements, "By statement")
        self.tabs.addTab(self.gaps, "Importance vs satisfaction by sector")
        self.tabs.addTab(by_poll, "By poll")
        outer.addWidget(self.tabs, 1)
        lay = QVBoxLayout(by_poll)
        lay.addWidget(plain_label(
            "Polls ranked by how far apart the stakeholder groups answered (0 = the same, 1 = "
            f"opposite). Groups with fewer than {queries.min_group(session.store)} respondents "
            "merge with the other small groups of their sector, then into “other”.", cls="hint"))
        ranking = queries.divergence_ranking(session.store)
        self.table = QTableWidget(len(ranking), 4)
        self.table.setObjectName("divergence_table")
        self.table.setHorizontalHeaderLabels(["Step", "Poll", "Divergence", "Furthest apart"])
        for r, (poll, d, pair) in enumerate(ranking):
            groups = " vs ".join(GROUP_LABELS.get(g, g) for g in pair) if pair else ""
            for c, text in enumerate([str(poll.step or ""), poll.question, f"{d:.2f}", groups]):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        lay.addWidget(self.table, 1)
        if not ranking:
            lay.addWidget(plain_label("No poll has enough answers per group to compare yet."))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)

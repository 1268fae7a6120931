"""Step 1: each partner's goals, candidate ambition statements, the chosen one, alignment."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from vbp_workshop.core.model.changes import Update
from vbp_workshop.core.model.domain import ALIGNMENT_CHOICES
from vbp_workshop.ui.shared.labels import plain_label
from vbp_workshop.ui.shared.record_table import RecordTable
from vbp_workshop.ui.shared.table_models import Column, TableSpec
from vbp_workshop.ui.steps.base import StepPage


class AmbitionPage(StepPage):
    step = 1

    def build(self) -> None:
        s = self.ctx.session
        goals = RecordTable(s, TableSpec("partners", [
            Column("name", "Partner", editable=False, width=260),
            Column("stakeholder", "Stakeholder", "choice", self.ctx.stakeholder_labels, width=190, editable=False),
            Column("goals", "What this partner needs from the partnership"),
        ], noun="partner"), "Each partner's own goals",
            "Add partners on the Setup page.", movable=False, addable=False)
        self.tabs.addTab(goals, "Partners' goals")

        ambition = QWidget()
        lay = QVBoxLayout(ambition)
        self.statements = RecordTable(s, TableSpec("ambitions", [
            Column("text", "Candidate ambition statement"),
            Column("chosen", "Chosen", "check", width=70, editable=False),
        ], noun="statement"), "Candidate statements",
            "Patient value first: outcomes that matter to patients, over the whole cycle of care.")
        lay.addWidget(self.statements, 1)
        choose = QPushButton("Choose as the shared ambition")
        choose.setObjectName("choose_ambition")
        choose.setToolTip("Make the selected statement the partnership's shared ambition")
        choose.clicked.connect(self.choose_selected)
        lay.addWidget(choose)
        lay.addWidget(plain_label("Shared ambition", cls="section"))
        self.chosen = plain_label(cls="ambition")
        self.chosen.setObjectName("chosen_ambition")
        lay.addWidget(self.chosen)
        self.tabs.addTab(ambition, "Ambition")
        names = self.ctx.partner_names
        alignment = RecordTable(s, TableSpec("alignment", [
            Column("partner_id", "Partner", "choice", names, editable=False, width=300),
            Column("status", "Can sign up?", "choice", ALIGNMENT_CHOICES, width=160),
            Column("note", "Reservations / what would change their mind"),
        ], noun="partner", depends_on=("partners",)), "Alignment check",
            "Every partner says whether it can sign up to the chosen ambition.",
            movable=False, addable=False)
        self.tabs.addTab(alignment, "Alignment")
        s.changed.connect(lambda c: self.show_chosen() if c.touches("ambitions") else None)
        self.show_chosen()

    def show_chosen(self) -> None:
        chosen = self.ctx.session.store.find("ambitions", chosen=1)
        self.chosen.setText(chosen[0]["text"] if chosen else "Not chosen yet: select a statement and choose it.")

    def choose_selected(self) -> None:
        index = self.statements.view.currentIndex()
        if not index.isValid():
            self.statements.show_problem("Select a statement first.")
            return
        chosen_id = self.statements.model.row_at(index.row())["id"]
        edits = [Update("ambitions", r["id"], {"chosen": int(r["id"] == chosen_id)})
                 for r in self.statements.model.rows() if bool(r["chosen"]) != (r["id"] == chosen_id)]
        if edits:
            self.ctx.session.edit(edits, "Choose the shared ambition")

"""Step 3: RACI, decision and governance rules with consent votes, glossary, timeline, and the
joint-working checklist (ui/steps/joint_working.py)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from vbp_workshop.core.model.domain import RACI_ROLES, RULE_CATEGORIES
from vbp_workshop.core.model.poll import BallotError
from vbp_workshop.core.operations.live import open_poll
from vbp_workshop.core.operations.polls import new_poll_edit
from vbp_workshop.core.steps.checks import RaciError, check_raci_assignment, raci_problems
from vbp_workshop.ui.shared.bound_text import BoundText
from vbp_workshop.ui.shared.labels import plain_label
from vbp_workshop.ui.shared.record_table import ChoiceDelegate, RecordTable
from vbp_workshop.ui.shared.table_models import Column, GridModel, GridSpec, TableSpec
from vbp_workshop.ui.steps.base import StepPage
from vbp_workshop.ui.steps.joint_working import JointWorkingTab

RACI_CHOICES = {"": "—", **{r: r for r in RACI_ROLES}}


class RulesPage(StepPage):
    step = 3

    def build(self) -> None:
        s = self.ctx.session
        raci = QSplitter(Qt.Orientation.Vertical)
        raci.addWidget(RecordTable(s, TableSpec("activities", [Column("name", "Activity")],
                                                noun="activity"), "Activities"))
        gridbox = QWidget()
        glay = QVBoxLayout(gridbox)
        glay.setContentsMargins(0, 0, 0, 0)
        glay.addWidget(plain_label("Who is Responsible, Accountable (exactly one), Consulted, "
                                   "Informed", cls="section"))

        def check(activity_id: int, partner_id: Any, role: Any) -> None:
            try:
                check_raci_assignment(s.store, activity_id, int(partner_id), str(role))
            except RaciError as exc:
                raise ValueError(str(exc)) from None

        def verdict(row: Any, _values: dict[Any, Any]) -> str:
            return raci_problems(s.store).get(row["id"], "✔ One Accountable")

        self.raci = GridModel(s, GridSpec(
            "activities", "name", "raci", "activity_id", "partner_id", "role",
            lambda: [(p["id"], p["name"]) for p in s.store.rows("partners")], RACI_CHOICES,
            check=check, extra=[("Check", verdict)],
            problems=lambda row: raci_problems(s.store).get(row["id"], ""),
            depends_on=("partners",)))
        self.raci_view = QTableView()
        self.raci_view.setObjectName("raci_grid")
        self.raci_view.setModel(self.raci)
        self.raci_view.setItemDelegate(ChoiceDelegate(self.raci, self.raci_view))
        self.raci_view.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.raci_view.horizontalHeader().setStretchLastSection(True)
        header = self.raci_view.horizontalHeader()
        header.setDefaultSectionSize(130)
        # Partner names are long: wrap them in a taller header rather than clip them.
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.AlignmentFlag(Qt.TextFlag.TextWordWrap.value))
        header.setMinimumHeight(58)
        glay.addWidget(self.raci_view, 1)
        self.raci_message = plain_label(cls="problem")
        self.raci_message.setObjectName("raci_message")
        self.raci_message.hide()
        self.raci.refused.connect(self._raci_refused)
        glay.addWidget(self.raci_message)
        raci.addWidget(gridbox)
        raci.setSizes([180, 320])
        self.tabs.addTab(raci, "Roles (RACI)")

        rules = QWidget()
        rlay = QVBoxLayout(rules)
        self.rules = RecordTable(s, TableSpec("rules", [
            Column("category", "Area", "choice", RULE_CATEGORIES, width=170),
            Column("text", "Rule", width=460, sentence=True),
            Column("consent", "Consent result", editable=False),
        ], noun="rule"), "Rules", "Each rule is adopted by consent: fist-to-five, nobody below 3.")
        rlay.addWidget(self.rules, 1)
        row = QHBoxLayout()
        vote = QPushButton("Consent vote on the selected rule…")
        vote.setObjectName("consent_vote")
        vote.clicked.connect(self.consent_vote)
        row.addWidget(vote)
        row.addStretch(1)
        rlay.addLayout(row)
        rlay.addWidget(plain_label("How decisions are made", cls="section"))
        rlay.addWidget(BoundText(s, step=3, key="decision_rules", multiline=True,
                                 placeholder="Who decides what, how fast, and how disagreements are settled"))
        self.tabs.addTab(rules, "Rules")

        words = QSplitter(Qt.Orientation.Vertical)
        words.addWidget(RecordTable(s, TableSpec("glossary", [
            Column("term", "Term", width=220), Column("meaning", "What we mean by it")],
            noun="term"), "Common language"))
        words.addWidget(RecordTable(s, TableSpec("milestones", [
            Column("what", "Milestone", width=380, sentence=True), Column("date", "Date", "date")],
            noun="milestone"), "Expected timeline", "Dates as 24/11/2026 or 2026-11-24"))
        self.tabs.addTab(words, "Glossary and timeline")
        self.joint_working = JointWorkingTab(s)
        self.tabs.addTab(self.joint_working, "Joint working")

    def _raci_refused(self, message: str) -> None:
        self.raci_message.setText("⚠ " + message)
        self.raci_message.show()

    def consent_vote(self) -> None:
        """Make (or reuse) the rule's fist-to-five poll, open it, and show the Polls tab."""
        index = self.rules.view.currentIndex()
        if not index.isValid():
            self.rules.show_problem("Select a rule first.")
            return
        rule = self.rules.model.row_at(index.row())
        s = self.ctx.session
        target = f"rule:{rule['id']}"
        existing = s.store.find("polls", target=target)
        if existing:
            poll_id = existing[0]["id"]
        else:
            edit = new_poll_edit(3, "fist", f"Consent: {rule['text']}", [], {}, target)
            back = s.edit([edit], "Add consent vote")
            poll_id = back[0].id  # type: ignore[union-attr]
        try:
            open_poll(s.store, s.live, poll_id)
        except BallotError as exc:
            self.ctx.dialogs.error("Cannot open the vote", str(exc))
            return
        self.polls.select(poll_id)
        self.show_polls()

"""Step 3: RACI, decision and governance rules with consent votes, glossary, timeline, and the
UK joint-working checklist."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from vbp_workshop.core.model.domain import RACI_ROLES, RULE_CATEGORIES
from vbp_workshop.core.model.poll import BallotError
from vbp_workshop.core.operations import step_field_edit
from vbp_workshop.core.operations.live import open_poll
from vbp_workshop.core.operations.polls import new_poll_edit
from vbp_workshop.core.steps import planning
from vbp_workshop.core.steps.checks import RaciError, check_raci_assignment, raci_problems
from vbp_workshop.core.steps.template import load_template
from vbp_workshop.ui.shared.bound_text import BoundText
from vbp_workshop.ui.shared.labels import CheckText, info_note, plain_label
from vbp_workshop.ui.shared.record_table import ChoiceDelegate, RecordTable
from vbp_workshop.ui.shared.scrolling import scrolling
from vbp_workshop.ui.shared.table_models import Column, GridModel, GridSpec, TableSpec
from vbp_workshop.ui.steps.base import StepPage

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
            Column("text", "Rule", width=460),
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
            Column("what", "Milestone", width=380), Column("date", "Date", "date")],
            noun="milestone"), "Expected timeline", "Dates as YYYY-MM-DD"))
        self.tabs.addTab(words, "Glossary and timeline")
        self.tabs.addTab(self._joint_working(), "Joint working (UK)")

    def _raci_refused(self, message: str) -> None:
        self.raci_message.setText("⚠ " + message)
        self.raci_message.show()

    def _joint_working(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.addWidget(plain_label("Parties to the written agreement", cls="section"))
        lay.addWidget(plain_label("The organisations that sign the agreement (not every partner does). The "
                                  "executive summary stays a draft until each party's consent to publish is "
                                  "recorded (step 5).", cls="hint"))
        self.party_rows = QVBoxLayout()
        lay.addLayout(self.party_rows)
        self.party_boxes: dict[int, QCheckBox] = {}
        lay.addWidget(plain_label("NHS–industry joint-working checklist", cls="section"))
        lay.addWidget(info_note(load_template()["disclaimer"], "legal_note"))
        self.jw_boxes: dict[str, QCheckBox] = {}
        self.jw_owners: dict[str, QLineEdit] = {}
        for item in load_template()["joint_working"]:
            # A check box's own text never wraps: the long items sit in a wrapping label beside it.
            box = QCheckBox()
            box.setObjectName(f"jw_{item['key']}")
            box.setAccessibleName(item["text"])
            box.toggled.connect(lambda on, k=item["key"]: self._tick(k, on))
            text = CheckText(f"{item['text']}  —  {item['source']}", box)
            owner = QLineEdit()
            owner.setObjectName(f"jw_owner_{item['key']}")
            owner.setPlaceholderText("Who sees to it")
            owner.setAccessibleName(f"Who sees to it: {item['text']}")
            owner.setMaximumWidth(220)
            owner.editingFinished.connect(lambda k=item["key"], e=owner: self._set_owner(k, e.text()))
            row = QHBoxLayout()
            row.addWidget(box, 0, Qt.AlignmentFlag.AlignTop)
            row.addWidget(text, 1)
            row.addWidget(owner, 0, Qt.AlignmentFlag.AlignTop)
            lay.addLayout(row)
            self.jw_boxes[item["key"]] = box
            self.jw_owners[item["key"]] = owner
        lay.addWidget(plain_label("Exit strategy", cls="section"))
        lay.addWidget(BoundText(self.ctx.session, step=3, key=planning.EXIT_STRATEGY, multiline=True,
                                placeholder="How a partner leaves or the work ends, and what each party does then"))
        lay.addStretch(1)
        self._load_jw()
        self.ctx.session.changed.connect(lambda c: self._load_jw() if c.touches("steps", "partners") else None)
        return scrolling(page)

    def _load_jw(self) -> None:
        store = self.ctx.session.store
        state = store.step_fields(3).get("joint_working", {})
        for key, box in self.jw_boxes.items():
            box.blockSignals(True)
            box.setChecked(bool(state.get(key)))
            box.blockSignals(False)
        owners = planning.checklist_owners(store)
        for key, edit in self.jw_owners.items():
            if not edit.hasFocus() and edit.text() != owners.get(key, ""):
                edit.setText(owners.get(key, ""))
        partners = store.rows("partners")
        if [p["id"] for p in partners] != list(self.party_boxes):
            for box in self.party_boxes.values():
                box.setParent(None)
                box.deleteLater()
            self.party_boxes = {}
            for p in partners:
                box = QCheckBox(p["name"])
                box.setObjectName(f"party_{p['id']}")
                box.toggled.connect(lambda on, pid=p["id"]: self._set_party(pid, on))
                self.party_rows.addWidget(box)
                self.party_boxes[p["id"]] = box
        parties = planning.parties(store)
        for p in partners:
            box = self.party_boxes[p["id"]]
            box.blockSignals(True)
            box.setText(p["name"])
            box.setChecked(bool(parties.get(p["id"])))
            box.blockSignals(False)

    def _tick(self, key: str, on: bool) -> None:
        store = self.ctx.session.store
        ticked = {**store.step_fields(3).get("joint_working", {}), key: on}
        self.ctx.session.edit([step_field_edit(store, 3, "joint_working", ticked)], "Tick joint-working item")

    def _set_owner(self, key: str, owner: str) -> None:
        store = self.ctx.session.store
        if planning.checklist_owners(store).get(key, "") != planning.clean_field(owner):
            self.ctx.session.edit([planning.checklist_owner_edit(store, key, owner)],
                                  "Name who sees to a checklist item")

    def _set_party(self, partner_id: int, on: bool) -> None:
        store = self.ctx.session.store
        self.ctx.session.edit([planning.party_edit(store, partner_id, on)],
                              "Record a party to the agreement" if on else "Record a partner as not a party")

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
